"""French personal data, found and masked before anything is stored or sent to a model.

`scrub(text, names=())` returns the text with every phone number, e-mail address,
postal address, NIR (numéro de sécurité sociale), INE (identifiant national élève)
and any of `names` (classmates' names from the accounts table) replaced by a visible
mask, and the kinds it found (masks already in the text count, so a message masked
before storage is still known to have carried personal data). Masks are fixed strings
(`[téléphone masqué]`…) so a masked text never leaks the value, and `scrub` is idempotent.

Constants: MASKS, NAME_MIN_CHARS, PATTERNS (ordered: the NIR before phone numbers).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MASKS = {
    "email": "[e-mail masqué]",
    "nir": "[n° de sécurité sociale masqué]",
    "ine": "[INE masqué]",
    "iban": "[IBAN masqué]",
    "card": "[n° de carte masqué]",
    "phone": "[téléphone masqué]",
    "address": "[adresse masquée]",
    "name": "[nom masqué]",
}
NAME_MIN_CHARS = 3
_SEP = r"[ .\-]?"
_STREET = (
    r"(?:rue|avenue|av\.?|boulevard|bd|bld|chemin|ch\.?|all[ée]e|impasse|imp\.?|place|pl\.?|route|rte|quai|cours|"
    r"square|sq\.?|r[ée]sidence|lotissement|lot\.?|voie|rond[- ]point|faubourg|fbg|sentier|passage|cit[ée]|hameau|"
    r"villa|parvis|esplanade|promenade|mont[ée]e|chauss[ée]e|street|st|road|rd|lane|drive)"
)
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", re.compile(r"[\w.+\-]+\s?(?:@|\(at\)|\[at\]| at )\s?[\w\-]+(?:\s?(?:\.|\(dot\)| dot )\s?[\w\-]+)+", re.I)),
    # NIR: sex, year, month (or 20-99 for some births abroad), department (2A/2B), commune, order, key.
    ("nir", re.compile(r"(?<!\d)[12]" + _SEP + r"\d{2}" + _SEP + r"(?:0[1-9]|1[0-2]|[2-9]\d)" + _SEP
                       + r"(?:\d{2}|2[AB])" + _SEP + r"\d{3}" + _SEP + r"\d{3}(?:" + _SEP + r"\d{2})?(?!\d)", re.I)),
    ("iban", re.compile(r"\bFR\d{2}(?:[ ]?[0-9A-Z]{4}){5}[ ]?[0-9A-Z]{3}\b", re.I)),
    ("card", re.compile(r"(?<!\d)(?:\d{4}[ \-]?){3}\d{4}(?!\d)")),
    # INE: 10 digits + 1 letter, or 9 digits + 2 letters (BEA / BE / RNIE forms).
    ("ine", re.compile(r"(?<![\w])(?:\d{10}[A-HJ-NPR-Z]|\d{9}[A-Z]{2}|\d{4}[A-Z]\d{5}[A-Z])(?![\w])", re.I)),
    ("phone", re.compile(r"(?<![\d\w])(?:(?:\+|00)\s?33\s?\(?0?\)?\s?[1-9]|0[1-9])(?:" + _SEP + r"\d{2}){4}(?!\d)")),
    ("address", re.compile(
        r"\b\d{1,4}\s?(?:bis|ter|b)?,?\s" + _STREET + r"\s(?:de |du |des |de la |d'|d’)?[A-Za-zÀ-ÿ'’\-]+(?:\s[A-Za-zÀ-ÿ'’\-]+){0,4}"
        r"(?:,?\s\d{5}(?:\s[A-Za-zÀ-ÿ'’\-]+){0,3})?", re.I)),
    ("address", re.compile(r"(?<!\d)(?:0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6])\d{3}\s(?=[A-ZÀ-Ý][a-zà-ÿ])[A-Za-zÀ-ÿ'’\-]+(?:[ \-][A-Za-zÀ-ÿ'’]+){0,3}")),
)


@dataclass(frozen=True)
class Scrubbed:
    text: str
    kinds: tuple[str, ...]  # what was masked, in order of first appearance

    @property
    def found(self) -> bool:
        return bool(self.kinds)


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def _name_pattern(names) -> re.Pattern[str] | None:
    """One pattern for the names worth masking (accent- and case-insensitive, whole words)."""
    alternatives = set()
    for name in names:
        parts = [p for p in re.split(r"[\s._\-]+", str(name).strip()) if p]
        if not parts or len("".join(parts)) < NAME_MIN_CHARS:
            continue
        if len(parts) == 1 and len(parts[0]) < 5:  # a short single word is too likely a common word
            continue
        alternatives.add(r"[\s._\-]+".join(re.escape(_fold(p)) for p in parts))
    if not alternatives:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(sorted(alternatives, key=len, reverse=True)) + r")(?!\w)")


def scrub(text: str, names=()) -> Scrubbed:
    """`text` with personal data masked, and the kinds found."""
    if not text:
        return Scrubbed(text or "", ())
    # Already masked upstream (the web layer masks before storing): still report what was found.
    kinds: list[str] = [kind for kind, mask in MASKS.items() if mask in text]
    for kind, pattern in PATTERNS:
        text, count = pattern.subn(MASKS[kind], text)
        if count and kind not in kinds:
            kinds.append(kind)
    pattern = _name_pattern(names)
    if pattern is not None:
        # Match on the folded text, replace the same span of the original (folding keeps length
        # for Latin letters; when it would not, the text is left as is rather than mangled).
        folded = _fold(text)
        if len(folded) == len(text):
            spans = [m.span() for m in pattern.finditer(folded)]
            for start, end in reversed(spans):
                text = text[:start] + MASKS["name"] + text[end:]
            if spans and "name" not in kinds:
                kinds.append("name")
    return Scrubbed(text, tuple(kinds))
