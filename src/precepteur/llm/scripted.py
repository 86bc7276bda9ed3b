"""A deterministic model shipped in the package, for unit tests and the quick eval tier.

`ScriptedModel.enqueue(text)` queues the next answers; `enqueue(SomeException(...))`
makes the next call fail, to test error paths; a queued dict or list is a canned
structured answer, sent as JSON. Asked for structured output (`json_schema`) with
an empty queue, it answers the smallest object the schema allows. Structured calls only
take structured items (a dict, a list, or `StructuredText("...")` for a broken one) and
free-text calls only text, so a guard's JSON question never eats a queued answer;
an exception is taken by whichever call comes first. With an empty queue it answers from
the prompt itself: it restates the verified facts the tutor put in the prompt of
the current turn (lines starting with `Résultat exact (calculé par le programme) :` or its English twin), cites the first source as `[1]` when
the prompt carries sources, and otherwise says it does not know. It never invents.
"""

from __future__ import annotations

import json
import re
import threading
from collections import deque
from typing import Iterator

from .base import ChatModel, Chunk, GenerationOptions, Message, ModelInfo, Usage
from .schema import example

FACT_PREFIXES = ("Résultat exact (calculé par le programme) :", "Exact result (computed by the program):")
_SOURCE_RE = re.compile(r"^\[(\d+)\]", re.M)


class StructuredText(str):
    """A queued raw answer for a structured call (to test JSON the caller cannot use)."""


class ScriptedModel(ChatModel):
    model_id = "scripted"
    backend = "scripted"
    context_window = 8192

    def __init__(self, responses: list[str | BaseException] | None = None, chunk_chars: int = 4):
        self._queue: deque[str | BaseException] = deque(responses or [])
        self._lock = threading.Lock()
        self.chunk_chars = chunk_chars
        self.calls: list[list[Message]] = []
        self.schemas: list[dict | None] = []  # the json_schema of each call

    def enqueue(self, *responses: str | dict | list | BaseException) -> None:
        with self._lock:
            self._queue.extend(responses)

    def _take(self, structured: bool):
        for index, item in enumerate(self._queue):
            is_structured = isinstance(item, (dict, list, StructuredText))
            if isinstance(item, BaseException) or is_structured == structured:
                del self._queue[index]
                return item
        return None

    def _next(self, messages: list[Message], options: GenerationOptions) -> str:
        with self._lock:
            self.calls.append([dict(m) for m in messages])
            self.schemas.append(options.json_schema)
            item = self._take(structured=options.json_schema is not None)
        if isinstance(item, BaseException):
            raise item
        if isinstance(item, (dict, list)):
            return json.dumps(item, ensure_ascii=False)
        if item is not None:
            return item
        if options.json_schema is not None:
            return json.dumps(example(options.json_schema), ensure_ascii=False)
        return self._default_answer(messages)

    @staticmethod
    def _default_answer(messages: list[Message]) -> str:
        # Only the system prompt and the current turn: earlier turns' facts are history.
        current = [m for m in messages if m["role"] == "system"] + [messages[-1]]
        context = "\n".join(m["content"] for m in current)
        facts = [
            line.split(prefix, 1)[1].strip()
            for line in context.splitlines()
            for prefix in FACT_PREFIXES
            if prefix in line
        ]
        if facts:
            return "Voici le résultat vérifié : " + " ; ".join(facts)
        sources = _SOURCE_RE.findall(context)
        if sources:
            return f"D'après le document du professeur, voici l'essentiel [{sources[0]}]."
        return "Je ne sais pas répondre à cette question avec certitude."

    def stream(
        self,
        messages: list[Message],
        options: GenerationOptions | None = None,
        cancel: threading.Event | None = None,
    ) -> Iterator[Chunk]:
        options = options or GenerationOptions()
        text = self._next(messages, options)
        words = text.split(" ")
        if options.max_tokens and len(words) > options.max_tokens:
            text, finish = " ".join(words[: options.max_tokens]), "length"
        else:
            finish = "stop"
        prompt_tokens = sum(self.count_tokens(m["content"]) for m in messages)
        step = max(1, self.chunk_chars)
        sent = 0
        for i in range(0, len(text), step):
            if cancel is not None and cancel.is_set():
                yield Chunk(finish_reason="cancelled", usage=Usage(prompt_tokens, sent))
                return
            sent += 1
            yield Chunk(text=text[i : i + step])
        yield Chunk(finish_reason=finish, usage=Usage(prompt_tokens, self.count_tokens(text)))

    def info(self) -> ModelInfo:
        return ModelInfo(
            name="scripted",
            backend="scripted",
            parameters="0",
            quantization="-",
            licence="Apache-2.0",
            source="package",
            maturity="test double",
            limitations="Deterministic test model: restates verified facts, never answers on its own.",
        )
