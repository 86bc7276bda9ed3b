"""The safety policy as data: categories, actions, help lines and the rules that find them.

`load_policy(lang)` reads `policy/<lang>.yaml` (versioned with the code: its `version`
is recorded with every verdict), expands the lexicon macros (`{WANT}`, `{DIE}`...) and
compiles every rule once. `Policy.matches(text)` runs the rules over a message already
normalised by `normalize.py` and says which groups of which categories fired; the
decision (what to do about it) is `rules.py`'s.

Rule groups (see the YAML's header): `strong`, `topic`, `refuse`, `threat` act;
`minors` only marks a match of its category; `except` spans are blanked first, so
a rule never fires inside an idiom ("je meurs de faim", "tuer un processus"); an
`unless` match anywhere silences the category for that message.

Constants: POLICY_DIR, GLUED_MIN_CHARS, ACTIONS (most protective first), ACTING_GROUPS, GROUPS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ..errors import InputError

POLICY_DIR = "policy"
GLUED_MIN_CHARS = 18  # a token this long is words glued together (few French words are)
ACTIONS = ("redirect", "refuse", "inform", "ignore", "hint", "mask", "answer")
ACTING_GROUPS = ("strong", "topic", "refuse", "threat")
GROUPS = ACTING_GROUPS + ("minors", "except", "unless")
_MACRO = re.compile(r"\{([A-Z_]+)\}")


@dataclass(frozen=True)
class Category:
    """One category of the policy, its action and its compiled rules."""

    id: str
    action: str
    message: str
    flag: bool = False
    helplines: tuple[str, ...] = ()
    rules: dict[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)

    def blank_exceptions(self, text: str) -> str:
        """`text` with this category's `except` spans replaced by spaces (same length)."""
        for pattern in self.rules.get("except", ()):
            text = pattern.sub(lambda m: " " * len(m.group(0)), text)
        return text

    def fired(self, text: str) -> dict[str, list[str]]:
        """{group: [matched text, ...]} for every group of rules that matches `text`."""
        if any(pattern.search(text) for pattern in self.rules.get("unless", ())):
            return {}
        text = self.blank_exceptions(text)
        found: dict[str, list[str]] = {}
        for group in GROUPS:
            if group in ("except", "unless"):
                continue
            for pattern in self.rules.get(group, ()):
                match = pattern.search(text)
                if match:
                    found.setdefault(group, []).append(match.group(0).strip())
        return found


@dataclass(frozen=True)
class Policy:
    version: str
    language: str
    categories: tuple[Category, ...]
    school: re.Pattern[str]
    ally: re.Pattern[str]
    glued: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def category(self, category_id: str) -> Category:
        for category in self.categories:
            if category.id == category_id:
                return category
        raise KeyError(category_id)

    def matches(self, normalized: str) -> dict[str, dict[str, list[str]]]:
        """{category id: {group: [matched text]}} for every category with a match."""
        found = {}
        for category in self.categories:
            groups = category.fired(normalized)
            if groups:
                found[category.id] = groups
        for token in normalized.split():
            if len(token) < GLUED_MIN_CHARS:
                continue
            for category_id, stems in self.glued.items():
                hit = next((stem for stem in stems if stem in token), None)
                if hit:
                    found.setdefault(category_id, {}).setdefault("strong", []).append(hit)
        return found

    def is_ally(self, normalized: str) -> bool:
        """Whether the message asks how to help someone else (a friend who is bullied...)."""
        return bool(self.ally.search(normalized))

    def without_idioms(self, normalized: str) -> str:
        """The normalised message with every category's `except` spans (idioms: "mort de
        rire", "ce controle va me tuer", "tuer un processus") taken out."""
        text = normalized
        for category in self.categories:
            text = category.blank_exceptions(text)
        return " ".join(text.split())

    def is_school(self, normalized: str) -> bool:
        """Whether the message speaks of a lesson, a work or a school subject."""
        return bool(self.school.search(normalized))


def _expand(pattern: str, lexicon: dict[str, str], where: str) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in lexicon:
            raise InputError("guard.policy_invalid", where=where, detail=f"unknown macro {{{name}}}")
        return f"(?:{lexicon[name]})"

    return _MACRO.sub(one, pattern)


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise InputError("guard.policy_invalid", where=where, detail=str(exc)) from None


def parse_policy(data: dict, source: str = "policy") -> Policy:
    """A Policy from the YAML's data (checked: actions, groups, macros, regexes)."""
    lexicon = {name: str(value) for name, value in (data.get("lexicon") or {}).items()}
    categories = []
    for raw in data.get("categories") or []:
        where = f"{source}:{raw.get('id', '?')}"
        if raw.get("action") not in ACTIONS:
            raise InputError("guard.policy_invalid", where=where, detail=f"action {raw.get('action')!r}")
        unknown = set(raw.get("rules") or {}) - set(GROUPS)
        if unknown:
            raise InputError("guard.policy_invalid", where=where, detail="groups " + ", ".join(sorted(unknown)))
        rules = {
            group: tuple(_compile(_expand(p, lexicon, where), where) for p in patterns or [])
            for group, patterns in (raw.get("rules") or {}).items()
        }
        categories.append(Category(
            id=str(raw["id"]), action=raw["action"], message=str(raw.get("message", f"guard.{raw['id']}")),
            flag=bool(raw.get("flag", False)), helplines=tuple(str(h) for h in raw.get("helplines") or ()),
            rules=rules,
        ))
    never = re.compile(r"(?!)")
    school, ally = (
        _compile(r"\b" + _expand("{%s}" % name, lexicon, source) + r"\b", source) if name in lexicon else never
        for name in ("SCHOOL", "ALLY")
    )
    glued = {str(c): tuple(str(stem).lower() for stem in stems) for c, stems in (data.get("glued") or {}).items()}
    return Policy(version=str(data.get("version", "?")), language=str(data.get("language", "fr")),
                  categories=tuple(categories), school=school, ally=ally, glued=glued)


@lru_cache(maxsize=4)
def load_policy(lang: str = "fr") -> Policy:
    """The shipped policy (French rules also read English messages: they include English rules)."""
    import yaml

    entry = resources.files("precepteur.guard") / POLICY_DIR / f"{lang}.yaml"
    if not entry.is_file():
        entry = resources.files("precepteur.guard") / POLICY_DIR / "fr.yaml"
    return parse_policy(yaml.safe_load(entry.read_text(encoding="utf-8")), entry.name)
