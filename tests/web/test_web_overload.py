"""Load shedding in front of the app: requests beyond the places wait in turn, and a flood
is told to come back (503, Retry-After) instead of waiting in the worker pool (issue 10)."""

from __future__ import annotations

import threading
import time

import anyio
import httpx
import pytest
from web_helpers import LONG_ANSWER, SlowModel, make_token, start_server

from precepteur.web import overload
from precepteur.web.app import create_app
from precepteur.web.overload import LoadShedding


class WithApp:
    """What Starlette does before its middleware: put the app in the scope (for the language)."""

    def __init__(self, app) -> None:
        self.app = app
        self.state = type("State", (), {})()

    async def __call__(self, scope, receive, send) -> None:
        await self.app({**scope, "app": self}, receive, send)


class Gate:
    """An ASGI app whose requests all wait until `release`; counts those inside."""

    def __init__(self) -> None:
        self.open = anyio.Event()
        self.inside = 0
        self.most = 0

    async def __call__(self, scope, receive, send) -> None:
        self.inside += 1
        self.most = max(self.most, self.inside)
        await self.open.wait()
        self.inside -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.mark.anyio
async def test_requests_beyond_the_places_wait_in_turn_then_a_flood_is_refused():
    gate = Gate()
    shedding = LoadShedding(gate, limit=2)
    transport = httpx.ASGITransport(app=WithApp(shedding))
    statuses: list[int] = []
    refusals: list[httpx.Response] = []
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        async def one():
            response = await client.get("/api/me")
            statuses.append(response.status_code)
            if response.status_code == 503:
                refusals.append(response)

        async with anyio.create_task_group() as tasks:
            for _ in range(2 + overload.QUEUE_PER_PLACE * 2 + 3):
                tasks.start_soon(one)
            with anyio.fail_after(5):
                while len(statuses) < 3:  # three beyond places + queue are refused at once
                    await anyio.sleep(0.01)
            assert gate.inside == 2 and shedding.waiting == overload.QUEUE_PER_PLACE * 2
            gate.open.set()
    assert statuses.count(200) == 2 + overload.QUEUE_PER_PLACE * 2 and statuses.count(503) == 3
    assert gate.most == 2
    assert refusals[0].headers["Retry-After"] == str(overload.RETRY_SECONDS)
    assert "réessayez dans 1 s" in refusals[0].json()["error"]["message"]


@pytest.mark.anyio
async def test_a_queue_that_would_wait_too_long_refuses_at_once(monkeypatch):
    gate = Gate()
    shedding = LoadShedding(gate, limit=1)
    shedding.service_seconds = 2 * overload.MAX_EXPECTED_WAIT_SECONDS  # each request takes a second
    transport = httpx.ASGITransport(app=WithApp(shedding))
    statuses: list[int] = []
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        async def one():
            statuses.append((await client.get("/api/me")).status_code)

        async with anyio.create_task_group() as tasks:
            for _ in range(3):
                tasks.start_soon(one)
            with anyio.fail_after(5):
                while not statuses:
                    await anyio.sleep(0.01)
            gate.open.set()
    # One in service, one waiting (expected wait 1 s > 0.5 s once it is there), one refused.
    assert sorted(statuses) == [200, 200, 503]


@pytest.mark.anyio
async def test_health_checks_are_never_shed():
    gate = Gate()
    gate.open.set()
    shedding = LoadShedding(gate, limit=1)
    shedding.waiting = 10**6
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=WithApp(shedding)), base_url="http://test") as client:
        assert (await client.get("/healthz")).status_code == 200


def test_the_default_is_four_places_per_core(monkeypatch):
    monkeypatch.setattr(overload.os, "cpu_count", lambda: 6)
    assert LoadShedding(Gate()).limit == 24


def test_a_request_waiting_for_a_whole_answer_gives_its_place_back(settings, users):
    """Eight learners waiting for non-streamed answers must not keep everyone else out."""
    settings.max_in_flight = 1
    live = start_server(create_app(settings, model=SlowModel(LONG_ANSWER, delay=0.01)))
    try:
        token = make_token(live.app, "alice")
        headers = {"Authorization": f"Bearer {token}"}
        waiting = threading.Thread(target=lambda: httpx.post(
            f"{live.url}/v1/chat/completions", headers=headers, timeout=30,
            json={"messages": [{"role": "user", "content": "Raconte une longue histoire."}]}))
        waiting.start()
        services = live.app.state.services
        deadline = time.monotonic() + 10
        while services.answers.active == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert services.answers.active == 1
        # The only place is free again: quick requests go through while the answer is written.
        for _ in range(5):
            assert httpx.get(f"{live.url}/api/me", headers=headers, timeout=5).status_code == 200
        waiting.join(30)
    finally:
        live.stop()
