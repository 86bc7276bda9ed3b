"""Web test helpers: signing in, API tokens, SSE parsing, a slow model, a real uvicorn server."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass

import uvicorn

from precepteur.llm import ScriptedModel

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
LONG_ANSWER = " ".join(f"mot{i}" for i in range(400))


def page_csrf(html: str) -> str:
    """The CSRF token of the first form of a page."""
    match = CSRF_RE.search(html)
    assert match, "no CSRF field on the page"
    return match.group(1)


def sign_in(client, name: str, password: str | None = None) -> str:
    """Sign `client` in through the JSON API; returns the session's CSRF token."""
    response = client.post("/api/session", json={"name": name, "password": password or f"{name}-password"})
    assert response.status_code == 200, response.text
    return response.json()["csrf_token"]


def make_token(app, name: str) -> str:
    """A fresh API token for the account `name`."""
    from precepteur.gate.accounts import create_token, get_user

    with app.state.services.db.session() as s:
        _token, plaintext = create_token(s, get_user(s, name), "test")
    return plaintext


def sse_events(text: str) -> list[tuple[str, dict]]:
    """Parse a server-sent event stream into (event, data) pairs."""
    import json

    events = []
    for block in text.split("\n\n"):
        name, data = "message", ""
        for line in block.splitlines():
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                data += line[6:]
        if data:
            events.append((name, json.loads(data)))
    return events


class SlowModel(ScriptedModel):
    """The scripted model, slowed down so a test can act mid-answer."""

    model_id = "slow-scripted"

    def __init__(self, *responses, delay: float = 0.02, chunk_chars: int = 4):
        super().__init__(list(responses), chunk_chars=chunk_chars)
        self.delay = delay

    def stream(self, messages, options=None, cancel=None):
        for chunk in super().stream(messages, options, cancel):
            if chunk.text:
                time.sleep(self.delay)
            yield chunk


@dataclass
class LiveServer:
    url: str
    app: object
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(30)


def start_server(app, graceful_seconds: float = 1.0) -> LiveServer:
    """Run `app` with uvicorn on a free port of 127.0.0.1 in a thread; wait until it listens."""
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_config=None, lifespan="on",
        timeout_graceful_shutdown=graceful_seconds,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    return LiveServer(f"http://127.0.0.1:{port}", app, server, thread)
