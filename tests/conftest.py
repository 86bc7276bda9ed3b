"""Fixtures shared by every test package: a temporary installation on the scripted model.

- `settings`: `Settings` with a temporary `home`, the `scripted` model, a fixed secret key.
- `database`: that installation's SQLite database, migrated.
- `users`: one account per role (and a second learner and teacher), with passwords.
- `app` / `client`: the web app built by `create_app(settings)` and a TestClient on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from precepteur.config import Settings


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    role: str
    password: str


# name, role, teacher
ACCOUNTS = (
    ("admin", "admin", None),
    ("prof", "teacher", None),
    ("prof2", "teacher", None),
    ("alice", "learner", "prof"),
    ("bob", "learner", "prof2"),
)


def password_of(name: str) -> str:
    return f"{name}-password"


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(
        home=tmp_path / "home", model="scripted", secret_key="test-secret-key",
        database_url=None, max_queue=8, language="fr",
    )


@pytest.fixture
def database(settings) -> Iterator:
    from precepteur.store import Database

    db = Database(settings)
    db.migrate()
    yield db
    db.dispose()


@pytest.fixture
def fast_passwords(monkeypatch) -> None:
    """Cheap argon2 parameters for the test's duration (the real ones cost ~0.2 s a hash)."""
    from argon2 import PasswordHasher

    from precepteur.gate import accounts

    monkeypatch.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def users(database, fast_passwords) -> dict[str, Account]:
    """admin, prof (teacher of alice), prof2 (teacher of bob), alice and bob (learners)."""
    from precepteur.gate.accounts import create_user

    made: dict[str, Account] = {}
    with database.session() as s:
        for name, role, teacher in ACCOUNTS:
            level = "6e" if role == "learner" else None
            user = create_user(s, name, role, password=password_of(name), teacher=teacher, level=level)
            made[name] = Account(user.id, name, role, password_of(name))
    return made


@pytest.fixture
def app(settings, users):
    from precepteur.web.app import create_app

    return create_app(settings)


@pytest.fixture
def client(app) -> Iterator:
    from fastapi.testclient import TestClient

    with TestClient(app) as test_client:
        yield test_client


REDIS_ENV = "PRECEPTEUR_TEST_REDIS_URL"


@pytest.fixture(scope="session")
def redis_server() -> Iterator[str]:
    """A Redis URL: PRECEPTEUR_TEST_REDIS_URL (bin/_redis.sh starts one), or a throwaway
    redis-server on a free loopback port for this test session; skipped without either."""
    import os
    import shutil
    import socket
    import subprocess
    import tempfile
    import time

    url = os.environ.get(REDIS_ENV)
    if url:
        yield url
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip(f"Redis not available: install redis-server or set {REDIS_ENV}")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    workdir = tempfile.mkdtemp(prefix="precepteur-redis-")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", workdir, "--protected-mode", "yes"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.skip("redis-server did not start")
            time.sleep(0.05)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(5)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def redis_url(redis_server, request) -> Iterator[tuple[str, str]]:
    """(url, prefix): a fresh key prefix in the session's Redis, deleted after the test."""
    import uuid

    import redis

    prefix = f"test:{uuid.uuid4().hex[:10]}"
    yield redis_server, prefix
    client = redis.Redis.from_url(redis_server)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()
