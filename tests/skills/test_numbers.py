"""Reading and writing numbers the French and English ways."""

import json
from fractions import Fraction
from importlib import resources

import pytest

from precepteur.skills._numbers import format_decimal, format_exact, integer_words, scan_numbers


@pytest.mark.parametrize(
    ("text", "lang", "values"),
    [
        ("3,5 et 3.5", "fr", [Fraction(7, 2), Fraction(7, 2)]),
        ("1 000 + 2 500", "fr", [1000, 2500]),
        ("1,000 + 2,500", "en", [1000, 2500]),
        ("1,000", "fr", [1]),
        ("1,234,567.5", "en", [Fraction(2469135, 2)]),
        ("x = -4", "fr", [-4]),
        ("1914-1918", "fr", [1914, 1918]),
        ("vingt et un, quatre-vingt-dix-sept, soixante et onze", "fr", [21, 97, 71]),
        ("twenty-two and one hundred and five", "en", [22, 105]),
        ("six lettres", "fr", [6]),
    ],
)
def test_scan_numbers(text, lang, values):
    assert [n.value for n in scan_numbers(text, lang)] == values


def test_formatting():
    assert format_decimal(Fraction(25, 2), "fr") == "12,5"
    assert format_decimal(Fraction(25, 2), "en") == "12.5"
    assert format_decimal(Fraction(1234567), "fr") == "1 234 567"
    assert format_decimal(Fraction(1234567), "en") == "1,234,567"
    assert format_exact(Fraction(11, 12), "fr") == "11/12"
    assert [integer_words(n, "fr") for n in (6, 21, 71, 80, 99)] == [
        "six", "vingt et un", "soixante et onze", "quatre-vingts", "quatre-vingt-dix-neuf"]
    assert integer_words(42, "en") == "forty-two"


def test_catalogue_has_the_same_keys_in_both_languages():
    folder = resources.files("precepteur") / "locales"
    fr = json.loads((folder / "fr" / "skills.json").read_text(encoding="utf-8"))
    en = json.loads((folder / "en" / "skills.json").read_text(encoding="utf-8"))
    assert fr.keys() == en.keys()
