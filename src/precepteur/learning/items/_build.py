"""Shared pieces of the generators: an item drafted from a sentence, and its Socratic hint.

Constants: BLANK, MAX_HINT_CHARS.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...library.analysis import analyse
from ..answers import normalize
from .text import Sentence, display, problem, sentences
from .types import Item, Source

BLANK = "_____"
MAX_HINT_CHARS = 300


@dataclass(frozen=True)
class Context:
    """Where candidates are being made: the library, the skill, its level."""

    library: str
    skill: str
    level: str | None = None
    lang: str = "fr"  # the language items are written in (the library's)


def source_of(sentence: Sentence) -> Source:
    return Source(sentence.passage.document, sentence.passage.locator, sentence.text, sentence.start, sentence.end)


def draft(context: Context, sentence: Sentence, kind: str, generator: str, *, prompt: str, key: str,
          choices: list[str] | None = None, variants: list[str] | None = None, explanation: str = "",
          tolerance: float | None = None) -> Item:
    """A candidate item made from `sentence`, not yet checked (id 0, status draft)."""
    return Item(
        id=0, library=context.library, skill=context.skill, kind=kind, level=context.level, prompt=prompt,
        choices=choices, key=key, variants=list(dict.fromkeys(v for v in (variants or []) if normalize(v) != normalize(key))),
        explanation=explanation, tolerance=tolerance, source=source_of(sentence), status="draft", checks={},
        hint=hint_for(sentence, key), generator=generator, context=display(sentence.passage.text),
    )


def hint_for(sentence: Sentence, key: str) -> str:
    """Another sentence of the same passage that shares a word with this one but not the key."""
    own = set(analyse(sentence.text))
    key_stems = set(analyse(key)) or {normalize(key)}
    best, best_shared = "", 0
    for other in sentences(sentence.passage):
        if other.start == sentence.start or problem(other.text, other.bullet) in ("code", "symbols", "too_short"):
            continue
        stems = set(analyse(other.text))
        if key_stems & stems or normalize(key) in normalize(other.text):
            continue
        shared = len(own & stems)
        if shared > best_shared:
            best, best_shared = other.display, shared
    return best[:MAX_HINT_CHARS]


__all__ = ["BLANK", "Context", "draft", "hint_for", "source_of"]
