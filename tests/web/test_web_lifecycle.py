"""A real `precepteur serve` killed, stopped and restarted on loopback (issue 10, defects 8 and 9).

- `kill -9` mid-answer, restart at once: the answer says `interrupted` (it used
  to look still streaming for 60 s), and an answer whose client had left
  before still says `cancelled`.
- SIGTERM mid-stream: the server is gone within 5 s (it took 12 s), the stream
  ends with an event that says why, and the answer is kept as `stopped`.
- SIGTERM mid-indexing: gone within 5 s (it took 22 s); after the restart the
  same job finishes the embeddings.
"""

from __future__ import annotations

import threading

import httpx
import pytest
from serve_process import ServeProcess, SlowModelServer
from test_web_streaming import open_stream, read_deltas, wait_until
from web_helpers import sign_in

from precepteur.config import Settings
from precepteur.gate.accounts import create_user
from precepteur.store import Database

SHUTDOWN_LIMIT_SECONDS = 5.0


@pytest.fixture
def model_server():
    server = SlowModelServer(words=3000, delay=0.02)
    yield server
    server.close()


@pytest.fixture
def home(tmp_path, fast_passwords):
    home = tmp_path / "home"
    db = Database(Settings(home=home))
    db.migrate()
    with db.session() as s:
        create_user(s, "alice", "learner", password="alice-password", level="6e")
        create_user(s, "prof", "teacher", password="prof-password")
    db.dispose()
    return home


@pytest.fixture
def serve(home, model_server):
    """A factory of servers on the same home; all are killed after the test."""
    started: list[ServeProcess] = []
    env = {"PRECEPTEUR_MODEL": "openai:slow", "PRECEPTEUR_OPENAI_BASE_URL": model_server.url}

    def start() -> ServeProcess:
        process = ServeProcess(home, env).start()
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()


def _messages(url: str, conversation_id: int) -> list[dict]:
    with httpx.Client(base_url=url, timeout=10) as http:
        sign_in(http, "alice")
        return http.get(f"/api/conversations/{conversation_id}").json()["messages"]


def test_kill_9_then_an_immediate_restart_tells_interrupted_from_cancelled(serve):
    server = serve()
    with httpx.Client(base_url=server.url, timeout=10) as http:
        csrf = sign_in(http, "alice")
        cancelled_id, response = open_stream(http, csrf)
        read_deltas(response.iter_lines(), 3)
        response.close()  # the learner leaves
        wait_until(lambda: _messages(server.url, cancelled_id)[1]["state"] == "cancelled")
        crashed_id, response = open_stream(http, csrf)
        lines = response.iter_lines()  # kept: dropping the iterator would close the connection
        read_deltas(lines, 3)
        wait_until(lambda: _messages(server.url, crashed_id)[1]["content"])  # a partial save happened
        server.kill()
        del lines
    restarted = serve()
    crashed = _messages(restarted.url, crashed_id)[1]
    assert (crashed["complete"], crashed["error"], crashed["state"]) == (False, "interrupted", "interrupted")
    assert crashed["content"].startswith("mot0 mot1")
    cancelled = _messages(restarted.url, cancelled_id)[1]
    assert (cancelled["complete"], cancelled["error"], cancelled["state"]) == (False, "cancelled", "cancelled")


def test_sigterm_mid_stream_ends_the_stream_with_a_reason_within_5_seconds(serve):
    server = serve()
    rest: list[str] = []
    with httpx.Client(base_url=server.url, timeout=30) as http:
        csrf = sign_in(http, "alice")
        conversation_id, response = open_stream(http, csrf)
        lines = response.iter_lines()
        read_deltas(lines, 3)
        reader = threading.Thread(target=lambda: rest.extend(lines), daemon=True)
        reader.start()
        seconds = server.terminate()
        reader.join(10)
    assert seconds < SHUTDOWN_LIMIT_SECONDS
    events = [(line, following) for line, following in zip(rest, rest[1:]) if line.startswith("event: ")]
    name, data = events[-1]
    assert name == "event: error"
    assert '"code": "web.answer.stopped"' in data and "redémarre" in data
    answer = _messages(serve().url, conversation_id)[1]
    assert (answer["complete"], answer["state"]) == (False, "stopped")
    assert answer["content"].startswith("mot0 mot1")


def _course(paragraphs: int) -> bytes:
    parts = ["# Cours de révision\n"]
    for i in range(paragraphs):
        parts.append(f"## Notion {i}\n\nLa notion numéro {i} explique comment une fonction récursive "
                     "s'appelle elle-même sur un problème plus petit, jusqu'au cas de base qui arrête les appels.\n")
    return "\n".join(parts).encode()


def _job(url: str, job_id: str) -> dict:
    with httpx.Client(base_url=url, timeout=10) as http:
        sign_in(http, "prof")
        return http.get(f"/api/libraries/cours/jobs/{job_id}").json()


@pytest.mark.slow
def test_sigterm_mid_indexing_stops_within_5_seconds_and_the_job_resumes(serve):
    server = serve()
    with httpx.Client(base_url=server.url, timeout=30) as http:
        csrf = sign_in(http, "prof")
        assert http.post("/api/libraries", json={"name": "cours"}, headers={"X-CSRF-Token": csrf}).status_code == 201
        upload = http.post("/api/libraries/cours/documents", headers={"X-CSRF-Token": csrf},
                           files={"files": ("revision.md", _course(60), "text/markdown")})
        assert upload.status_code == 202
        job_id = upload.json()["job"]
    wait_until(lambda: (j := _job(server.url, job_id))["phase"] == "embed" and j["done"] > 0, timeout=120)
    assert server.terminate() < SHUTDOWN_LIMIT_SECONDS
    restarted = serve()
    job = wait_until(lambda: (j := _job(restarted.url, job_id))["finished"] and j, timeout=300, step=0.5)
    assert job["phase"] == "done" and job["errors"] == []
    with httpx.Client(base_url=restarted.url, timeout=10) as http:
        sign_in(http, "prof")
        library = [lib for lib in http.get("/api/libraries").json() if lib["name"] == "cours"][0]
    assert library["documents"] == 1
    assert library["embedded"] == library["passages"] > 0
