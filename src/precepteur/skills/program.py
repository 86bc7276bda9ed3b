"""Program-aided answers for word problems and logic: the model writes, code computes.

`looks_like_problem(question)` keeps the expensive path for questions that read as a
word problem or a logic puzzle (numbers with a question of quantity, orderings, family
relations, syllogisms); anything else takes the plain path. `solve(...)` asks the model
SAMPLES times (different seeds) for a short program in the restricted Python of
`sandbox.py` and runs each one:

- at least two results, all equal: a verified fact (`SkillResult` named "program",
  with the program as its `detail`, shown on request as "voir le calcul"), handed to the
  model and enforced in its answer like the other skills' facts;
- results that disagree: `Outcome.unsure`, and the tutor says honestly that it is not
  sure, giving its reasoning as a hypothesis;
- fewer than two programs that run: None, the plain answer path (a program that does not
  parse, loops, or gives no number is never an error for the learner).

Constants: SAMPLES, PROGRAM_MAX_TOKENS, PROGRAM_TEMPERATURE, PROMPT.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

from ..i18n import t
from .result import SkillResult
from ._text import fold
from .sandbox import ProgramResult, run

SAMPLES = 3
PROGRAM_MAX_TOKENS = 320
PROGRAM_TEMPERATURE = 0.6  # enough for three different seeds to write three different programs

PROMPT = '''You turn a school word problem or logic question into a short Python program whose result answers it.
Rules: write only one ```python block. Put the final result in the variable `answer`: a number, True/False for a yes/no question, or a name. No import and no print: `math`, `itertools` and `Fraction` are already available. Use Fraction for money and exact fractions. Model the situation literally: list every person or object, then compute or check every case; never guess.
For a yes/no question "can we conclude X": loop over every True/False case of the statements' properties, keep the cases where all statements hold, and set answer = True only if X holds in every kept case.

Problem: Un stylo et une gomme coûtent 1,30 € en tout. Le stylo coûte 1 € de plus que la gomme. Combien coûte la gomme ?
```python
for cents in range(0, 131):
    gomme = Fraction(cents, 100)
    stylo = gomme + 1
    if stylo + gomme == Fraction(130, 100):
        answer = gomme
```
Problem: Léa est plus âgée que Tom. Sam est plus jeune que Tom. Qui est le plus âgé ?
```python
people = ["Léa", "Tom", "Sam"]
for order in itertools.permutations(people):  # order[0] is the oldest
    rank = {p: i for i, p in enumerate(order)}
    if rank["Léa"] < rank["Tom"] and rank["Sam"] > rank["Tom"]:
        answer = order[0]
```
Problem: Tous les oiseaux ont des plumes. Titi a des plumes. Peut-on en conclure que Titi est un oiseau ? Réponds par oui ou non.
```python
always = True
for oiseau in (True, False):
    for plumes in (True, False):
        if (plumes or not oiseau) and plumes:  # every bird has feathers; Titi has feathers
            if not oiseau:
                always = False
answer = always
```
Problem: Jean a deux frères et une sœur. Combien d'enfants y a-t-il dans la famille ?
```python
children = ["Jean", "frère 1", "frère 2", "sœur 1"]
answer = len(children)
```
'''

_NUMBER = re.compile(r"\d|\b(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|vingt|cent|mille|"
                     r"one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|hundred)\b")
_QUANTITY = re.compile(r"\b(?:combien|quel(?:le)?s?|à quelle|how (?:many|much|old|long|far)|what|which|who)\b")
_LOGIC = re.compile(
    r"\b(?:plus (?:grand|petit|age|âgé|jeune|rapide|lent|lourd|leger|léger)e?s?|tall|short|old|young|fast|slow|heav|light)"
    r"\w*\b.*\b(?:que|than)\b|\b(?:qui est|who is)\b.*\b(?:plus|most|-est)\b|"
    r"\b(?:peut-on|peut on|can we|can one|est-ce que|is it)\b.*\b(?:conclure|conclude|certain|sure|sur)\b|"
    r"\b(?:tous les|toutes les|aucun|aucune|certains|certaines|all|no|some)\b.+\b(?:sont|ont|n'a|n'ont|is|are|has|have)\b"
    r".*[.].*\?|"
    r"\b(?:s'il|si|if)\b.+,.+[.].+\?|\b(?:freres?|frères?|soeurs?|sœurs?|brothers?|sisters?|cousins?)\b.*\?")


def looks_like_problem(question: str) -> bool:
    """Does the question read as a word problem or a logic puzzle worth a program?"""
    text = question.lower()
    if len(text) < 25 or text.count("?") > 3:
        return False
    sentences = len([s for s in re.split(r"[.!?]", text) if s.strip()])
    if _QUANTITY.search(text) and _NUMBER.search(text) and (sentences >= 2 or re.search(r"\b(?:si|if)\b.*\d", text)):
        return True
    return sentences >= 2 and bool(_LOGIC.search(text))


@dataclass
class Outcome:
    """What the programs gave: a verified fact, or disagreeing values."""

    fact: SkillResult | None = None
    unsure: list[str] = field(default_factory=list)
    programs: list[tuple[str, ProgramResult]] = field(default_factory=list)


def extract_program(text: str) -> str:
    """The code of a model's reply: its first fenced block, else the reply itself."""
    match = re.search(r"```(?:python|py)?\s*\n(.*?)(?:```|$)", text, re.S)
    return (match.group(1) if match else text).strip()


def display(value: object, lang: str) -> str:
    """A result as the learner reads it: "0,05", "5/6", "oui", "Chloé"."""
    if isinstance(value, bool):
        return {("fr", True): "oui", ("fr", False): "non"}.get((lang, value), "yes" if value else "no")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, float):
        value = Fraction(value).limit_denominator(10_000)
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        denominator = value.denominator
        while denominator % 2 == 0:
            denominator //= 2
        while denominator % 5 == 0:
            denominator //= 5
        if denominator == 1:  # a terminating decimal
            text = f"{float(value):.10f}".rstrip("0").rstrip(".")
            return text.replace(".", ",") if lang == "fr" else text
        return f"{value.numerator}/{value.denominator}"
    return str(value)


_YES = {"oui", "yes", "vrai", "true"}
_NO = {"non", "no", "faux", "false"}


def _normalise(value: object) -> object:
    """A yes/no written as a word is the boolean it means."""
    if isinstance(value, str) and fold(value).strip(" .!") in _YES | _NO:
        return fold(value).strip(" .!") in _YES
    return value


def _key(value: object) -> object:
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float, Fraction)):
        return ("number", Fraction(value).limit_denominator(10**9))
    return ("text", fold(str(value)).strip())


def _fact(value: object, program: str, lang: str) -> SkillResult:
    shown = display(value, lang)
    accept = [shown]
    if isinstance(value, bool):
        accept += ["yes" if value else "no"] if lang == "fr" else ["oui" if value else "non"]
    elif isinstance(value, (int, float, Fraction)) and not isinstance(value, bool):
        number = Fraction(value).limit_denominator(10**9)
        accept += [str(float(number)) if number.denominator != 1 else str(number.numerator)]
        if number.denominator != 1:
            accept.append(f"{number.numerator}/{number.denominator}")
    statement = t("program.fact", lang, result=shown)
    return SkillResult(name="program", result=shown, statement=statement, accept=accept, detail=program)


def fact_for(value: object, program: str, question: str, lang: str) -> SkillResult:
    """The verified fact of an agreed value, with its rivals when it is a name."""
    fact = _fact(value, program, lang)
    if isinstance(value, str):
        fact.rivals = _rivals(program, value, question)
    return fact


def solve(question: str, lang: str, model, seed: int, cancel=None) -> Outcome | None:
    """Ask for SAMPLES programs, run them, and say what they agree on (None: plain path)."""
    from ..llm.base import GenerationOptions

    messages = [{"role": "system", "content": PROMPT}, {"role": "user", "content": f"Problem: {question}"}]
    outcome = Outcome()
    for sample in range(SAMPLES):
        if cancel is not None and cancel.is_set():
            return None
        sample_options = GenerationOptions(max_tokens=PROGRAM_MAX_TOKENS, temperature=PROGRAM_TEMPERATURE,
                                           seed=seed + sample)
        try:
            reply, _ = model.complete(messages, sample_options)
        except Exception:  # the model failed: the plain path will say so
            return None
        program = extract_program(reply)
        outcome.programs.append((program, run(program)))
    values = [(p, _normalise(r.value)) for p, r in outcome.programs if r.ok]
    if len(values) < 2:
        return None
    keys = {_key(v) for _, v in values}
    if len(keys) == 1:
        program, value = values[0]
        outcome.fact = fact_for(value, program, question, lang)
        return outcome
    outcome.unsure = sorted({display(v, lang) for _, v in values})
    return outcome


def text_contradicts(answer: str, skill: SkillResult) -> bool:
    """For a yes/no or a name: does `answer` put forward the opposite word or a rival name
    without stating the verified one?"""
    folded = fold(answer)

    def said(word: str) -> bool:
        return bool(re.search(rf"(?<![\w'’-]){re.escape(fold(word))}(?![\w'’-])", folded))

    if any(said(form) for form in skill.accept):
        return False
    opposite = {"oui": "non", "non": "oui", "yes": "no", "no": "yes"}.get(fold(skill.result))
    if opposite is not None:
        return said(opposite)
    return any(said(rival) for rival in skill.rivals)


def _rivals(program: str, value: object, question: str) -> list[str]:
    """The program's other string constants that the question names (the other candidates)."""
    import ast

    try:
        names = {n.value for n in ast.walk(ast.parse(program)) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    except SyntaxError:
        return []
    asked = fold(question)
    return sorted(n for n in names if n != value and len(n) > 1 and fold(n) in asked)
