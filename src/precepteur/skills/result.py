"""What a skill returns: a fact computed by code, and how an answer may state it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SkillResult:
    """A fact computed by code (count, arithmetic, equation, units), never by the model."""

    name: str  # "count" | "arithmetic" | "equation" | "units" | "program"
    result: str  # the verified value, as the learner should read it ("6", "12,5 km")
    statement: str = ""  # a full sentence stating it, in the question's language
    accept: list[str] = field(default_factory=list)  # forms that count as stating the result
    detail: str = ""  # how it was computed, shown on request ("voir le calcul"): a program-aided fact's program
    rivals: list[str] = field(default_factory=list)  # other candidates (names) an answer must not put forward

    def to_dict(self) -> dict:
        return {"name": self.name, "result": self.result}
