"""`precepteur serve --workers 2` with a real Redis: two processes, one queue.

- without PRECEPTEUR_REDIS_URL it refuses clearly (two private queues would each give out the slots);
- two processes register, four learners asking at once on one slot are served one at a time
  (the model server never sees two answers at once) and every answer arrives;
- a SIGKILLed worker's slot comes back within LEASE_TTL_S + 1 s: the next learner is served
  although the dead process never gave its place back, and the server keeps answering.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid

import httpx
import pytest
from click.testing import CliRunner
from serve_process import ServeProcess, SlowModelServer
from web_helpers import sign_in

from precepteur.config import Settings
from precepteur.gate.accounts import create_user
from precepteur.gate.store import LEASE_TTL_S
from precepteur.store import Database

pytestmark = pytest.mark.slow
LEARNERS = [f"eleve{i}" for i in range(5)]


def test_several_workers_need_redis(tmp_path, monkeypatch):
    from precepteur.cli import main

    monkeypatch.setenv("PRECEPTEUR_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PRECEPTEUR_REDIS_URL", raising=False)
    result = CliRunner().invoke(main, ["serve", "--workers", "2"])
    assert result.exit_code == 2
    assert "PRECEPTEUR_REDIS_URL" in result.output and "file d'attente" in result.output


@pytest.fixture
def home(tmp_path, fast_passwords):
    home = tmp_path / "home"
    db = Database(Settings(home=home))
    db.migrate()
    with db.session() as s:
        for name in LEARNERS:
            create_user(s, name, "learner", password=f"{name}-password", level="6e")
    db.dispose()
    return home


def _workers(home) -> dict[str, int]:
    from sqlalchemy import select

    from precepteur.store.runtime_models import Worker

    db = Database(Settings(home=home))
    try:
        with db.session() as s:
            return {w.id: w.pid for w in s.scalars(select(Worker))}
    finally:
        db.dispose()


def _owner_pid(home) -> int | None:
    from sqlalchemy import select

    from precepteur.store.runtime_models import AnswerOwner

    db = Database(Settings(home=home))
    try:
        with db.session() as s:
            owner = s.scalars(select(AnswerOwner)).first()
        return None if owner is None else _workers(home).get(owner.worker_id)
    finally:
        db.dispose()


def _ask(url: str, name: str, results: dict) -> None:
    try:
        with httpx.Client(base_url=url, timeout=120) as client:
            csrf = sign_in(client, name)
            conversation = client.post("/api/conversations", json={}, headers={"X-CSRF-Token": csrf}).json()["id"]
            results[name] = client.post(f"/api/conversations/{conversation}/messages?stream=false",
                                        json={"question": "Raconte une histoire"}, headers={"X-CSRF-Token": csrf})
    except httpx.HTTPError as exc:  # the killed worker's learner loses her connection
        results[name] = exc


def _until(check, timeout: float, step: float = 0.05) -> float:
    began = time.monotonic()
    while not check():
        assert time.monotonic() - began < timeout, "condition not reached"
        time.sleep(step)
    return time.monotonic() - began


def test_two_workers_share_one_queue_and_a_killed_workers_slot_comes_back(home, redis_server):
    model = SlowModelServer(words=120, delay=0.01)
    env = {"PRECEPTEUR_MODEL": "openai:slow", "PRECEPTEUR_OPENAI_BASE_URL": model.url, "PRECEPTEUR_SLOTS": "1",
           "PRECEPTEUR_REDIS_URL": redis_server, "PRECEPTEUR_REDIS_PREFIX": f"test:{uuid.uuid4().hex}",
           "PRECEPTEUR_GUARD_SEMANTIC": "false"}
    server = ServeProcess(home, env, args=("--workers", "2")).start()
    try:
        _until(lambda: len(set(_workers(home).values())) == 2, timeout=60)
        results: dict = {}
        threads = [threading.Thread(target=_ask, args=(server.url, name, results)) for name in LEARNERS[:4]]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert all(results[name].status_code == 200 for name in LEARNERS[:4]), results
        assert all("mot119" in results[name].json()["answer"] for name in LEARNERS[:4])
        assert model.max_active == 1  # one slot for both processes

        model.words, model.delay = 3000, 0.01  # a 30 s answer, then kill the process streaming it
        first = threading.Thread(target=_ask, args=(server.url, LEARNERS[0], results))
        first.start()
        _until(lambda: model.active == 1 and _owner_pid(home) is not None, timeout=30)
        dead = _owner_pid(home)
        os.kill(dead, signal.SIGKILL)
        killed_at = time.monotonic()
        model.words = 50
        started = len(model.starts)
        second = threading.Thread(target=_ask, args=(server.url, LEARNERS[4], results))
        second.start()
        _until(lambda: len(model.starts) > started, timeout=LEASE_TTL_S + 10)
        second.join(60)
        first.join(60)
        assert results[LEARNERS[4]].status_code == 200, results[LEARNERS[4]]
        assert model.starts[started] - killed_at <= LEASE_TTL_S + 1.0, model.starts[started] - killed_at
        assert httpx.get(f"{server.url}/healthz", timeout=5).status_code == 200
    finally:
        if server.proc.poll() is None:
            server.terminate()  # the supervisor stops its workers
        for pid in _workers(home).values():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        model.close()
