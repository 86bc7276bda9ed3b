"""Load shedding: beyond what the machine can serve promptly, say "come back in a second".

At most `limit` requests are worked on at once (from arrival until their response
starts: a streamed answer counts only until its first byte, the admission limit
governs the rest); by default 4 per CPU core (`settings.max_in_flight` sets it).
The others wait their turn, without holding a thread, as long as there are fewer
than QUEUE_PER_PLACE waiting per place and the wait this queue predicts (requests
ahead x the recent time of one request / places) stays under
MAX_EXPECTED_WAIT_SECONDS; a request that would wait longer, or that has waited
MAX_WAIT_SECONDS, gets 503 with Retry-After RETRY_SECONDS and a translated
message. So a class of 30 signing in at once is served in turn, while a flood is
told honestly when to come back instead of everyone waiting in the worker pool
until the slowest times out. Health checks and static files are never shed.
A route about to wait for a whole answer (not streamed) calls `leave(request)`
first: that wait is the admission limit's business, and must not keep a place
the quick requests need.

Constants: MAX_EXPECTED_WAIT_SECONDS, MAX_WAIT_SECONDS, RETRY_SECONDS, PER_CORE,
QUEUE_PER_PLACE, AVERAGE_WEIGHT, EXEMPT_PREFIXES.
"""

from __future__ import annotations

import os
import time

import anyio
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..i18n import t
from .errors import error_response
from .i18n import request_lang

MAX_EXPECTED_WAIT_SECONDS = 0.5
MAX_WAIT_SECONDS = 5.0
RETRY_SECONDS = 1
PER_CORE = 4
QUEUE_PER_PLACE = 4
AVERAGE_WEIGHT = 0.1  # weight of the latest request in the moving average of service times
EXEMPT_PREFIXES = ("/healthz", "/static/")
_LEAVE = "precepteur_leave_place"


def leave(request: Request) -> None:
    """Give this request's place back now (before a long wait that admission governs)."""
    release = request.scope.get("state", {}).get(_LEAVE)
    if release is not None:
        release()


def default_limit() -> int:
    return PER_CORE * max(1, os.cpu_count() or 1)


class LoadShedding:
    """An ASGI middleware bounding the requests in progress and the wait of the others."""

    def __init__(self, app: ASGIApp, limit: int | None = None, metrics=None) -> None:
        self.app = app
        self.limit = max(1, limit or default_limit())
        self.metrics = metrics
        self.service_seconds = 0.05  # moving average, from taking a place to the response's start
        self.waiting = 0
        self._places: anyio.Semaphore | None = None

    def expected_wait(self) -> float:
        """How long a request arriving now would wait for a place."""
        return self.waiting * self.service_seconds / self.limit

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.metrics is not None:
            self.metrics.shed.inc()
        request = Request(scope, receive)
        message = t("web.error.overloaded", request_lang(request), seconds=RETRY_SECONDS)
        response = error_response(request, 503, message, headers={"Retry-After": str(RETRY_SECONDS)})
        await response(scope, receive, send)

    async def _take_place(self) -> bool:
        if self._places is None:  # created in the server's event loop
            self._places = anyio.Semaphore(self.limit)
        try:
            self._places.acquire_nowait()
            return True
        except anyio.WouldBlock:
            pass
        if self.waiting >= QUEUE_PER_PLACE * self.limit or self.expected_wait() > MAX_EXPECTED_WAIT_SECONDS:
            return False
        self.waiting += 1
        try:
            with anyio.move_on_after(MAX_WAIT_SECONDS):
                await self._places.acquire()
                return True
            return False
        finally:
            self.waiting -= 1

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path", "").startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        if not await self._take_place():
            await self._refuse(scope, receive, send)
            return
        places, began, held = self._places, time.monotonic(), True

        def give_back() -> None:
            nonlocal held
            if held:
                held = False
                places.release()
                seconds = time.monotonic() - began
                self.service_seconds += AVERAGE_WEIGHT * (seconds - self.service_seconds)

        async def send_and_release(message: Message) -> None:
            if message["type"] == "http.response.start":
                give_back()
            await send(message)

        scope.setdefault("state", {})[_LEAVE] = give_back
        try:
            await self.app(scope, receive, send_and_release)
        finally:
            give_back()
