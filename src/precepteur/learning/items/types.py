"""The exercise item and its source: plain data shared by generation, validation, the bank,
grading and practice sessions.

An item belongs to one library and one skill (a topic id, see `learning.topics`).
`key` is the answer that grades right (for a choice item, the text of the right
choice; for true/false, "Vrai" or "Faux"); `variants` are other accepted answers;
`choices` lists every option shown, key included (None for open kinds). `source`
points at the teacher's text the item comes from: `quote` is exactly
`document_text[start:end]` of the stored document. `checks` records every
validation check that was run, by name, with its outcome.

Constants: KINDS, STATUSES, CHOICE_KINDS, TRUE, FALSE.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

KINDS = ("mcq", "true_false", "numeric", "cloze", "short_answer")
STATUSES = ("draft", "approved", "rejected")
CHOICE_KINDS = ("mcq", "true_false")
TRUE, FALSE = "Vrai", "Faux"


@dataclass(frozen=True)
class Source:
    """Where an item comes from: document, a locator a person can follow, and the verbatim quote."""

    document: str
    locator: str
    quote: str
    start: int
    end: int

    def to_dict(self) -> dict:
        """The public shape: {"document", "locator", "quote"}."""
        return {"document": self.document, "locator": self.locator, "quote": self.quote}

    def to_full_dict(self) -> dict:
        return self.to_dict() | {"start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, data: dict) -> Source:
        return cls(str(data.get("document", "")), str(data.get("locator", "")), str(data.get("quote", "")),
                   int(data.get("start", 0)), int(data.get("end", 0)))


NO_SOURCE = Source("", "", "", 0, 0)


@dataclass
class Item:
    """One exercise (see the module docstring); `id` is 0 until the bank stores it."""

    id: int
    library: str
    skill: str
    kind: str
    level: str | None
    prompt: str
    choices: list[str] | None
    key: str
    variants: list[str]
    explanation: str
    tolerance: float | None
    source: Source
    status: str
    checks: dict[str, bool]
    # Shown after a first wrong answer in Socratic mode: built from the passage, never the key.
    hint: str = ""
    # Which generator made it ("cloze.terms", "true_false.negation", "mcq.model", ...,
    # "manual" for a teacher's own item, "import" for an imported one).
    generator: str = ""
    # The text of the passage the item was made from (for the answerability check and the judge).
    context: str = ""
    # Why each failed check failed, in words a teacher reads.
    failed_reasons: dict[str, str] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        """Every recorded check passed."""
        return bool(self.checks) and all(self.checks.values())

    @property
    def failed(self) -> list[str]:
        return [name for name, ok in self.checks.items() if not ok]

    def to_dict(self) -> dict:
        """The `items list --json` / API list object (exactly these keys)."""
        return {
            "id": self.id, "skill": self.skill, "kind": self.kind, "prompt": self.prompt,
            "choices": list(self.choices) if self.choices is not None else None, "key": self.key,
            "status": self.status, "source": self.source.to_dict(), "checks": dict(self.checks),
        }

    def to_full_dict(self) -> dict:
        """Everything a teacher's edit form needs."""
        return self.to_dict() | {
            "library": self.library, "level": self.level, "variants": list(self.variants),
            "explanation": self.explanation, "tolerance": self.tolerance, "hint": self.hint,
            "generator": self.generator, "source": self.source.to_full_dict(), "failed": self.failed,
            "reasons": dict(self.failed_reasons),
        }

    def public_dict(self) -> dict:
        """What a learner sees before answering: never the key, variants or explanation."""
        data = {"id": self.id, "kind": self.kind, "prompt": self.prompt, "source": self.source.to_dict()}
        if self.choices is not None:
            data["choices"] = list(self.choices)
        return data

    def copy(self, **changes) -> Item:
        return replace(self, **changes)


__all__ = ["CHOICE_KINDS", "FALSE", "KINDS", "Item", "NO_SOURCE", "STATUSES", "Source", "TRUE"]
