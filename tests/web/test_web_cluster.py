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
