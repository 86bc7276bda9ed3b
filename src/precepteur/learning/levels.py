"""French school levels, CP to Terminale, plus adults, and how to speak to each.

`parse_level` accepts the ways people write them ("6e", "sixième", "2nde",
"seconde", "1ère", "terminale", "Tle", "CM2"...).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Level:
    code: str
    label_fr: str
    label_en: str
    age: str
    cycle: str  # "primaire" | "college" | "lycee" | "adulte"
    style_fr: str
    style_en: str


_PRIMARY_FR = "Phrases très courtes, mots simples, un exemple concret de la vie quotidienne, pas de jargon."
_PRIMARY_EN = "Very short sentences, simple words, one concrete everyday example, no jargon."
_COLLEGE_FR = "Phrases claires, vocabulaire du collège, définis chaque mot technique, un exemple."
_COLLEGE_EN = "Clear sentences, middle-school vocabulary, define each technical word, one example."
_LYCEE_FR = "Vocabulaire précis du lycée, rigueur, un exemple ou un contre-exemple, lien avec le programme."
_LYCEE_EN = "Precise high-school vocabulary, rigour, an example or counter-example, link to the curriculum."

LEVELS: tuple[Level, ...] = (
    Level("CP", "CP", "Year 1 (CP)", "6-7", "primaire", _PRIMARY_FR, _PRIMARY_EN),
    Level("CE1", "CE1", "Year 2 (CE1)", "7-8", "primaire", _PRIMARY_FR, _PRIMARY_EN),
    Level("CE2", "CE2", "Year 3 (CE2)", "8-9", "primaire", _PRIMARY_FR, _PRIMARY_EN),
    Level("CM1", "CM1", "Year 4 (CM1)", "9-10", "primaire", _PRIMARY_FR, _PRIMARY_EN),
    Level("CM2", "CM2", "Year 5 (CM2)", "10-11", "primaire", _PRIMARY_FR, _PRIMARY_EN),
    Level("6e", "Sixième", "Year 6 (6e)", "11-12", "college", _COLLEGE_FR, _COLLEGE_EN),
    Level("5e", "Cinquième", "Year 7 (5e)", "12-13", "college", _COLLEGE_FR, _COLLEGE_EN),
    Level("4e", "Quatrième", "Year 8 (4e)", "13-14", "college", _COLLEGE_FR, _COLLEGE_EN),
    Level("3e", "Troisième", "Year 9 (3e)", "14-15", "college", _COLLEGE_FR, _COLLEGE_EN),
    Level("2nde", "Seconde", "Year 10 (2nde)", "15-16", "lycee", _LYCEE_FR, _LYCEE_EN),
    Level("1re", "Première", "Year 11 (1re)", "16-17", "lycee", _LYCEE_FR, _LYCEE_EN),
    Level("Terminale", "Terminale", "Year 12 (Terminale)", "17-18", "lycee", _LYCEE_FR, _LYCEE_EN),
    Level(
        "adulte", "Adulte", "Adult", "18+", "adulte",
        "Registre adulte, précis et concis.", "Adult register, precise and concise.",
    ),
)
BY_CODE = {lvl.code: lvl for lvl in LEVELS}
DEFAULT_LEVEL = "adulte"

_ALIASES = {
    "cp": "CP", "ce1": "CE1", "ce2": "CE2", "cm1": "CM1", "cm2": "CM2",
    "6e": "6e", "6eme": "6e", "6ieme": "6e", "sixieme": "6e",
    "5e": "5e", "5eme": "5e", "cinquieme": "5e",
    "4e": "4e", "4eme": "4e", "quatrieme": "4e",
    "3e": "3e", "3eme": "3e", "troisieme": "3e",
    "2nde": "2nde", "2de": "2nde", "seconde": "2nde", "2e": "2nde",
    "1re": "1re", "1ere": "1re", "premiere": "1re", "1e": "1re",
    "terminale": "Terminale", "tle": "Terminale", "term": "Terminale", "tale": "Terminale",
    "adulte": "adulte", "adult": "adulte", "superieur": "adulte",
}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in text if not unicodedata.combining(c)).replace(" ", "")


def parse_level(text: str | None) -> Level | None:
    """The Level written as `text`, or None if it is not a level."""
    if not text:
        return BY_CODE[DEFAULT_LEVEL]
    return BY_CODE.get(_ALIASES.get(_fold(text), ""))


def level_codes() -> list[str]:
    return [lvl.code for lvl in LEVELS]
