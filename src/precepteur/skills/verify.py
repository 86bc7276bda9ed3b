"""Does a model's answer state the verified result, or contradict it?

`answer_states` looks for the result among the numbers of the answer (digits with
either decimal separator and grouped thousands, fractions, number words such as
"six" or "vingt-deux") compared by value, so "16" never states 6 and "12.5" states
"12,5"; a repeating or irrational result is also stated by a correctly rounded or
truncated decimal ("≈ 0,92" for 11/12). Text results ("x = 4", "indéfini",
"1 h 30") are matched on folded text at word boundaries.

`contradicts` looks only at numbers in result position — next to the counted noun
("5 lettres"), the result's unit ("250 m"), after "=", "font", "is", "x =" — and
judges the last one, so a correct intermediate step ("3 × 4 = 12, puis 2 + 12 = 14")
is not mistaken for the final result.

Constants: `CLUSTER_GAP` (plain accept forms closer than this are roundings of one
value), `RESULT_CUES`, `PROBLEM_CUES` (program-aided facts), `NOUN_SYNONYMS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from ..textlang import detect_language
from .result import SkillResult
from ._numbers import NumberMatch, scan_digits, scan_words
from ._text import fold

CLUSTER_GAP = Fraction(1, 100)
RESULT_CUES = (
    r"=|≈|\bfont|\bfait|\begale?s?(?: a)?|\bvaut|\bvalent|\best(?: de| egale? a)?|\bsont|\bdonne|\btotal(?:e)?"
    r"|\bresultat(?: est)?|\breponse(?: est)?|\bsoit|\bis|\bequals?|\bmakes?|\bgives?|\bare|\banswer(?: is)?"
    r"|\bresult(?: is)?|\bget|\bobtient"
)
# A word problem's answer is also put forward by its verb: "la balle coûte 0,10 €", "il reste 3 billes".
PROBLEM_CUES = (
    r"|\bcoute(?:nt)?|\bcosts?|\bpaye?(?:nt)?|\bpays?|\breste(?:nt)?|\bleft|\bil y a|\bthere (?:are|is)"
    r"|\ba|\bont|\bhas|\bhave|\bmesure|\bpese|\bweighs?|\bdure|\btakes?|\bmet|\bfaut"
)
NOUN_SYNONYMS = {
    "lettre": ("lettre", "letter"), "voyelle": ("voyelle", "vowel"), "consonne": ("consonne", "consonant"),
    "mot": ("mot", "word"), "caractere": ("caractere", "character", "char"), "chiffre": ("chiffre", "digit"),
    "fois": ("fois", "time", "occurrence"), "letter": ("letter", "lettre"), "vowel": ("vowel", "voyelle"),
    "consonant": ("consonant", "consonne"), "word": ("word", "mot"), "character": ("character", "caractere"),
    "digit": ("digit", "chiffre"), "time": ("time", "fois", "occurrence"),
}
_PLAIN = re.compile(r"^-?\d+(?:\.\d+)?$|^-?\d+/\d+$")
_FRACTION = re.compile(r"(?<![\d.,/])(-?\d+)\s*/\s*(\d+)(?![\d/]|[.,]\d)")
_OPERATOR_AFTER = re.compile(r"^\s*(?:[-+×x*/÷^:]|fois|plus|moins|times|divided|minus)\s*[\d(]")


@dataclass(frozen=True)
class _Target:
    value: Fraction
    exact: bool


def _plain_value(form: str) -> Fraction | None:
    form = form.strip()
    if not _PLAIN.match(form):
        return None
    return Fraction(form) if "/" not in form or not form.endswith("/0") else None


def _targets(skill: SkillResult) -> list[_Target]:
    """The numeric values the result stands for (several for "x = -3 ou x = 3")."""
    approximate = "≈" in skill.result
    forms = [(f, v) for f in skill.accept for v in [_plain_value(f)] if v is not None]
    if not forms:
        found = _numbers(skill.result, "fr")
        forms = [(n.text, n.value) for n in found]
    clusters: list[list[tuple[str, Fraction]]] = []
    for form, value in sorted(forms, key=lambda fv: fv[1]):
        if clusters and abs(value - clusters[-1][-1][1]) < CLUSTER_GAP:
            clusters[-1].append((form, value))
        else:
            clusters.append([(form, value)])
    targets = []
    for cluster in clusters:
        fractions = [v for f, v in cluster if "/" in f]
        if fractions and not approximate:
            targets.append(_Target(fractions[0], True))
            continue
        form, value = max(cluster, key=lambda fv: len(fv[0].split(".")[-1]) if "." in fv[0] else 0)
        targets.append(_Target(value, not approximate))
    return targets


def _numbers(text: str, lang: str) -> list[NumberMatch]:
    """Numbers of an answer: fractions whole, then digits, then number words."""
    found: list[NumberMatch] = []
    for m in _FRACTION.finditer(text):
        if int(m.group(2)):
            found.append(NumberMatch(m.start(), m.end(), Fraction(int(m.group(1)), int(m.group(2))), 0, m.group(0)))
    taken = [(n.start, n.end) for n in found]
    for n in scan_digits(text, lang) + scan_words(text):
        if not any(s <= n.start < e for s, e in taken):
            found.append(n)
    return sorted(found, key=lambda n: n.start)


def _matches(n: NumberMatch, target: _Target) -> bool:
    if n.value == target.value:
        return True
    if n.decimals == 0:
        return False
    scale = 10**n.decimals
    if target.exact and (target.value * scale).denominator == 1:
        return False  # a terminating result must be written exactly
    scaled = abs(target.value) * scale
    sign = -1 if target.value < 0 else 1
    rounded, truncated = Fraction(sign * int(scaled + Fraction(1, 2)), scale), Fraction(sign * int(scaled), scale)
    return n.value in (rounded, truncated)


def _canon(text: str) -> str:
    text = fold(text).replace("≈", "=")
    text = re.sub(r"\s*=\s*", "=", text)
    return re.sub(r"\s+", " ", text).strip()


def _text_spans(answer: str, skill: SkillResult) -> list[tuple[int, int]]:
    """Spans of the canonical answer where a non-numeric accept form appears."""
    canon = _canon(answer)
    spans = []
    for form in skill.accept:
        if _plain_value(form) is not None or not re.search(r"[^\d\s.,/-]", form):
            continue
        if [n.text for n in scan_words(fold(form))] == [fold(form)]:
            continue  # a number word ("six"): compared by value, never as text ("un" is also an article)
        pattern = r"(?<![\w.,])" + re.escape(_canon(form)) + r"(?![\w]|[.,]\d)"
        spans += [(m.start(), m.end()) for m in re.finditer(pattern, canon)]
    return spans


def _variable(skill: SkillResult) -> str | None:
    m = re.match(r"^([a-z])\s*[=≈]", skill.result)
    return m.group(1) if skill.name == "equation" and m else None


def answer_states(answer: str, skill: SkillResult) -> bool:
    """Does `answer` state the verified result of `skill` (any accepted form, by value)?"""
    if _text_spans(answer, skill):
        return True
    targets = _targets(skill)
    if not targets:
        return False
    canon = _canon(answer)
    numbers = _numbers(canon, detect_language(answer))
    variable = _variable(skill)
    if variable:
        numbers = [n for n in numbers if re.search(rf"\b{variable}\s*(?:=|vaut|est|is|equals)\s*$|solutions?\D*$",
                                                   canon[max(0, n.start - 30) : n.start])]
    return all(any(_matches(n, target) for n in numbers) for target in targets)


def _result_nouns(skill: SkillResult) -> list[str]:
    """Words that, right after a number, make it a claim about this result ("lettres", "km", "fois")."""
    from ._unit_table import LEXICON

    nouns: list[str] = []
    if skill.name == "count":
        m = re.search(r"(?<![\d.,])" + re.escape(skill.result) + r"\s+([^\W\d_]+)", fold(skill.statement))
        if m:
            stem = m.group(1).rstrip("s")
            nouns += [s + "s?" for s in NOUN_SYNONYMS.get(stem, (stem,))]
        letter = re.search(r"(?:lettre|letter) [\"«]\s*(\w)\s*[\"»]", fold(skill.statement))
        if letter:
            nouns.append(re.escape(letter.group(1)) + r"(?:'?s)?(?!\w)")
    elif skill.name == "units":
        symbol = skill.result.split()[-1]
        unit = LEXICON.get(fold(symbol)) or LEXICON.get(symbol)
        if unit is not None:
            nouns += [re.escape(name) for name, u in LEXICON.items() if u == unit]
    return nouns


def _claims(answer: str, skill: SkillResult) -> list[NumberMatch]:
    """Numbers that `answer` puts forward as the result, in order."""
    canon = _canon(answer)
    numbers = _numbers(canon, detect_language(answer))
    nouns = _result_nouns(skill)
    variable = _variable(skill)
    protected = _text_spans(answer, skill)
    claims = []
    for n in numbers:
        if any(s <= n.start < e for s, e in protected):
            continue
        after, before = canon[n.end :], canon[max(0, n.start - 25) : n.start]
        if nouns and re.match(r"\s*(?:" + "|".join(nouns) + r")(?![\w/])", after):
            claims.append(n)
            continue
        if _OPERATOR_AFTER.match(after):
            continue
        if variable:
            if re.search(rf"(?<![\w]){variable}\s*(?:=|vaut|est|is|equals)\s*$", before):
                claims.append(n)
            continue
        cues = RESULT_CUES + (PROBLEM_CUES if skill.name == "program" else "")
        if skill.name in ("arithmetic", "program") and re.search(r"(?:" + cues + r")\s*$", before):
            if not (before.rstrip().endswith("=") and _correct_step(canon[: n.start], n)):
                claims.append(n)
        elif skill.name in ("count", "units") and re.search(r"=\s*$", before):
            claims.append(n)
    return claims


def _correct_step(before: str, n: NumberMatch) -> bool:
    """Is "<expression> = n" a true intermediate step ("3 × 4 = 12")?"""
    from .arithmetic import evaluate

    m = re.search(r"([\d\s.,()+\-×x*/÷^:²³√]+)=\s*$", before)
    if not m or not re.search(r"\d\s*[-+×x*/÷^:]\s*[\d(√]|√", m.group(1)):
        return False
    try:
        return evaluate(m.group(1).strip()) == n.value
    except (ValueError, ZeroDivisionError, ArithmeticError):
        return False


def contradicts(answer: str, skill: SkillResult) -> bool:
    """Does `answer` put forward a different final result than the verified one?"""
    if skill.name == "program" and not _targets(skill):
        from .program import text_contradicts

        return text_contradicts(answer, skill)
    claims = _claims(answer, skill)
    targets = _targets(skill)
    if not targets:
        if answer_states(answer, skill):
            return False
        return bool(claims) or bool(re.search(r"\binfini|\binfinity|∞", fold(answer)))
    if not claims:
        return False
    last = claims[-1]
    return not any(_matches(last, target) for target in targets)
