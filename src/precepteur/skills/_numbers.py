"""Numbers as learners write and read them, in French and in English.

Parsing: digits with a decimal comma ("3,5") or point ("3.5"), thousands grouped by
spaces ("1 000") or, in English, by commas ("1,000" — but "3,5" stays a decimal:
only a comma followed by exactly three digits in an English text groups thousands),
and number words ("sept", "vingt-deux", "quatre-vingt-dix", "twenty-two").
Formatting: exact integers and decimals in the reader's convention ("12,5" / "12.5"),
fractions, and approximations.

Constants: `GROUP_FROM` (integers from this size are printed with grouped thousands),
`MAX_DECIMALS` (a terminating decimal longer than this is printed as an approximation),
`APPROX_DECIMALS` (decimals shown in an approximation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

GROUP_FROM = 10_000
MAX_DECIMALS = 6
APPROX_DECIMALS = 3

_FR_UNITS = {
    "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
    "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40,
    "cinquante": 50, "soixante": 60, "cent": 100, "cents": 100, "mille": 1000,
    "million": 1_000_000, "millions": 1_000_000,
}
_EN_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
    "million": 1_000_000, "millions": 1_000_000,
}
NUMBER_WORDS = {**_FR_UNITS, **_EN_UNITS}
_SCALES = {100, 1000, 1_000_000}

_FR_NAMES = (
    "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize "
    "dix-sept dix-huit dix-neuf"
).split()
_FR_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante", 8: "quatre-vingt"}
_EN_NAMES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_EN_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()

# One number written with digits: optional sign, integer part (maybe grouped), decimals, "/ denominator".
_DIGITS = re.compile(
    r"(?<![\w.,])(?P<sign>-(?=\d))?"
    r"(?P<int>\d{1,3}(?:\.\d{3}){2,}(?!\d)|\d{1,3}(?: \d{3})+(?!\d)|\d{1,3}(?:,\d{3})+(?!\d|,\d)|\d+)"
    r"(?:[.,](?P<dec>\d+))?"
)
_WORD_TOKEN = re.compile(r"[a-zàâäçéèêëîïôöùûüÿ]+(?:-[a-zàâäçéèêëîïôöùûüÿ]+)*", re.I)


@dataclass(frozen=True)
class NumberMatch:
    """A number found in a text: its span, exact value and how many decimals it was written with."""

    start: int
    end: int
    value: Fraction
    decimals: int
    text: str


def _digits_value(m: re.Match, lang: str) -> tuple[Fraction, int] | None:
    raw, dec = m.group("int"), m.group("dec")
    if "," in raw and lang != "en":
        return None  # "1,000" in French is read as a decimal by the caller's second pass
    integer = int(raw.replace(" ", "").replace(",", "").replace(".", ""))
    value = Fraction(integer) + (Fraction(int(dec), 10 ** len(dec)) if dec else 0)
    return (-value if m.group("sign") else value), len(dec or "")


def scan_digits(text: str, lang: str = "fr", signed: bool = True) -> list[NumberMatch]:
    """Numbers written with digits in `text` (see the module docstring for the conventions).

    With `signed`, a minus sign glued to the digits and not following a digit or a
    letter belongs to the number ("x = -4", but not "1914-1918").
    """
    found = []
    pos = 0
    while True:
        m = _DIGITS.search(text, pos)
        if m is None:
            return found
        parsed = _digits_value(m, lang)
        if parsed is None:  # French: "1,000" is 1.000 (decimal comma) — re-read without grouping
            m = re.compile(r"(?P<sign>-(?=\d))?(?P<int>\d+)(?:[.,](?P<dec>\d+))?").match(text, m.start())
            parsed = _digits_value(m, lang)
        value, decimals = parsed
        start = m.start()
        if m.group("sign") and (not signed or re.search(r"[\w)]$|[\d)]\s+$", text[:start])):
            value, start = -value, start + 1
        found.append(NumberMatch(start, m.end(), value, decimals, text[start : m.end()]))
        pos = m.end()


def words_value(tokens: list[str]) -> int | None:
    """The integer named by a run of number words ("quatre", "vingt", "dix") or None."""
    total, current, previous = 0, 0, None
    for token in tokens:
        value = NUMBER_WORDS.get(token)
        if value is None:
            return None
        if value == 20 and previous == 4 and current % 100 == 4:  # quatre-vingt(s)
            current += 76
        elif value == 100:
            current = (current or 1) * 100
        elif value >= 1000:
            total += (current or 1) * value
            current = 0
        else:
            current += value
        previous = value
    return total + current


def scan_words(text: str) -> list[NumberMatch]:
    """Numbers written in words (French or English) in `text`, e.g. "vingt et un", "twenty-two"."""
    from ._text import strip_accents

    found = []
    tokens = [(m.start(), m.end(), strip_accents(m.group(0).lower())) for m in _WORD_TOKEN.finditer(text)]
    i = 0
    while i < len(tokens):
        run: list[str] = []
        j = i
        while j < len(tokens):
            if j > i and text[tokens[j - 1][1] : tokens[j][0]].strip():
                break
            parts = tokens[j][2].split("-")
            if all(p in NUMBER_WORDS or p == "et" for p in parts) and parts[0] != "et":
                run.extend(p for p in parts if p != "et")
                j += 1
            elif tokens[j][2] in ("et", "and") and run and j + 1 < len(tokens):
                nxt = tokens[j + 1][2].split("-")[0]
                joins = (tokens[j][2] == "et" and nxt in ("un", "une", "onze")) or (
                    tokens[j][2] == "and" and NUMBER_WORDS.get(run[-1], 0) in _SCALES and nxt in NUMBER_WORDS
                )
                if not joins:
                    break
                j += 1
            else:
                break
        if run:
            value = words_value(run)
            if value is not None:
                start, end = tokens[i][0], tokens[j - 1][1]
                found.append(NumberMatch(start, end, Fraction(value), 0, text[start:end]))
            i = j
        else:
            i += 1
    return found


def scan_numbers(text: str, lang: str = "fr") -> list[NumberMatch]:
    """Every number in `text`, digits and words, in order of position."""
    return sorted(scan_digits(text, lang) + scan_words(text), key=lambda n: n.start)


def is_terminating(value: Fraction) -> bool:
    """Does `value` have a finite decimal expansion (denominator made of 2s and 5s)?"""
    d = value.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def _group(digits: str, sep: str) -> str:
    out = []
    while len(digits) > 3:
        out.insert(0, digits[-3:])
        digits = digits[:-3]
    out.insert(0, digits)
    return sep.join(out)


def format_decimal(value: Fraction, lang: str, decimals: int | None = None) -> str:
    """`value` written in `lang`'s convention; rounded to `decimals` places when given."""
    if decimals is None:
        decimals = 0
        while (value * 10**decimals).denominator != 1 and decimals < MAX_DECIMALS:
            decimals += 1
    scaled = round(abs(value) * 10**decimals)
    sign = "-" if value < 0 and scaled else ""
    integer, frac = divmod(scaled, 10**decimals)
    int_text = str(integer)
    if integer >= GROUP_FROM:
        int_text = _group(int_text, " " if lang == "fr" else ",")
    if decimals:
        frac_text = str(frac).rjust(decimals, "0").rstrip("0")
        if frac_text:
            return f"{sign}{int_text}{',' if lang == 'fr' else '.'}{frac_text}"
    return f"{sign}{int_text}"


def format_exact(value: Fraction, lang: str) -> str:
    """An exact value: integer, terminating decimal, or fraction "a/b"."""
    if value.denominator == 1 or (is_terminating(value) and _decimal_places(value) <= MAX_DECIMALS):
        return format_decimal(value, lang)
    return f"{value.numerator}/{value.denominator}"


def _decimal_places(value: Fraction) -> int:
    places = 0
    while (value * 10**places).denominator != 1:
        places += 1
    return places


def format_approx(value: float | Fraction, lang: str, decimals: int = APPROX_DECIMALS) -> str:
    """A rounded value (no "≈" sign): small numbers keep `decimals` significant digits."""
    value = Fraction(value)
    if value != 0 and abs(value) < 1:
        shift = 0
        while abs(value) * 10 ** (shift + 1) < 1:
            shift += 1
        decimals = shift + decimals
    return format_decimal(value, lang, decimals)


def decimal_forms(value: Fraction) -> list[str]:
    """Both decimal spellings of a terminating value ("12,5", "12.5"), ungrouped."""
    text = format_decimal(value, "en").replace(",", "")
    return list(dict.fromkeys([text.replace(".", ","), text]))


def approx_forms(value: float | Fraction) -> list[str]:
    """Rounded spellings that state an irrational or repeating value (2 to 4 decimals, both separators)."""
    forms = []
    for decimals in (APPROX_DECIMALS, 2, 4):
        text = format_approx(value, "en", decimals).replace(",", "")
        forms += [text.replace(".", ","), text]
    return list(dict.fromkeys(forms))


def integer_words(n: int, lang: str) -> str | None:
    """An integer from 0 to 100 in words ("six", "vingt et un", "twenty-one"), else None."""
    if not 0 <= n <= 100:
        return None
    if lang == "en":
        if n < 20:
            return _EN_NAMES[n]
        if n == 100:
            return "one hundred"
        tens, unit = divmod(n, 10)
        return _EN_TENS[tens] + (f"-{_EN_NAMES[unit]}" if unit else "")
    if n < 20:
        return _FR_NAMES[n]
    if n == 100:
        return "cent"
    tens, unit = divmod(n, 10)
    if tens in (7, 9):
        base, unit = _FR_TENS[tens - 1], unit + 10
    else:
        base = _FR_TENS[tens]
    if unit == 0:
        return base + ("s" if tens == 8 else "")
    if unit in (1, 11) and tens not in (8, 9):
        return f"{base} et {_FR_NAMES[unit]}"
    return f"{base}-{_FR_NAMES[unit]}"
