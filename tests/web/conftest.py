"""Web fixtures: real uvicorn servers in a thread (helpers live in web_helpers.py), and the
access matrix's world of objects (access_world.py)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
from access_world import World
from web_helpers import LiveServer, start_server


@pytest.fixture
def live_server_factory(settings, users) -> Iterator[Callable[..., LiveServer]]:
    """Start real servers on `create_app(settings, **kwargs)`; all are stopped after the test."""
    from precepteur.web.app import create_app

    started: list[LiveServer] = []

    def start(**kwargs) -> LiveServer:
        live = start_server(create_app(settings, **kwargs))
        started.append(live)
        return live

    yield start
    for live in started:
        live.stop()


@pytest.fixture
def quota_free(settings) -> None:
    """Many answers in one test: the public cohort without its per-minute quota (before the app starts)."""
    settings.ensure_home()
    (settings.home / "cohorts.json").write_text(json.dumps([{"name": "public", "max_prompt_tokens": 6000}]))


@pytest.fixture
def world(quota_free, app, client, users, tmp_path) -> World:
    """The access matrix's objects, each made by its owner when a test first names it."""
    return World(app, client, users, tmp_path)
