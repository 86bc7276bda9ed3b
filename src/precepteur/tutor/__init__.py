"""The tutor pipeline: guard -> skills -> library -> prompts -> model -> outbound checks."""

from .pipeline import MAX_QUESTION_CHARS, MODES, Tutor, tutor_for
from .types import Citation, SkillResult, TutorRequest, TutorResult

__all__ = [
    "MAX_QUESTION_CHARS",
    "MODES",
    "Tutor",
    "tutor_for",
    "Citation",
    "SkillResult",
    "TutorRequest",
    "TutorResult",
]
