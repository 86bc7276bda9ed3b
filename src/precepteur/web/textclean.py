"""Every string a JSON body carries can be stored, logged and tokenized.

JSON may spell a lone UTF-16 surrogate (`"a \\udfff"`): Python's parser accepts
it, but no UTF-8 encoder does, so saving such a question to the database, or
giving it to the model, failed with a 500 (issue 10, defect 3). This middleware
reads JSON request bodies that contain a surrogate escape, replaces every lone
surrogate with U+FFFD (REPLACEMENT), and hands the route the cleaned body;
well-formed pairs (emoji) are untouched, and other bodies pass through unread.

Constants: REPLACEMENT.
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

REPLACEMENT = "\ufffd"
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """`text` with each lone surrogate replaced by U+FFFD."""
    return _LONE_SURROGATE.sub(REPLACEMENT, text)


def clean_value(value: Any) -> Any:
    """A parsed JSON value with every string (keys included) cleaned."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_value(item) for item in value]
    if isinstance(value, dict):
        return {clean_text(key): clean_value(item) for key, item in value.items()}
    return value


def clean_json_body(body: bytes) -> bytes:
    """The body with lone surrogates replaced; unchanged when there are none or it is not JSON."""
    if not _SURROGATE_ESCAPE.search(body):
        return body
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):
        return body  # the route's own parser answers 422
    cleaned = clean_value(parsed)
    if cleaned == parsed:
        return body
    return json.dumps(cleaned, ensure_ascii=False).encode("utf-8")


def _is_json(scope: Scope) -> bool:
    content_type = dict(scope.get("headers") or []).get(b"content-type", b"").lower()
    return content_type.startswith(b"application/json") or b"+json" in content_type


class CleanTextMiddleware:
    """Replaces lone surrogates in JSON request bodies before any route parses them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _is_json(scope):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client left while sending
                await self.app(scope, _replay([message], receive), send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = clean_json_body(b"".join(chunks))
        await self.app(scope, _replay([{"type": "http.request", "body": body, "more_body": False}], receive), send)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay
