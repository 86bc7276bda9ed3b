"""Reading a learner's answer: normalised text and French-format quantities (pure functions).

`normalize` makes two spellings of the same answer equal: case, accents, spaces
(non-breaking too), typographic apostrophes, a leading article or elision
("la pile", "l'arbre"), punctuation around the words. `parse_quantity` reads one
number as people write it in French (and English): "3,5", "3.5", "1 000",
"7/8", "50 %", "-2", "sept", with an optional unit ("2,5 km", "30 min") that the
`skills.units` table knows; `same_quantity` compares two of them within a
tolerance, converting units of the same dimension.

Constants: LEADING_ARTICLES, NEGATIONS, EXACT_EPSILON.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from ..skills._numbers import scan_numbers
from ..skills._text import clean
from ..skills._unit_table import LEXICON

LEADING_ARTICLES = ("le", "la", "les", "un", "une", "des", "du", "de", "the", "a", "an")
NEGATIONS = frozenset({"ne", "n", "pas", "non", "jamais", "aucun", "aucune", "not", "no", "never", "none"})
EXACT_EPSILON = 1e-9

_ELIDED = re.compile(r"^(?:l|d|qu|j|n|s|c|m|t)'", re.IGNORECASE)
_PUNCT = re.compile(r"[^\w\s'/.,%+-]|(?<!\w)[.,'/-]|[.,'/-](?!\w)")
_SPACE = re.compile(r"\s+")
_FRACTION = re.compile(r"^\s*(-?\d+)\s*/\s*(\d+)\s*(.*)$")


def fold(text: str) -> str:
    """Lower case, no accents (œ -> oe), ASCII apostrophes and dashes, single spaces."""
    import unicodedata

    text = clean(text or "").lower().replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalize(text: str) -> str:
    """The comparable form of a short answer ("  L’Arbre binaire ! " -> "arbre binaire",
    "Bellman-Ford" -> "bellman ford")."""
    text = _SPACE.sub(" ", _PUNCT.sub(" ", fold(text)).replace("-", " ")).strip()
    for _ in range(2):  # "de la", "l'"
        text = _ELIDED.sub("", text)
        head, _, rest = text.partition(" ")
        if rest and head in LEADING_ARTICLES:
            text = rest
    return text.strip()


def words(text: str) -> list[str]:
    """The normalised words of `text`, elisions split off ("l'arbre" -> ["l", "arbre"])."""
    return [w for w in re.split(r"[\s']+", normalize(text)) if w]


def has_negation(text: str) -> bool:
    return any(w in NEGATIONS for w in words(text))


@dataclass(frozen=True)
class Quantity:
    """A number read from an answer, with its unit symbol (None without a known unit)."""

    value: Fraction | float
    unit: str | None = None
    percent: bool = False


def _unit_of(rest: str):
    rest = fold(rest).strip().rstrip(".")
    if not rest:
        return None, ""
    unit = LEXICON.get(rest) or LEXICON.get(rest.replace("²", "2").replace("³", "3"))
    return unit, rest


def parse_quantity(text: str, lang: str = "fr") -> Quantity | None:
    """The one number of `text` (see the module docstring), or None when there is none or several."""
    text = clean(text or "").replace("\u2212", "-")
    fraction = _FRACTION.match(text)
    if fraction:
        denominator = int(fraction.group(2))
        if denominator == 0:
            return None
        value, rest = Fraction(int(fraction.group(1)), denominator), fraction.group(3)
    else:
        numbers = scan_numbers(text, lang)
        if len(numbers) != 1:
            return None
        number = numbers[0]
        if text[: number.start].strip() not in ("", "=", "≈"):
            return None
        value, rest = number.value, text[number.end:]
    rest = rest.strip()
    percent = rest.startswith("%")
    if percent:
        rest = rest[1:].strip()
    unit, written = _unit_of(rest)
    if written and unit is None and len(written.split()) > 3:
        return None  # "3 parce que ..." is a sentence, not a quantity
    return Quantity(value, unit.symbol if unit else None, percent)


def _in_unit(quantity: Quantity, unit: str) -> Fraction | float | None:
    source, target = LEXICON.get(fold(quantity.unit or "")), LEXICON.get(fold(unit))
    if source is None or target is None or source.dimension != target.dimension:
        return None
    return Fraction(quantity.value) * source.factor / target.factor


def same_quantity(answer: Quantity, key: Quantity, tolerance: float | None = None) -> bool:
    """Whether `answer` states `key` (within `tolerance`, in the key's unit; 50 % is also 0,5)."""
    candidates: list[Fraction | float] = []
    if answer.unit and key.unit and answer.unit != key.unit:
        converted = _in_unit(answer, key.unit)
        if converted is None:
            return False
        candidates.append(converted)
    else:
        candidates.append(answer.value)
    if key.percent and not answer.percent:
        candidates.append(Fraction(answer.value) * 100)
    if answer.percent and not key.percent:
        candidates.append(Fraction(answer.value) / 100)
    allowed = abs(tolerance) if tolerance else EXACT_EPSILON * max(1.0, abs(float(key.value)))
    return any(abs(float(value) - float(key.value)) <= allowed + EXACT_EPSILON for value in candidates)


__all__ = ["Quantity", "fold", "has_negation", "normalize", "parse_quantity", "same_quantity", "words"]
