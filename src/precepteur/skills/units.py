"""Unit conversions and speed problems: "convertis 2,5 km en m", "à 90 km/h pendant 2 h 30".

`convert(value, from_unit, to_unit)` is exact (Fractions all the way). The intent
parser finds quantities (a number, possibly in words — "une heure" — followed by a
unit, and durations such as "2 h 30" or "une heure et demie") and bare target units
("en mètres", "combien de minutes"), then recognises:

- a conversion: one quantity and one target unit of the same dimension;
- a motion problem: a speed with a duration (-> distance), a distance (-> duration),
  or a distance with a duration (-> speed).

Every other word must be a filler or a cue of that problem, so a word problem with
more going on is left to the model.

Constants: `MAX_EXACT_DECIMALS` (longer results are rounded and marked ≈).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from ..i18n import t
from .result import SkillResult
from ._numbers import approx_forms, format_approx, format_decimal, is_terminating, scan_numbers, scan_words
from ._text import fold, only_fillers
from ._unit_table import LEXICON, Unit

MAX_EXACT_DECIMALS = 6

_UNIT_ALT = "|".join(re.escape(name) for name in sorted(LEXICON, key=len, reverse=True))
_UNIT_RE = re.compile(r"(?<![^\W\d_]|/)(" + _UNIT_ALT + r")(?![\w²³/'-])")
_HM = re.compile(
    r"(\d+)\s*(?:h|heures?|hours?|hrs?)\s*(?:et\s+|and\s+)?(\d{1,2})(?:\s*(?:min|minutes?|mn)\b)?(?![\d]|[,.]\d|\s*[a-z]*/)"
)
_HALF = re.compile(r"(\d+)\s*(?:h|heures?|hours?)\s+(?:et demie?|and a half)\b")
_QUARTER = re.compile(r"(\d+)\s*(?:h|heures?|hours?)\s+(?:et quart|and a quarter)\b")
_FRACTION_HOURS = [
    (re.compile(r"\b(?:une |a |1 )?demi-heure\b|\bhalf an hour\b|\ba half hour\b"), Fraction(1, 2)),
    (re.compile(r"\b(?:un |a |1 )?quart d'heure\b|\ba quarter of an hour\b"), Fraction(1, 4)),
    (re.compile(r"\b(?:trois|3) quarts d'heure\b|\bthree quarters of an hour\b"), Fraction(3, 4)),
]
_TARGET_MARK = re.compile(r"(?:\ben|\bin|\binto|\bto|\bde|\bd'|\bmany|\bmuch|\bdes|=\s*\??|\?|\bcombien)\s*$")
_CONVERT_WORDS = frozenset(
    """convertis convertir convertissez conversion convert converti exprime exprimer exprimez express
    convertit convertie convertis-moi transforme transformer transformez change changer en in into to dans y a-t-il il there are is many
    much how combien un une les the of a an ca fait font ce qui egal egale equivaut equivalent
    correspond represente makes make equal equals vaut valent avoir get c'est cest nombre number
    total au one per par as soit donne gives""".split()
)
_MOTION_WORDS = frozenset(
    """a at pendant durant for during en in distance parcourt parcourir parcouru parcourue parcourra
    parcours parcourent parcourus far loin how long temps time duree met mettra mettre met-il met-elle
    faut-il faut take takes taken need vitesse speed moyenne average fast vite roule rouler roulant
    travels travel travelling traveling drives drive driving goes go going moves move walks walk runs
    run cover covers covered voiture car train cycliste velo bike cyclist bus avion plane moto pieton
    marcheur coureur runner person personne il elle it does will quelle quel une un la le l les on
    va ira constante constant what is combien de km kilometres distance? de the of if si what's d
    sa son its his her vole voler flies fly flying nage swims marche court avance avancant pour faut-il mettre needed needs minutes heures hours""".split()
)
# "Il pèse 3 kg, c'est combien en grammes ?": a short subject and a measuring verb may
# stand before the one quantity of a conversion (the verb must touch the quantity).
_CONTEXT = re.compile(
    r"^\s*(?:[a-z][\w'-]*\s+){1,3}"
    r"(?:(?:a|ai|as|avons|ont|est|has|have|had|was|is)\s+)?"
    r"(?:pese|pesait|pesera|pesent|dure|durait|durera|durent|mesure|mesurait|mesurent|contient|contenait"
    r"|contiennent|fait|faisait|font|parcourt|parcourent|parcouru|couru|court|marche|nage|roule|roulait"
    r"|a une (?:masse|longueur|duree|contenance|capacite|hauteur|largeur|taille|distance) de"
    r"|weighs|weighed|weigh|lasts|lasted|last|measures|measured|holds|held|contains|contained|runs|ran"
    r"|walks|walked|swims|swam|travels|traveled|travelled|drives|drove|covers|covered|takes|took|prend"
    r"|has a (?:mass|length|duration|capacity|height|width) of)\s*$"
)
_CONTEXT_AFTER = frozenset("long longue large haut haute de high wide tall ca fait cela".split())


@dataclass(frozen=True)
class Quantity:
    value: Fraction
    unit: Unit
    start: int
    end: int
    text: str  # as the learner should read it back ("2 h 30 min", "2,5 km")


def convert(value, from_unit: str, to_unit: str) -> Fraction:
    """`value` in `from_unit` expressed in `to_unit` (symbols or names: "km", "mètres", "L", "m³")."""
    source, target = _unit(from_unit), _unit(to_unit)
    if source.dimension != target.dimension:
        raise ValueError(f"cannot convert {source.symbol} ({source.dimension}) to {target.symbol} ({target.dimension})")
    return Fraction(value) * source.factor / target.factor


def _unit(name: str) -> Unit:
    key = fold(name).replace("²", "2").replace("³", "3")
    unit = LEXICON.get(key) or LEXICON.get(name) or LEXICON.get(fold(name))
    if unit is None:
        raise ValueError(f"unknown unit: {name!r}")
    return unit


def _format(value: Fraction, lang: str) -> tuple[str, bool]:
    """(text, exact) for a converted value."""
    if is_terminating(value) and (value * 10**MAX_EXACT_DECIMALS).denominator == 1:
        return format_decimal(value, lang), True
    return format_approx(value, lang), False


def _hours_minutes(hours: Fraction, lang: str) -> str:
    total_minutes = hours * 60
    if total_minutes.denominator != 1 or hours.denominator == 1 or hours > 1000:
        return ""
    h, m = divmod(int(total_minutes), 60)
    return t("skills.units.hours_minutes", lang, hm=f"{h} h {m:02d} min" if h else f"{m} min")


def _durations(text: str) -> list[Quantity]:
    hour = LEXICON["h"]
    found = []
    for m in _HM.finditer(text):
        value = Fraction(int(m.group(1))) + Fraction(int(m.group(2)), 60)
        found.append(Quantity(value, hour, m.start(), m.end(), f"{m.group(1)} h {int(m.group(2)):02d} min"))
    for pattern, extra in ((_HALF, Fraction(1, 2)), (_QUARTER, Fraction(1, 4))):
        for m in pattern.finditer(text):
            value = int(m.group(1)) + extra
            found.append(Quantity(value, hour, m.start(), m.end(), f"{m.group(1)} h {int(extra * 60):02d} min"))
    for pattern, value in _FRACTION_HOURS:
        for m in pattern.finditer(text):
            found.append(Quantity(value, hour, m.start(), m.end(), f"{int(value * 60)} min"))
    return found


def _unit_number_words(text: str) -> str:
    """Number words that count a unit written as digits ("une heure" -> "1 heure"), others kept."""
    for n in reversed(scan_words(text)):
        after = len(text[n.end :]) - len(text[n.end :].lstrip())
        if _UNIT_RE.match(text, n.end + after) and after:
            text = text[: n.start] + str(n.value.numerator) + text[n.end :]
    return text


def quantities(text: str, lang: str) -> tuple[list[Quantity], list[tuple[int, int, Unit]]]:
    """Quantities and bare target units of a folded text (number words already digits)."""
    text = re.sub(r"(?<!half )(?<!of )\b(?:an?|per|one)\s+(?=(?:" + _UNIT_ALT + r")\b)", lambda m: "1" + " " * (len(m.group(0)) - 1), text)
    found = _durations(text)
    taken = [(q.start, q.end) for q in found]
    numbers = scan_numbers(text, lang)
    units = [m for m in _UNIT_RE.finditer(text)]
    bare = []
    for m in units:
        if any(s <= m.start() < e for s, e in taken):
            continue
        before = [n for n in numbers if n.end <= m.start() and not text[n.end : m.start()].strip()]
        unit = LEXICON[m.group(1)]
        if before:
            n = before[-1]
            if any(s <= n.start < e for s, e in taken):
                continue
            shown = f"{format_decimal(n.value, lang)} {unit.shown(lang)}"
            found.append(Quantity(n.value, unit, n.start, m.end(), shown))
            taken.append((n.start, m.end()))
        elif _TARGET_MARK.search(text[: m.start()]):
            bare.append((m.start(), m.end(), unit))
    return sorted(found, key=lambda q: q.start), bare


def _residual(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _fact(source: str, value: Fraction, unit: Unit, lang: str, key: str, **params) -> SkillResult:
    from .arithmetic import value_accept

    number, exact = _format(value, lang)
    symbol = unit.shown(lang)
    result = f"{number} {symbol}" if exact else f"≈ {number} {symbol}"
    extra = _hours_minutes(value, lang) if unit.symbol == "h" else ""
    if key == "skills.units.convert" and not exact:
        key = "skills.units.convert_approx"
    statement = t(key, lang, source=source, target=result.lstrip("≈ "), result=result, extra=extra, **params)
    accept = [result, f"{number}{symbol}"]
    accept += value_accept(value) if exact else approx_forms(value)
    if extra:
        h, m = divmod(int(value * 60), 60)
        accept += [f"{h} h {m:02d}", f"{h}h{m:02d}", f"{h} h {m:02d} min"]
    return SkillResult("units", result, statement, list(dict.fromkeys(accept)))


_DEG = r"(?:°\s*|deg(?:re|ree)?s?\s+)"
_SCALE = r"(?:" + _DEG + r"?(?P<{0}>celsius|fahrenheit|kelvins?)|" + _DEG + r"(?P<{0}s>[cfk])(?![\w'])|(?<=\d)\s*°(?P<{0}d>[cfk])(?![\w']))"
_TEMPERATURE = re.compile(
    r"(?P<n>-?\d+(?:[.,]\d+)?)\s*" + _SCALE.format("a")
    + r"(?P<mid>.*?)\b(?:en|in|to|into|=)\s+(?:\?\s*)?" + _SCALE.format("b").replace("(?<=\\d)\\s*", "")
)
_TEMPERATURE_UNITS = {
    "c": Unit("°C", "temperature", Fraction(1), ()), "f": Unit("°F", "temperature", Fraction(1), ()),
    "k": Unit("K", "temperature", Fraction(1), ()),
}


def _to_celsius(value: Fraction, scale: str) -> Fraction:
    return {"c": value, "f": (value - 32) * Fraction(5, 9), "k": value - Fraction(27315, 100)}[scale]


def _from_celsius(value: Fraction, scale: str) -> Fraction:
    return {"c": value, "f": value * Fraction(9, 5) + 32, "k": value + Fraction(27315, 100)}[scale]


def _temperature(text: str, lang: str) -> SkillResult | None:
    """"30 °C en °F", "convert 100 fahrenheit to celsius": affine, so not in the factor table."""
    m = _TEMPERATURE.search(text)
    if m is None:
        return None
    source = (m.group("a") or m.group("as") or m.group("ad"))[0]
    target = (m.group("b") or m.group("bs") or m.group("bd"))[0]
    residual = text[: m.start()] + " " + m.group("mid") + " " + text[m.end() :]
    if source == target or not only_fillers(residual, _CONVERT_WORDS | {"temperature", "degres", "degrees"}):
        return None
    value = Fraction(m.group("n").replace(",", "."))
    unit = _TEMPERATURE_UNITS[source]
    shown = f"{format_decimal(value, lang)} {unit.symbol}"
    return _fact(shown, _from_celsius(_to_celsius(value, source), target), _TEMPERATURE_UNITS[target], lang,
                 "skills.units.convert")


def detect_units(clause: str, lang: str) -> SkillResult | None:
    """The conversion or motion fact one clause asks for, or None."""
    temperature = _temperature(fold(clause), lang)
    if temperature is not None:
        return temperature
    text = _unit_number_words(fold(clause))
    found, bare = quantities(text, lang)
    spans = [(q.start, q.end) for q in found] + [(s, e) for s, e, _ in bare]
    residual = _residual(text, spans)
    if len(found) == 1 and len(bare) == 1:
        q, (target_start, _, target) = found[0], bare[0]
        if q.unit.dimension != target.dimension:
            return None
        if not only_fillers(residual, _CONVERT_WORDS) and not (
            target_start > q.end and _CONTEXT.match(residual[: q.start])
            and only_fillers(residual[q.end :], _CONVERT_WORDS | _CONTEXT_AFTER)
        ):
            return None
        if q.unit == target:
            return None
        value = q.value * q.unit.factor / target.factor
        return _fact(q.text, value, target, lang, "skills.units.convert")
    if len(found) == 2 and len(bare) <= 1 and only_fillers(residual, _MOTION_WORDS):
        return _motion(found, bare[0][2] if bare else None, residual, lang)
    return None


def _motion(found: list[Quantity], target: Unit | None, residual: str, lang: str) -> SkillResult | None:
    by_dim = {q.unit.dimension: q for q in found}
    if len(by_dim) != 2:
        return None
    speed, duration, distance = by_dim.get("speed"), by_dim.get("time"), by_dim.get("length")
    if speed and duration:
        meters = speed.value * speed.unit.factor * duration.value * duration.unit.factor
        unit = target if target and target.dimension == "length" else LEXICON[
            {"km/h": "km", "m/s": "m", "mph": "mi"}[speed.unit.symbol]]
        return _fact("", meters / unit.factor, unit, lang, "skills.units.distance",
                     speed=speed.text, duration=duration.text)
    if speed and distance:
        seconds = distance.value * distance.unit.factor / (speed.value * speed.unit.factor)
        unit = target if target and target.dimension == "time" else LEXICON[
            "s" if speed.unit.symbol == "m/s" else "h"]
        return _fact("", seconds / unit.factor, unit, lang, "skills.units.duration",
                     speed=speed.text, distance=distance.text)
    if distance and duration and re.search(r"\b(?:vitesse|speed|fast|vite)\b", residual):
        mps = distance.value * distance.unit.factor / (duration.value * duration.unit.factor)
        default = "m/s" if distance.unit.symbol == "m" and duration.unit.symbol == "s" else (
            "mph" if distance.unit.symbol == "mi" else "km/h")
        unit = target if target and target.dimension == "speed" else LEXICON[default]
        return _fact("", mps / unit.factor, unit, lang, "skills.units.speed",
                     distance=distance.text, duration=duration.text)
    return None
