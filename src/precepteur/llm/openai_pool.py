"""Several OpenAI-compatible servers behind one model: least-loaded routing, health, failover.

The scale path runs the same model on several servers (vLLM replicas, llama-server
on several machines). `OpenAIPool` holds one `OpenAICompatModel` per base URL and
sends each answer to the healthy server with the fewest answers in flight from this
process (ties go round-robin). A server that refuses the connection, times out or
answers 429/5xx before the first token is marked down for DOWN_FOR_S and the answer
goes to the next server, so a learner never sees one replica's restart; once
DOWN_FOR_S has passed, the server is probed (`GET /models`, PROBE_TIMEOUT_S) before
it gets answers again. Once tokens have been streamed, a failure is the answer's
error (resending would repeat text). Wrong keys and unknown models are
configuration errors, raised at once. `check()` probes every server (for operators).

Each web worker balances its own answers; with many workers the servers' own queues
(vLLM's continuous batching) absorb the difference.

Constants: DOWN_FOR_S, PROBE_TIMEOUT_S, FAILOVER_KEYS.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx

from ..errors import ModelError
from .base import ChatModel, Chunk, GenerationOptions, Message, ModelInfo
from .openai_compat import OpenAICompatModel

DOWN_FOR_S = 10.0
PROBE_TIMEOUT_S = 2.0
# Errors that say "this server, now" rather than "this configuration".
FAILOVER_KEYS = frozenset({"model.server_unreachable", "model.server_timeout", "model.server_error"})


def split_urls(value: str) -> list[str]:
    """Base URLs from a setting: several separated by commas or whitespace."""
    return [u.rstrip("/") for u in value.replace(",", " ").split() if u]


@dataclass
class Endpoint:
    model: OpenAICompatModel
    in_flight: int = 0
    down_until: float = 0.0  # monotonic time; 0 when healthy
    answers: int = 0
    failures: int = 0
    order: int = field(default=0)

    @property
    def url(self) -> str:
        return self.model.base_url


def _retryable(exc: ModelError) -> bool:
    if exc.key not in FAILOVER_KEYS:
        return False
    status = exc.params.get("status")
    return exc.key != "model.server_error" or status in ("-", 429) or (isinstance(status, int) and status >= 500)


class OpenAIPool(ChatModel):
    """One model served by several OpenAI-compatible servers."""

    backend = "openai"

    def __init__(self, base_urls: list[str], model: str, *, name: str | None = None,
                 clock: Callable[[], float] = time.monotonic, **options):
        if not base_urls:
            raise ValueError("OpenAIPool needs at least one base URL")
        self.model = model
        self.model_id = name or f"openai:{model}"
        self.endpoints = [Endpoint(OpenAICompatModel(url, model, name=self.model_id, **options), order=i)
                          for i, url in enumerate(base_urls)]
        self.context_window = self.endpoints[0].model.context_window
        self._api_key = options.get("api_key")
        self._clock = clock
        self._lock = threading.Lock()
        self._turn = itertools.count()

    # -- health ----------------------------------------------------------------
    def _probe(self, endpoint: Endpoint) -> bool:
        """GET /models on one server; marks it up or down."""
        headers = {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}
        try:
            ok = httpx.get(f"{endpoint.url}/models", headers=headers, timeout=PROBE_TIMEOUT_S).status_code == 200
        except httpx.HTTPError:
            ok = False
        with self._lock:
            endpoint.down_until = 0.0 if ok else self._clock() + DOWN_FOR_S
        return ok

    def check(self) -> list[dict]:
        """Probe every server now: `[{"url", "healthy", "in_flight", "answers", "failures"}]`."""
        return [{"url": e.url, "healthy": self._probe(e), "in_flight": e.in_flight, "answers": e.answers,
                 "failures": e.failures} for e in self.endpoints]

    # -- routing ---------------------------------------------------------------
    def _choose(self, tried: set[int]) -> Endpoint | None:
        """The least-loaded healthy server not tried yet; a server past its down time is
        probed first; when every untried one is down, the one that comes back soonest."""
        while True:
            now = self._clock()
            turn = next(self._turn)
            with self._lock:
                left = [e for e in self.endpoints if e.order not in tried]
                if not left:
                    return None
                due = [e for e in left if 0.0 < e.down_until <= now]
                up = [e for e in left if e.down_until == 0.0]
                if up and not due:
                    n = len(self.endpoints)
                    best = min(up, key=lambda e: (e.in_flight, (e.order - turn) % n))
                    best.in_flight += 1
                    return best
            if due:
                self._probe(due[0])  # up again, or down for another DOWN_FOR_S
                continue
            with self._lock:
                soonest = min(left, key=lambda e: e.down_until)
                soonest.in_flight += 1
                return soonest

    def stream(self, messages: list[Message], options: GenerationOptions | None = None,
               cancel: threading.Event | None = None) -> Iterator[Chunk]:
        tried: set[int] = set()
        last: ModelError | None = None
        while (endpoint := self._choose(tried)) is not None:
            tried.add(endpoint.order)
            started = False
            try:
                for chunk in endpoint.model.stream(messages, options, cancel):
                    started = True
                    yield chunk
                with self._lock:
                    endpoint.answers += 1
                return
            except ModelError as exc:
                with self._lock:
                    endpoint.failures += 1
                if started or not _retryable(exc):
                    raise
                with self._lock:
                    endpoint.down_until = self._clock() + DOWN_FOR_S
                last = exc
            finally:
                with self._lock:
                    endpoint.in_flight -= 1
        assert last is not None
        raise last

    def count_tokens(self, text: str) -> int:
        return self.endpoints[0].model.count_tokens(text)

    def info(self) -> ModelInfo:
        return ModelInfo(name=self.model_id, backend=self.backend, source=", ".join(e.url for e in self.endpoints),
                         path=None)

    def close(self) -> None:
        for endpoint in self.endpoints:
            endpoint.model.close()
