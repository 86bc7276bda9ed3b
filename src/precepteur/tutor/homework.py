"""Homework mode: on graded work the tutor guides with a hint ladder and never gives the solution.

A teacher marks an exercise (its statement, optionally its reference solution and
final value) or a whole library as graded work. When a learner's question is that
exercise (`match`: the statement's words and numbers are in the question) or is asked
in a graded library, the tutor answers in hint mode, one rung higher each time the
learner comes back to the same exercise in the conversation:

    1. a question that makes the learner take the first step;
    2. a hint: the rule or method to use, not its application;
    3. a worked example on a *different* problem (other numbers, other words).

`check(answer, work)` is the outbound side: sentences that state the final value or
repeat SPAN_WORDS words of the reference solution are removed (`answer_states` of the
skills package decides what "states the value" means, on number boundaries).

Constants: MATCH_RATIO, NUMBERS_RATIO, SPAN_WORDS, LADDER.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..guard.outbound import sentences
from ..guard.prompt_leak import contains_leak

MATCH_RATIO = 75.0
NUMBERS_RATIO = 60.0  # enough when every number of the statement is in the question
SPAN_WORDS = 8
LADDER = ("tutor.hint.question", "tutor.hint.clue", "tutor.hint.example")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_UNKNOWN = re.compile(r"(?<![a-zA-Z])([a-z])(?![a-zA-Z])\s*(?:[-+=*/²^)]|$)|\d\s*([a-z])(?![a-zA-Z])")


@dataclass(frozen=True)
class GradedWork:
    """What the tutor knows of one graded exercise (or a whole graded library)."""

    id: int
    statement: str = ""
    solution: str = ""
    answer: str = ""
    library: str | None = None  # set with an empty statement: every question in that library

    @classmethod
    def from_record(cls, record) -> "GradedWork":
        return cls(id=record.id, statement=record.statement or "", solution=record.solution or "",
                   answer=record.answer or "", library=record.library)


def _numbers(text: str) -> set[str]:
    return {n.replace(",", ".") for n in _NUMBER.findall(text)}


_STOP = frozenset("""donne donner calcule calculer quel quelle quels quelles est sont dans avec pour
sous forme combien resous resoudre ecris ecrire trouve trouver fais faire explique expliquer cette""".split())


def _content_words(text: str) -> set[str]:
    from ..guard.normalize import normalize

    return {w for w in normalize(text).split() if len(w) >= 4 and w not in _STOP}


def _coverage(statement: str, question: str) -> float:
    """Share (0-100) of the statement's content words found in the question (2 at least)."""
    words = _content_words(statement)
    shared = words & _content_words(question)
    return 100.0 * len(shared) / len(words) if len(shared) >= 2 and words else 0.0


def match(question: str, library: str | None, works) -> GradedWork | None:
    """The graded work this question is about, if any."""
    from rapidfuzz import fuzz

    best, best_score = None, 0.0
    for work in works:
        if not work.statement.strip():
            if work.library and work.library == library:
                best, best_score = (work, 100.0) if best_score < 100.0 else (best, best_score)
            continue
        score = max(fuzz.token_set_ratio(work.statement.lower(), question.lower()), _coverage(work.statement, question))
        numbers = _numbers(work.statement)
        if numbers:  # the same numbers are the strongest sign of the same exercise
            score = score + (MATCH_RATIO - NUMBERS_RATIO) if numbers <= _numbers(question) else 0.0
        if score >= MATCH_RATIO and score > best_score:
            best, best_score = work, score
    return best


def rung(work: GradedWork, history: list[dict], library: str | None) -> int:
    """Which rung of the ladder (0, 1, 2): one higher for each earlier question on this work."""
    earlier = [m for m in history if m.get("role") == "user" and match(m.get("content", ""), library, [work])]
    return min(len(earlier), len(LADDER) - 1)


def states_value(text: str, value: str, statement: str = "") -> bool:
    """Whether `text` states the final value (by value for numbers, as words otherwise).
    For an equation's unknown, "x = 2" or "la solution est 2" counts, the 2 of "2x" does not."""
    from ..skills import answer_states
    from .types import SkillResult

    value = value.strip()
    if not value:
        return False
    unknown = _UNKNOWN.search(statement)
    if unknown and _NUMBER.fullmatch(value.lstrip("-")):
        value = f"{unknown.group(1) or unknown.group(2)} = {value}"
    name = "equation" if re.match(r"^[a-z]\s*=", value) else "homework"
    return answer_states(text, SkillResult(name=name, result=value, accept=[value]))


def check(answer: str, work: GradedWork) -> tuple[str, bool]:
    """The answer without the sentences that give the work away; True when it had to change."""
    kept, changed = [], False
    for sentence in sentences(answer):
        gives_value = bool(work.answer) and states_value(sentence, work.answer, work.statement)
        repeats = bool(work.solution) and contains_leak(sentence, [work.solution])
        if gives_value or repeats:
            changed = True
            continue
        kept.append(sentence.strip())
    text = " ".join(kept)
    if work.solution and contains_leak(text, [work.solution]):  # a span across sentences
        return "", True
    return text, changed
