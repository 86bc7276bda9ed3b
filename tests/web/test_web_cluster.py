"""Two `precepteur serve` machines on one PostgreSQL database and one Redis: each with its own
home (its own disk), as `bin/cluster` starts them. A teacher uploads a document through A; a
learner on B gets an answer cited from it; A is killed, and the learner's next question is
answered by B from the same library."""

from __future__ import annotations

import importlib.util
import time
import uuid
from pathlib import Path

import httpx
import pytest
from serve_process import ServeProcess
from web_helpers import sign_in

from precepteur.config import Settings
from precepteur.gate.accounts import create_user
from precepteur.store import Database

_spec = importlib.util.spec_from_file_location(
    "precepteur_tests_store_backends_cluster", Path(__file__).parents[1] / "store" / "conftest.py")
_backends = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_backends)

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
COURSE = ("# Les piles\n\nUne pile est une structure de données qui suit le principe LIFO : "
          "le dernier élément entré est le premier sorti.\n").encode()


@pytest.fixture
def database_url(fast_passwords):
    for url in _backends._scratch_postgres():
        db = Database(Settings(database_url=url))
        db.migrate()
        with db.session() as s:
            create_user(s, "prof", "teacher", password="prof-password")
            create_user(s, "alice", "learner", password="alice-password", level="Terminale", teacher="prof")
        db.dispose()
        yield url


def _ask(url: str, question: str) -> dict:
    with httpx.Client(base_url=url, timeout=120) as client:
        csrf = {"X-CSRF-Token": sign_in(client, "alice")}
        conversation = client.post("/api/conversations", json={}, headers=csrf).json()["id"]
        response = client.post(f"/api/conversations/{conversation}/messages?stream=false",
                               json={"question": question, "library": "cours"}, headers=csrf)
        assert response.status_code == 200, response.text
        return response.json()


def test_upload_on_one_machine_cited_answer_on_the_other_then_one_machine_dies(tmp_path, database_url, redis_server):
    env = {"PRECEPTEUR_DATABASE_URL": database_url, "PRECEPTEUR_REDIS_URL": redis_server,
           "PRECEPTEUR_REDIS_PREFIX": f"test:{uuid.uuid4().hex}", "PRECEPTEUR_MODEL": "scripted",
           "PRECEPTEUR_GUARD_SEMANTIC": "false"}
    machine_a = ServeProcess(tmp_path / "a", env).start()
    machine_b = ServeProcess(tmp_path / "b", env).start()
    try:
        with httpx.Client(base_url=machine_a.url, timeout=60) as teacher:
            csrf = {"X-CSRF-Token": sign_in(teacher, "prof")}
            assert teacher.post("/api/libraries", json={"name": "cours"}, headers=csrf).status_code == 201
            upload = teacher.post("/api/libraries/cours/documents", headers=csrf,
                                  files=[("files", ("piles.md", COURSE, "text/markdown"))])
            assert upload.status_code == 202, upload.text
            deadline = time.monotonic() + 120
            while not (job := teacher.get(f"/api/libraries/cours/jobs/{upload.json()['job']}").json()).get("finished"):
                assert time.monotonic() < deadline, job
                time.sleep(0.2)
            assert job["phase"] == "done" and job["added"] == ["piles.md"], job

        answer = _ask(machine_b.url, "Quel principe suit une pile ?")
        cited = [c for c in answer["citations"] if c.get("document") == "piles.md"]
        assert cited and cited[0]["quote"] in COURSE.decode(), answer
        assert not any((tmp_path / "b").rglob("piles.md"))  # B read it from the database, not from a disk

        machine_a.kill()
        again = _ask(machine_b.url, "Qu'est-ce qu'une pile ?")
        assert any(c.get("document") == "piles.md" for c in again["citations"]), again
    finally:
        machine_a.stop()
        machine_b.stop()


def test_a_machine_killed_mid_answer_and_mid_ingestion(tmp_path, database_url, redis_server):
    """kill -9 of machine A while it streams an answer and while it embeds an upload: B shows the
    partial answer as interrupted and answers the next question; A restarted finishes the job,
    with every passage embedded and none half-written."""
    from serve_process import SlowModelServer
    from test_web_lifecycle import _course
    from test_web_streaming import open_stream, read_deltas, wait_until

    model = SlowModelServer(words=3000, delay=0.02)
    env = {"PRECEPTEUR_DATABASE_URL": database_url, "PRECEPTEUR_REDIS_URL": redis_server,
           "PRECEPTEUR_REDIS_PREFIX": f"test:{uuid.uuid4().hex}", "PRECEPTEUR_MODEL": "openai:slow",
           "PRECEPTEUR_OPENAI_BASE_URL": model.url, "PRECEPTEUR_GUARD_SEMANTIC": "false"}
    machine_a = ServeProcess(tmp_path / "a", env).start()
    machine_b = ServeProcess(tmp_path / "b", env).start()
    restarted = None
    try:
        with httpx.Client(base_url=machine_a.url, timeout=30) as learner:
            csrf = sign_in(learner, "alice")
            conversation_id, response = open_stream(learner, csrf)
            lines = response.iter_lines()
            read_deltas(lines, 3)
            with httpx.Client(base_url=machine_b.url, timeout=10) as on_b:
                sign_in(on_b, "alice")
                messages = lambda: on_b.get(f"/api/conversations/{conversation_id}").json()["messages"]  # noqa: E731
                wait_until(lambda: "mot1 " in messages()[1]["content"])  # a partial save reached the database
                machine_a.kill()
                del lines
                answer = wait_until(lambda: (m := messages()[1])["state"] == "interrupted" and m, timeout=60, step=0.5)
        assert answer["complete"] is False and answer["content"].startswith("mot0 mot1")

        model.words = 20
        with httpx.Client(base_url=machine_b.url, timeout=60) as learner:
            csrf = sign_in(learner, "alice")
            conversation = learner.post("/api/conversations", json={}, headers={"X-CSRF-Token": csrf}).json()["id"]
            again = learner.post(f"/api/conversations/{conversation}/messages?stream=false",
                                 json={"question": "Et ensuite ?"}, headers={"X-CSRF-Token": csrf})
            assert again.status_code == 200 and again.json()["answer"].startswith("mot0")

        machine_a = ServeProcess(tmp_path / "a", env).start()
        with httpx.Client(base_url=machine_a.url, timeout=30) as teacher:
            csrf = {"X-CSRF-Token": sign_in(teacher, "prof")}
            assert teacher.post("/api/libraries", json={"name": "cours"}, headers=csrf).status_code == 201
            upload = teacher.post("/api/libraries/cours/documents", headers=csrf,
                                  files={"files": ("revision.md", _course(60), "text/markdown")})
            job_id = upload.json()["job"]
            job = lambda url: _job(url, job_id)  # noqa: E731
            wait_until(lambda: (j := job(machine_a.url))["phase"] == "embed" and j["done"] > 0, timeout=120)
        machine_a.kill()
        restarted = ServeProcess(tmp_path / "a", env).start()
        done = wait_until(lambda: (j := job(restarted.url))["finished"] and j, timeout=300, step=0.5)
        assert done["phase"] == "done" and done["errors"] == [], done
        with httpx.Client(base_url=machine_b.url, timeout=10) as teacher:
            sign_in(teacher, "prof")
            library = [lib for lib in teacher.get("/api/libraries").json() if lib["name"] == "cours"][0]
        assert library["documents"] == 1 and library["embedded"] == library["passages"] > 0
    finally:
        for machine in (machine_a, machine_b, restarted):
            if machine is not None:
                machine.stop()
        model.close()


def _job(url: str, job_id: str) -> dict:
    with httpx.Client(base_url=url, timeout=10) as http:
        sign_in(http, "prof")
        return http.get(f"/api/libraries/cours/jobs/{job_id}").json()
