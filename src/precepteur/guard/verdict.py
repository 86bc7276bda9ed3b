"""What the guard decides about one message, whichever layer decided it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

# Actions that replace the answer: the model is never asked.
REPLACING = frozenset({"redirect", "refuse", "inform"})


@dataclass(frozen=True)
class Verdict:
    """The guard's decision: an action from the policy and what the learner reads.

    `message` replaces the answer for `redirect`, `refuse` and `inform`, and opens it
    for `hint`; `footnote` is appended to an answer (a school topic that touches
    distress gets the help line too); `question` is the text the tutor may use
    (personal data masked, injected orders removed).
    """

    action: str = "answer"
    category: str | None = None
    categories: tuple[str, ...] = ()
    message: str = ""
    footnote: str = ""
    flag: bool = False
    layer: str = "rules"  # "rules" | "judge" | "outbound"
    matched: tuple[str, ...] = ()
    policy_version: str = ""
    question: str = ""
    biography: bool = False
    minors: bool = False
    pii: tuple[str, ...] = field(default=())  # kinds of personal data masked

    @property
    def refused(self) -> bool:
        """True when the answer is replaced by the guard's message."""
        return self.action in REPLACING

    def but(self, **changes) -> "Verdict":
        return replace(self, **changes)

    def to_dict(self) -> dict:
        return {
            "action": self.action, "category": self.category, "categories": list(self.categories),
            "flag": self.flag, "layer": self.layer, "policy_version": self.policy_version,
            "matched": list(self.matched), "minors": self.minors, "pii": list(self.pii),
        }
