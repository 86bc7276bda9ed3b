"""What goes into the tutor and what comes out: the `ask --json` contract of DESIGN.md.

`SkillResult` lives in `skills/result.py` (the skills own their results) and is re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..skills.result import SkillResult

Mode = Literal["explain", "socratic"]


@dataclass
class Citation:
    document: str
    locator: str
    quote: str

    def to_dict(self) -> dict:
        return {"document": self.document, "locator": self.locator, "quote": self.quote}


@dataclass
class TutorRequest:
    question: str
    level: str = "adulte"
    mode: Mode = "explain"
    library: str | None = None
    history: list[dict] = field(default_factory=list)  # earlier turns: {"role", "content"}
    lang: str | None = None  # None: detected from the question
    allow_general: bool = False  # teacher allows a labelled general answer when the library is silent
    names: tuple[str, ...] = ()  # classmates' names, masked if the learner writes them
    user_id: int | None = None  # who asks (the guard's flags for the teacher name her)
    graded: tuple = ()  # tutor.homework.GradedWork that applies: hint mode, never the solution
    retrieved: tuple | None = None  # `Tutor.retrieve(...)` computed once, shared by several tutors (arena)
    unsourced: bool | None = None  # may an unsourced answer be given (class/user setting); None: settings
    libraries: tuple[str, ...] = ()  # libraries this learner may use: named when one covers the question


@dataclass
class TutorResult:
    answer: str
    citations: list[Citation] = field(default_factory=list)
    skills: list[SkillResult] = field(default_factory=list)
    model: str = ""
    declined: bool = False
    sourced: bool = False  # a verified citation or a computed fact stands behind the answer
    # Beyond the contract: useful to the web app, evals and metrics.
    incomplete: bool = False
    corrected: bool = False  # the verified result overrode what the model said
    general: bool = False  # a labelled general answer outside the library
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    error: str | None = None
    leak_blocked: bool = False  # the model began reciting its instructions and was stopped
    guard: object | None = None  # the guard's Verdict (category, action, flag for the teacher)

    def to_dict(self) -> dict:
        """The `precepteur ask --json` object, exactly as DESIGN.md names it."""
        return {
            "answer": self.answer,
            "citations": [c.to_dict() for c in self.citations],
            "skills": [s.to_dict() for s in self.skills],
            "model": self.model,
            "declined": self.declined,
            "sourced": self.sourced,
        }
