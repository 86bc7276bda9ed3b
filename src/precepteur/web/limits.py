"""Request body limits, enforced before anything is parsed, with a clear 413.

A declared Content-Length over the limit is refused at once, without reading
the body; a chunked body is counted as it arrives and, past the limit, the
app's reaction to the cut-off body is replaced by the same 413. The limit is
MAX_BODY_BYTES everywhere except library uploads (MAX_UPLOAD_BYTES).
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..i18n import t
from .errors import error_response
from .i18n import request_lang

MAX_BODY_BYTES = 256 * 1024
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
UPLOAD_PATH = re.compile(r"^(/library/[^/]+/upload|/api/libraries/[^/]+/documents)$")


class BodyTooLarge(Exception):
    """The request body went past its limit while it was being read."""


def body_limit(path: str) -> int:
    """The largest body accepted at `path`."""
    return MAX_UPLOAD_BYTES if UPLOAD_PATH.match(path) else MAX_BODY_BYTES


class BodyLimitMiddleware:
    """Refuses request bodies over `body_limit(path)` with 413 and a translated message."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        response = error_response(request, 413, t("web.error.too_large", request_lang(request)))
        await response(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope.get("path", ""))
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, receive, send)
            return

        received, exceeded, started = 0, False, False

        async def limited_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise BodyTooLarge()
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:  # whatever the app answered to a cut-off body, the truth is 413
                if message["type"] == "http.response.start" and not started:
                    started = True
                    await self._refuse(scope, receive, send)
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not exceeded:
                raise
            if not started:
                await self._refuse(scope, receive, send)
