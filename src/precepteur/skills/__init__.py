"""Deterministic skills: what code can compute, code computes (counts, arithmetic, equations, units).

`detect(question, lang)` reads a learner's question in French or English and returns
the verified facts it asks for as `SkillResult`s; `answer_states` and `contradicts`
check a model's answer against one of them. The pure functions underneath are public
too, for the tutor, the evals and the tests.
"""

from __future__ import annotations

from ._intent import detect
from .arithmetic import evaluate
from .counting import (
    count_characters,
    count_consonants,
    count_digits,
    count_letter,
    count_letters,
    count_vowels,
    count_words,
)
from .equations import Solution, solve_equation, solve_linear
from .result import SkillResult
from .units import convert
from .verify import answer_states, contradicts

__all__ = [
    "SkillResult",
    "Solution",
    "answer_states",
    "contradicts",
    "convert",
    "count_characters",
    "count_consonants",
    "count_digits",
    "count_letter",
    "count_letters",
    "count_vowels",
    "count_words",
    "detect",
    "evaluate",
    "solve_equation",
    "solve_linear",
]
