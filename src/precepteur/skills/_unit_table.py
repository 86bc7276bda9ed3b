"""The units the conversion skill knows: symbol, dimension, exact factor to the base unit, names.

Bases: metre (length), gram (mass), second (time), litre (volume, 1 L = 1 dm³),
square metre (area), metre per second (speed). Factors are exact `Fraction`s, so
"2,5 km en m" is exactly 2500. Names are folded (lower case, no accents) as the
intent parser sees them; ambiguous words are left out on purpose ("in" is a
preposition, not inches; "ton" and "livre" have several meanings; months and years
have no fixed length).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction as F


@dataclass(frozen=True)
class Unit:
    symbol: str
    dimension: str
    factor: F  # how many base units one of this unit is
    names: tuple[str, ...]
    english_symbol: str = ""  # where English writes it differently ("d" for "j")

    def shown(self, lang: str) -> str:
        """The symbol a reader of `lang` expects."""
        return self.english_symbol if lang == "en" and self.english_symbol else self.symbol


def _metric(prefixes, base_symbol, dimension, base_names_fr, base_names_en, power=1):
    """Metric prefixes of one base: (prefix symbol, French prefix, English prefix, exponent)."""
    units = []
    for sym, fr, en, exponent in prefixes:
        names = tuple(
            f"{p}{n}" for p in {fr, en} for n in base_names_fr + base_names_en
        )
        units.append(Unit(f"{sym}{base_symbol}", dimension, F(10) ** (exponent * power), names))
    return units


_PREFIXES = [("m", "milli", "milli", -3), ("c", "centi", "centi", -2), ("d", "deci", "deci", -1),
             ("", "", "", 0), ("da", "deca", "deka", 1), ("h", "hecto", "hecto", 2), ("k", "kilo", "kilo", 3)]

_LENGTH = _metric(_PREFIXES, "m", "length", ["metre", "metres"], ["meter", "meters"])
_MASS = _metric(_PREFIXES, "g", "mass", ["gramme", "grammes"], ["gram", "grams"])
_VOLUME = _metric([p for p in _PREFIXES if p[0] in ("m", "c", "d", "", "h")], "L", "volume",
                  ["litre", "litres"], ["liter", "liters"])
_AREA = [
    Unit(u.symbol + "²", "area", u.factor**2,
         tuple(f"{n} carre" for n in u.names) + tuple(f"{n} carres" for n in u.names)
         + tuple(f"square {n}" for n in u.names))
    for u in _LENGTH
]
_CUBIC = [
    Unit(u.symbol + "³", "volume", u.factor**3 * 1000,
         tuple(f"{n} cube" for n in u.names) + tuple(f"{n} cubes" for n in u.names)
         + tuple(f"cubic {n}" for n in u.names))
    for u in _LENGTH if u.symbol in ("mm", "cm", "dm", "m", "km")
]

UNITS: list[Unit] = [
    *_LENGTH,
    Unit("in", "length", F(254, 10000), ("inch", "inches", "pouce", "pouces")),
    Unit("ft", "length", F(3048, 10000), ("ft", "foot", "feet", "pied", "pieds")),
    Unit("yd", "length", F(9144, 10000), ("yd", "yard", "yards")),
    Unit("mi", "length", F(1609344, 1000), ("mi", "mile", "miles")),
    *_MASS,
    Unit("kg", "mass", F(1000), ("kilo", "kilos", "kgs")),
    Unit("t", "mass", F(1_000_000), ("t", "tonne", "tonnes", "metric ton", "metric tons")),
    Unit("lb", "mass", F(45359237, 100000), ("lb", "lbs", "pound", "pounds")),
    Unit("oz", "mass", F(28349523125, 10**9), ("oz", "ounce", "ounces")),
    Unit("ms", "time", F(1, 1000), ("ms", "milliseconde", "millisecondes", "millisecond", "milliseconds")),
    Unit("s", "time", F(1), ("s", "sec", "secs", "seconde", "secondes", "second", "seconds")),
    Unit("min", "time", F(60), ("min", "mins", "mn", "minute", "minutes")),
    Unit("h", "time", F(3600), ("h", "hr", "hrs", "heure", "heures", "hour", "hours")),
    Unit("j", "time", F(86400), ("j", "jour", "jours", "journee", "journees", "day", "days"), "d"),
    Unit("sem.", "time", F(604800), ("semaine", "semaines", "week", "weeks"), "wk"),
    *_VOLUME,
    *_CUBIC,
    *_AREA,
    Unit("ha", "area", F(10000), ("ha", "hectare", "hectares")),
    Unit("a", "area", F(100), ("are", "ares")),
    Unit("km/h", "speed", F(1000, 3600), (
        "km/h", "km.h-1", "km h-1", "km/heure", "kmh", "kph", "km a l'heure", "kilometre par heure",
        "kilometres par heure", "kilometre a l'heure", "kilometres a l'heure", "kilometre/heure",
        "kilometres/heure", "kilometer per hour", "kilometers per hour", "kilometre per hour",
        "kilometres per hour", "kilometers an hour", "kilometres an hour")),
    Unit("m/s", "speed", F(1), (
        "m/s", "m.s-1", "m s-1", "metre par seconde", "metres par seconde", "meter per second",
        "meters per second", "metre per second", "metres per second")),
    Unit("mph", "speed", F(1609344, 3600000), ("mph", "mile per hour", "miles per hour", "miles an hour")),
]


AMBIGUOUS_SYMBOLS = frozenset({"a", "sem."})  # "a" is a verb and an article


def _lexicon() -> dict[str, Unit]:
    table: dict[str, Unit] = {}
    for unit in UNITS:
        symbols = () if unit.symbol in AMBIGUOUS_SYMBOLS else (unit.symbol.lower(),)
        for name in (*symbols, *unit.names):
            table.setdefault(name.replace("²", "2").replace("³", "3"), unit)
            table.setdefault(name, unit)
    for unit in UNITS:  # "m2", "cm3": the superscript typed as a digit
        if unit.symbol[-1] in "²³":
            table[unit.symbol.lower().replace("²", "2").replace("³", "3")] = unit
    return table


LEXICON = _lexicon()
