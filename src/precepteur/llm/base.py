"""The one seam every model backend implements.

A backend is a `ChatModel` subclass with capability attributes and one method,
`stream(messages, options, cancel)`, that yields `Chunk`s. Built-in backends
(`llamacpp`, `openai_compat`, `scripted`) register through `registry.register`,
the same way a third-party backend would.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field, replace
from typing import Iterator

Message = dict  # {"role": "system" | "user" | "assistant", "content": str}


@dataclass
class GenerationOptions:
    """Sampling options shared by every backend."""

    max_tokens: int = 512
    temperature: float = 0.2
    top_p: float = 0.95
    seed: int | None = 42
    stop: list[str] = field(default_factory=list)
    # A small JSON schema the answer must follow (see `schema.py`); None: free text.
    json_schema: dict | None = None


@dataclass
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    # Prompt tokens served from the KV cache (llama.cpp prefix reuse); 0 elsewhere.
    cached_tokens: int = 0


@dataclass
class Chunk:
    """A piece of a streamed answer; the last one carries `finish_reason` and `usage`."""

    text: str = ""
    finish_reason: str | None = None  # "stop" | "length" | "cancelled" | "error"
    usage: Usage | None = None


@dataclass
class ModelInfo:
    """What `model list` and the model page say about a model, honestly."""

    name: str
    backend: str
    parameters: str = "?"
    quantization: str = "?"
    licence: str = "?"
    size_bytes: int | None = None
    path: str | None = None
    source: str = "?"
    languages: str = "?"
    training_data: str = "?"
    maturity: str = "?"
    limitations: str = ""
    installed: bool = True

    def to_dict(self) -> dict:
        return asdict(self)


class ChatModel(ABC):
    """Base class: set the capabilities, implement `stream`."""

    model_id: str = "base"
    backend: str = "base"
    can_stream: bool = True
    context_window: int = 4096

    @abstractmethod
    def stream(
        self,
        messages: list[Message],
        options: GenerationOptions | None = None,
        cancel: threading.Event | None = None,
    ) -> Iterator[Chunk]:
        """Yield the answer to `messages` piece by piece; stop early when `cancel` is set."""

    def complete(self, messages: list[Message], options: GenerationOptions | None = None) -> tuple[str, Usage]:
        """The whole answer at once (convenience over `stream`)."""
        parts: list[str] = []
        usage = Usage()
        for chunk in self.stream(messages, options):
            parts.append(chunk.text)
            if chunk.usage is not None:
                usage = chunk.usage
        return "".join(parts), usage

    def complete_json(self, messages: list[Message], schema: dict, options: GenerationOptions | None = None) -> dict | list:
        """The answer as a JSON value that follows `schema` (enforced by the backend where it
        can, always checked here); a ModelError when the text is not such a value."""
        from .schema import check_schema, parse_json

        check_schema(schema)
        options = replace(options or GenerationOptions(), json_schema=schema)
        text, _usage = self.complete(messages, options)
        return parse_json(text, schema)

    def count_tokens(self, text: str) -> int:
        """Token count of `text`; backends with a tokenizer override this estimate."""
        return max(1, len(text) // 3)

    def info(self) -> ModelInfo:
        return ModelInfo(name=self.model_id, backend=self.backend)

    def close(self) -> None:
        """Release resources (threads, memory); safe to call twice."""
