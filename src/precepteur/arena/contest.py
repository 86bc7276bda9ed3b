"""One battle's answers: both contestants' tutors on the same question, level, library and
passages (retrieved once, by the first tutor, and handed to both), one after the other;
the caller releases both together, so that speed does not reveal a model's size.

A contestant is a model, a prompt version and sampling parameters. A prompt version
names a variant of the tutor pipeline (PROMPT_VERSIONS maps it to the pipeline's mode;
a new variant is a new entry). `model_identity` pins what a model name resolves to
without loading it (a pack's SHA-256, an added GGUF's SHA-256, a server's URL and model
id), so a missing model is refused when the contestant is added.

Constants: PROMPT_VERSIONS, DEFAULT_PROMPT_VERSION.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..config import Settings
from ..errors import InputError, ModelError
from .blind import identity_leak

PROMPT_VERSIONS = {"explain-1": "explain", "socratic-1": "socratic"}
DEFAULT_PROMPT_VERSION = "explain-1"


@dataclass(frozen=True)
class ModelIdentity:
    model: str
    sha256: str | None = None
    url: str | None = None
    licence: str = "?"


@dataclass
class Side:
    """What one contestant answered, and what the reveal tells about it."""

    answer: str
    citations: list = field(default_factory=list)
    tokens: int = 0
    seconds: float = 0.0
    errored: bool = False
    leak: str | None = None  # why the answer gave its identity away, if it did


def check_prompt_version(version: str) -> str:
    if version not in PROMPT_VERSIONS:
        raise InputError("arena.error.unknown_prompt_version", version=version, versions=", ".join(PROMPT_VERSIONS))
    return version


def model_identity(name: str, settings: Settings) -> ModelIdentity:
    """What `name` resolves to, pinned; ModelError when the model is not here."""
    from ..llm.catalog import OPENAI_PREFIX, find_local
    from ..llm.packs import PACKS

    if name == "scripted":
        return ModelIdentity(name, licence="Apache-2.0")
    if name.startswith(OPENAI_PREFIX):
        if not settings.openai_base_url or not name[len(OPENAI_PREFIX):]:
            raise ModelError("model.openai_no_url", name=name)
        return ModelIdentity(name, url=f"{settings.openai_base_url.rstrip('/')}#{name[len(OPENAI_PREFIX):]}")
    local = find_local(name, settings)
    if local is None:
        raise ModelError("model.not_installed" if name in PACKS else "model.unknown", name=name)
    pack = PACKS.get(name)
    sha = pack.sha256 if pack is not None else _sha256(local.path)
    return ModelIdentity(name, sha256=sha, licence=local.facts.licence or "?")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(4 * 1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


class ContestantTutors:
    """A Tutor per (model, temperature), sharing the app tutor's library service and guard."""

    def __init__(self, settings: Settings, tutor) -> None:
        self.settings = settings
        self.base = tutor
        self._tutors: dict[tuple[str, float | None], object] = {}
        self._lock = threading.Lock()

    def tutor(self, model: str, temperature: float | None):
        """The tutor for one contestant's model and temperature (ModelError when it is missing)."""
        from ..llm import get_model
        from ..tutor import Tutor

        key = (model, temperature)
        with self._lock:
            if key not in self._tutors:
                chat = self.base.model if model == self.base.model.model_id else get_model(model, self.settings)
                settings = self.settings
                if temperature is not None:
                    settings = settings.model_copy(update={"temperature": temperature})
                self._tutors[key] = Tutor(settings, chat, self.base.library, guard=self.base.guard)
            return self._tutors[key]


def answer_both(tutors, prompt_versions, request, identities) -> tuple[Side, Side, str]:
    """Both answers to `request` (a TutorRequest), and the passages' prompt block ("" when none),
    retrieved once for both. `identities`: every name that would give a contestant away."""
    first = tutors[0]
    retrieved = first.retrieve(request) if request.library else None
    sides = []
    for tutor, version in zip(tutors, prompt_versions):
        mine = replace(request, mode=PROMPT_VERSIONS[version], retrieved=retrieved)
        result = tutor.answer(mine)
        leak = identity_leak(result.answer, identities, tutor.recites_instructions)
        if leak is None and result.leak_blocked:
            leak = "system_prompt"
        sides.append(Side(
            answer=result.answer, citations=[c.to_dict() for c in result.citations],
            tokens=result.completion_tokens, seconds=result.seconds, errored=bool(result.error), leak=leak,
        ))
    passages = retrieved[1] if retrieved is not None and retrieved[2] is None else ""
    return sides[0], sides[1], passages


__all__ = [
    "PROMPT_VERSIONS", "DEFAULT_PROMPT_VERSION", "ModelIdentity", "Side", "ContestantTutors",
    "answer_both", "check_prompt_version", "model_identity",
]
