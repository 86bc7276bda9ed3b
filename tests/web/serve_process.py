"""A real `precepteur serve` subprocess on loopback, and a slow stand-in model server for it.

`SlowModelServer` speaks just enough of the OpenAI chat API (streamed
completions, `/models`) to be the model of a real server, one word every
`delay` seconds, so a test can kill or stop the server mid-answer.
`ServeProcess` starts `python -m precepteur serve` on a free port with its own
PRECEPTEUR_HOME and waits until `/healthz` answers.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

READY_SECONDS = 60


class SlowModelServer:
    """An OpenAI-compatible server answering `words` words, one every `delay` seconds."""

    def __init__(self, words: int = 2000, delay: float = 0.02) -> None:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args) -> None:
                pass

            def do_GET(self) -> None:
                body = json.dumps({"object": "list", "data": [{"id": "slow", "object": "model"}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with outer.lock:
                    outer.active += 1
                    outer.max_active = max(outer.max_active, outer.active)
                    outer.starts.append(time.monotonic())
                try:
                    self._answer()
                finally:
                    with outer.lock:
                        outer.active -= 1

            def _answer(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                try:
                    for i in range(outer.words):
                        chunk = {"choices": [{"index": 0, "delta": {"content": f"mot{i} "}, "finish_reason": None}]}
                        self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                        self.wfile.flush()
                        time.sleep(outer.delay)
                    end = {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
                    self.wfile.write(f"data: {json.dumps(end)}\n\ndata: [DONE]\n\n".encode())
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True

        self.words, self.delay = words, delay
        self.lock = threading.Lock()
        self.active = self.max_active = 0  # answers being streamed now, and the most at once
        self.starts: list[float] = []  # when each answer began (time.monotonic)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServeProcess:
    """`precepteur serve` in a subprocess; `stderr` is kept in a file under home."""

    def __init__(self, home: Path, env: dict[str, str] | None = None, args: tuple[str, ...] = ()) -> None:
        self.args = tuple(args)
        self.home = Path(home)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "PRECEPTEUR_HOME": str(self.home), "PRECEPTEUR_SECRET_KEY": "test-secret-key",
                    "PYTHONUNBUFFERED": "1", **(env or {})}
        self.proc: subprocess.Popen | None = None
        self.log = self.home / "serve.log"

    def start(self) -> ServeProcess:
        self.home.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "precepteur", "serve", "--port", str(self.port), *self.args],
                env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"serve exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"serve did not start: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        """kill -9, and reap the process (a zombie would still look alive)."""
        self.proc.kill()
        self.proc.wait(10)

    def terminate(self) -> float:
        """SIGTERM; returns how many seconds the process took to exit."""
        began = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(30)
        return time.monotonic() - began

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
