"""The intent parser: which verified facts a learner's message asks for.

A message is cut into clauses (outside quotes), and each clause is offered to the
skills in a fixed order — counting, equations, units, word problems, arithmetic — the first that
recognises it wins, so "combien de r dans strawberry" is never read as arithmetic
and "2x + 3 = 11" never as a product. When no clause yields anything, the whole
message is tried once more, for word problems written over two sentences. A leading
exercise label ("Exercice 2 :", "Question 3)") is not part of the question.
"""

from __future__ import annotations

from ..textlang import detect_language
from .result import SkillResult
from ._text import clauses, clean, strip_label
from .arithmetic import detect_arithmetic
from .counting import detect_count
from .equations import detect_equation
from .story import detect_story
from .units import detect_units

DETECTORS = (detect_count, detect_equation, detect_units, detect_story, detect_arithmetic)
MAX_QUESTION_CHARS = 2_000


def _first(clause: str, lang: str) -> SkillResult | None:
    for detector in DETECTORS:
        found = detector(clause, lang)
        if found is not None:
            return found
    return None


def detect(question: str, lang: str | None = None) -> list[SkillResult]:
    """The verified facts `question` asks for (usually none or one), in the order asked."""
    text = strip_label(clean(question or ""))
    if not text or len(text) > MAX_QUESTION_CHARS:
        return []
    lang = lang if lang in ("fr", "en") else detect_language(text)
    facts: list[SkillResult] = []
    for clause in clauses(text):
        found = _first(clause, lang)
        if found is not None and all(f.statement != found.statement for f in facts):
            facts.append(found)
    if not facts:
        whole = _first(text.replace("\n", " "), lang)
        if whole is not None:
            facts.append(whole)
    return facts
