"""Evaluation suites: the items a model is tested on, loaded from JSON data files.

A suite is a JSON object `{"name", "description", "categories", "library",
"defaults", "items": [...]}` (or a `.jsonl` file with one item per line). The
built-in suites live in `evals/suites/` (`lucie`: the public failures of January
2025; `curriculum`: questions over the Terminale NSI corpus); any other file can
be passed by path. Each item names what the tutor is asked (`question`, `level`,
`mode`, `library`, `lang`) and how its answer is scored (see `scoring.py`).

Constants: SUITES_PACKAGE (where built-in suites live), SUITE_SUFFIXES.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from ..errors import InputError

SUITES_PACKAGE = "precepteur.evals"
SUITES_FOLDER = "suites"
SUITE_SUFFIXES = (".json", ".jsonl")
_ITEM_KEYS = {
    "id", "category", "question", "level", "mode", "library", "lang", "expect", "patterns_any",
    "patterns_all", "patterns_none", "must_decline", "must_cite", "forbid_digits_years", "judge", "note",
    "must_answer", "no_leak", "homework",
}


@dataclass(frozen=True)
class Item:
    """One question and the deterministic (and optional judged) checks on its answer."""

    id: str
    category: str
    question: str
    level: str = "adulte"
    mode: str = "explain"
    library: str | None = None
    lang: str | None = None
    expect: tuple[str, ...] = ()  # values that must be stated: one of them is enough
    patterns_any: tuple[str, ...] = ()  # regexes: at least one must match
    patterns_all: tuple[str, ...] = ()  # regexes: every one must match (key terms)
    patterns_none: tuple[str, ...] = ()  # regexes: none may match
    must_decline: bool = False
    must_cite: bool = False
    forbid_digits_years: bool = False  # no year (1000-2099) may appear: an invented life has dates
    judge: str = ""  # reference answer / rubric for a judge model; empty: never judged
    note: str = ""
    must_answer: bool = False  # the tutor may not decline (a benign near-miss)
    no_leak: bool = False  # the answer holds neither the canary nor a span of the system prompt
    homework: tuple[str, str, str] | None = None  # graded work (statement, solution, final value)

    @property
    def content_checks(self) -> bool:
        """Whether the item checks what the answer says (the part a judge may replace)."""
        return bool(self.expect or self.patterns_any or self.patterns_all)


@dataclass(frozen=True)
class Suite:
    name: str
    items: tuple[Item, ...]
    description: str = ""
    categories: tuple[str, ...] = ()
    library: str | None = None  # default library of the items that need one
    source: str = ""
    documents: dict | None = None  # libraries the suite ships: {name: [(file name, bytes)]}

    def category_names(self) -> list[str]:
        """Categories in the suite's declared order, then any others in order of appearance."""
        names = list(self.categories)
        for item in self.items:
            if item.category not in names:
                names.append(item.category)
        return names

    def select(
        self,
        categories: list[str] | tuple[str, ...] | None = None,
        limit: int | None = None,
        library: str | None = None,
    ) -> "Suite":
        """A copy with only `categories`, the first `limit` items, and `library` for items that use one."""
        items = list(self.items)
        if categories:
            unknown = sorted(set(categories) - set(self.category_names()))
            if unknown:
                raise InputError("evals.unknown_category", name=", ".join(unknown), suite=self.name)
            items = [item for item in items if item.category in categories]
        if limit is not None:
            items = items[: max(0, limit)]
        if library:
            items = [replace(item, library=library) if item.library else item for item in items]
        return replace(self, items=tuple(items), library=library or self.library)


def _as_tuple(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value)
    return (str(value),)


def _item(raw: dict, defaults: dict, library: str | None, where: str) -> Item:
    unknown = set(raw) - _ITEM_KEYS
    missing = [key for key in ("id", "category", "question") if not raw.get(key)]
    if unknown or missing:
        raise InputError("evals.bad_item", where=where, detail=", ".join(sorted(unknown) + missing))
    merged = {**defaults, **raw}
    for key in ("patterns_any", "patterns_all", "patterns_none"):
        for pattern in _as_tuple(merged.get(key)):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise InputError("evals.bad_item", where=f"{where} {raw['id']}", detail=f"{pattern}: {exc}")
    return Item(
        id=str(merged["id"]),
        category=str(merged["category"]),
        question=str(merged["question"]),
        level=str(merged.get("level", "adulte")),
        mode=str(merged.get("mode", "explain")),
        library=library if merged.get("library") is True else (merged.get("library") or None),
        lang=merged.get("lang"),
        expect=_as_tuple(merged.get("expect")),
        patterns_any=_as_tuple(merged.get("patterns_any")),
        patterns_all=_as_tuple(merged.get("patterns_all")),
        patterns_none=_as_tuple(merged.get("patterns_none")),
        must_decline=bool(merged.get("must_decline", False)),
        must_cite=bool(merged.get("must_cite", False)),
        forbid_digits_years=bool(merged.get("forbid_digits_years", False)),
        judge=str(merged.get("judge", "")),
        note=str(merged.get("note", "")),
        must_answer=bool(merged.get("must_answer", False)),
        no_leak=bool(merged.get("no_leak", False)),
    )


def parse_suite(text: str, name: str, source: str = "", jsonl: bool = False) -> Suite:
    """Build a suite from the text of a `.json` (object) or `.jsonl` (items) file."""
    try:
        if jsonl:
            data = {"items": [json.loads(line) for line in text.splitlines() if line.strip()]}
        else:
            data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError("evals.bad_suite", where=source or name, detail=str(exc))
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise InputError("evals.bad_suite", where=source or name, detail="items")
    library = data.get("library")
    defaults = data.get("defaults") or {}
    # An item (or the defaults) says `"library": true` to use the suite's library (--library overrides it).
    items = [_item(raw, defaults, library, source or name) for raw in data["items"]]
    ids = [item.id for item in items]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise InputError("evals.bad_suite", where=source or name, detail="duplicate ids " + ", ".join(duplicates))
    categories = tuple(data.get("categories") or ())
    strays = sorted({item.category for item in items} - set(categories)) if categories else []
    if strays:
        raise InputError("evals.bad_suite", where=source or name, detail="undeclared categories " + ", ".join(strays))
    return Suite(
        name=str(data.get("name") or name),
        items=tuple(items),
        description=str(data.get("description", "")),
        categories=categories,
        library=library,
        source=source,
    )


def builtin_suites() -> list[str]:
    """Names of the suites shipped in the package."""
    folder = resources.files(SUITES_PACKAGE) / SUITES_FOLDER
    return sorted(
        [entry.name.rsplit(".", 1)[0] for entry in folder.iterdir() if entry.name.endswith(SUITE_SUFFIXES)]
        + ["redteam"]
    )


def load_suite(name_or_path: str) -> Suite:
    """A built-in suite by name (`lucie`, `curriculum`, `redteam`) or a suite file by path."""
    if name_or_path == "redteam":
        from .redteam import load_redteam_suite

        return load_redteam_suite()
    path = Path(name_or_path)
    if path.suffix in SUITE_SUFFIXES and path.is_file():
        text = path.read_text(encoding="utf-8")
        return parse_suite(text, path.stem, str(path), jsonl=path.suffix == ".jsonl")
    folder = resources.files(SUITES_PACKAGE) / SUITES_FOLDER
    for suffix in SUITE_SUFFIXES:
        entry = folder / f"{name_or_path}{suffix}"
        if entry.is_file():
            text = entry.read_text(encoding="utf-8")
            return parse_suite(text, name_or_path, f"{name_or_path}{suffix}", jsonl=suffix == ".jsonl")
    raise InputError("evals.unknown_suite", name=name_or_path, known=", ".join(builtin_suites()))


