"""Outbound checks on a finished answer: verified facts win, Socratic answers do not leak.

Pure functions over text and the verified `SkillResult`s. Sentence splitting is
deliberately simple (., !, ?, line breaks) because the answers are short.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the tutor imports this module
    from ..tutor.types import SkillResult

# A sentence ends at . ! ? followed by white space (so 3.5 stays whole), or at a line break.
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=\S)|\n+")


def sentences(text: str) -> list[str]:
    return [s for s in _SPLIT.split(text) if s.strip()]


def enforce_facts(answer: str, facts: list[SkillResult], states, contradicts) -> tuple[str, bool]:
    """The answer with every verified fact stated and contradicting sentences removed.

    `states(text, fact)` and `contradicts(text, fact)` come from `precepteur.skills`.
    Returns (answer, corrected) where corrected is True if the text had to change.
    """
    corrected = False
    text = answer.strip()
    for fact in facts:
        if contradicts(text, fact):
            kept = [s for s in sentences(text) if not contradicts(s, fact)]
            text = " ".join(s.strip() for s in kept)
            corrected = True
        if not states(text, fact):
            text = (fact.statement + ("\n\n" + text if text else "")).strip()
            corrected = True
    return text, corrected


def leaks(answer: str, facts: list[SkillResult], states) -> bool:
    """In Socratic mode, does the answer give away a verified result?"""
    return any(states(answer, fact) for fact in facts)
