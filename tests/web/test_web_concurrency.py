"""A class starting at once: many simultaneous writes never stall, and a busy database is a 503.

Issue 10, defect 1: 45 simultaneous `POST /api/conversations` used to wait the
whole writer-lock timeout and then answer 400 (the lock was held by a request
waiting for a worker thread that every other request was holding); at 100,
some got 500 and some no answer at all. Now a class is served in turn, and
beyond what the machine can serve promptly a request is told to come back
(503 with Retry-After), which a polite client does.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import httpx
import pytest
from web_helpers import make_token

from precepteur.store import _sqlite

WRITERS = 100
CLASS = 31  # thirty learners and their teacher


async def _create_many(url: str, tokens: list[str], count: int) -> list[httpx.Response | str]:
    limits = httpx.Limits(max_connections=count + 10, max_keepalive_connections=count + 10)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:
        async def one(i: int):
            try:
                return await http.post(
                    "/api/conversations", json={"title": f"essai {i}"},
                    headers={"Authorization": f"Bearer {tokens[i % len(tokens)]}"},
                )
            except httpx.HTTPError as exc:
                return type(exc).__name__
        return await asyncio.gather(*(one(i) for i in range(count)))


def test_a_class_starting_at_once_is_served_in_turn(live_server_factory, users):
    live = live_server_factory()
    tokens = [make_token(live.app, name) for name in users]
    results = asyncio.run(_create_many(live.url, tokens, CLASS))
    assert Counter(r if isinstance(r, str) else r.status_code for r in results) == {201: CLASS}
    assert len({r.json()["id"] for r in results}) == CLASS


def test_a_hundred_simultaneous_writers_get_201_or_a_503_to_retry(live_server_factory, users):
    live = live_server_factory()
    tokens = [make_token(live.app, name) for name in users]
    results = asyncio.run(_create_many(live.url, tokens, WRITERS))
    statuses = Counter(r if isinstance(r, str) else r.status_code for r in results)
    assert set(statuses) <= {201, 503}, statuses
    assert statuses[201] >= CLASS
    refused = [r for r in results if r.status_code == 503]
    assert all(r.headers["Retry-After"] == "1" for r in refused)
    assert all("réessayez dans 1 s" in r.json()["error"]["message"] for r in refused)
    # The refused ones come back after their Retry-After, as a polite client would: all get through.
    created, waiting = statuses[201], len(refused)
    for _round in range(10):
        if not waiting:
            break
        time.sleep(1)
        again = asyncio.run(_create_many(live.url, tokens, waiting))
        assert {r.status_code for r in again} <= {201, 503}
        created += sum(r.status_code == 201 for r in again)
        waiting = sum(r.status_code == 503 for r in again)
    assert created == WRITERS


def test_a_busy_database_is_a_503_with_retry_after(client, app, users, monkeypatch):
    monkeypatch.setattr(_sqlite, "WRITE_WAIT_S", 0.2)
    token = make_token(app, "alice")
    lock = app.state.services.db.write_lock
    assert lock.acquire(timeout=5)
    try:
        response = client.post("/api/conversations", json={}, headers={"Authorization": f"Bearer {token}"})
    finally:
        lock.release()
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    body = response.json()["error"]
    assert body["code"] == "unavailable"
    assert "occupée" in body["message"]
    # Once the lock is free the same request goes through.
    again = client.post("/api/conversations", json={}, headers={"Authorization": f"Bearer {token}"})
    assert again.status_code == 201


@pytest.mark.parametrize("message", ["database is locked", "QueuePool limit of size 20 overflow 60 reached"])
def test_driver_busy_errors_are_503(client, app, users, monkeypatch, message):
    from sqlalchemy.exc import OperationalError, TimeoutError

    from precepteur.web.routes import conversations

    error = TimeoutError(message) if "QueuePool" in message else OperationalError("INSERT", {}, Exception(message))

    def explode(*_args, **_kwargs):
        raise error

    monkeypatch.setattr(conversations, "new_conversation", explode)
    token = make_token(app, "alice")
    response = client.post("/api/conversations", json={}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
