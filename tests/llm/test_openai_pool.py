"""Several OpenAI-compatible servers behind one model, against stub HTTP servers on loopback:
least-loaded routing, failover before the first token, down servers probed before reuse."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from precepteur.config import Settings
from precepteur.errors import ModelError
from precepteur.llm import GenerationOptions, OpenAIPool, get_model
from precepteur.llm import openai_pool

QUESTION = [{"role": "user", "content": "Bonjour ?"}]


class Stub:
    """A tiny OpenAI-compatible server; `mode` says how it answers the next requests."""

    def __init__(self, name: str):
        self.name, self.mode, self.requests, self.probes = name, "ok", 0, 0
        self.release = threading.Event()  # mode "hold": the answer waits for it after the first piece
        self.release.set()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                stub.probes += 1
                status = 200 if stub.mode != "fail" else 503
                self._send(status, {"data": [{"id": "m"}]})

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                stub.requests += 1
                if stub.mode == "fail":
                    return self._send(503, {"error": {"message": "overloaded"}})
                if stub.mode == "unauthorized":
                    return self._send(401, {"error": {"message": "bad key"}})
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                self._event({"choices": [{"delta": {"content": stub.name}}]})
                if stub.mode == "cut":
                    return  # the connection closes after the first piece
                stub.release.wait(10)
                self._event({"choices": [{"delta": {"content": "."}, "finish_reason": "stop"}]})
                self.wfile.write(b"data: [DONE]\n\n")

            def _event(self, data):
                self.wfile.write(f"data: {json.dumps(data)}\n\n".encode())
                self.wfile.flush()

            def _send(self, status, body):
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stubs():
    made = [Stub("A"), Stub("B")]
    yield made
    for stub in made:
        stub.close()


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _answer(pool: OpenAIPool) -> str:
    return "".join(c.text for c in pool.stream(QUESTION, GenerationOptions(max_tokens=8)))


def test_least_loaded_server_gets_the_next_answer(stubs):
    a, b = stubs
    pool = OpenAIPool([a.url, b.url], "m")
    a.release.clear()
    b.release.clear()
    first = pool.stream(QUESTION)
    second = pool.stream(QUESTION)
    started = {next(first).text, next(second).text}  # both in flight at once
    assert started == {"A", "B"}  # the second went to the idle server
    assert [e.in_flight for e in pool.endpoints] == [1, 1]
    a.release.set()
    b.release.set()
    assert "".join(c.text for c in first) == "." and "".join(c.text for c in second) == "."
    assert [e.in_flight for e in pool.endpoints] == [0, 0]
    # Idle servers take turns.
    assert sorted(_answer(pool) for _ in range(4)) == ["A.", "A.", "B.", "B."]
    pool.close()


def test_failed_server_is_skipped_then_probed_before_reuse(stubs):
    a, b = stubs
    clock = Clock()
    pool = OpenAIPool([a.url, b.url], "m", clock=clock)
    a.mode = "fail"
    answers = [_answer(pool) for _ in range(4)]
    assert answers == ["B."] * 4
    assert a.requests == 1  # marked down after its 503, not asked again
    a.mode = "ok"
    clock.now += openai_pool.DOWN_FOR_S + 1
    assert sorted(_answer(pool) for _ in range(2)) == ["A.", "B."]
    assert a.probes == 1  # probed once before it was trusted again
    assert [s["healthy"] for s in pool.check()] == [True, True]
    pool.close()


def test_unreachable_server_fails_over_and_all_down_is_the_last_error(stubs):
    a, b = stubs
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
    pool = OpenAIPool([closed, a.url], "m")
    assert [_answer(pool) for _ in range(3)] == ["A."] * 3
    a.mode = b.mode = "fail"
    both = OpenAIPool([a.url, b.url], "m")
    with pytest.raises(ModelError, match="503"):
        _answer(both)
    assert (a.requests, b.requests) == (4, 1)
    pool.close()
    both.close()


def test_no_failover_after_the_first_token_nor_for_a_wrong_key(stubs):
    a, b = stubs
    a.mode = "cut"
    pool = OpenAIPool([a.url, b.url], "m")
    with pytest.raises(ModelError):
        _answer(pool)  # A streamed a piece, then died: resending would repeat text
    assert b.requests == 0
    a.mode, b.mode = "unauthorized", "ok"
    fresh = OpenAIPool([a.url, b.url], "m")
    with pytest.raises(ModelError):
        _answer(fresh)
    assert b.requests == 0
    pool.close()
    fresh.close()


def test_comma_separated_base_urls_make_a_pool(stubs, tmp_path):
    a, b = stubs
    settings = Settings(home=tmp_path, openai_base_url=f"{a.url}, {b.url}", model="openai:m")
    model = get_model("openai:m", settings)
    assert isinstance(model, OpenAIPool) and [e.url for e in model.endpoints] == [a.url, b.url]
    assert model.info().source == f"{a.url}, {b.url}"
    assert sorted(_answer(model) for _ in range(2)) == ["A.", "B."]
