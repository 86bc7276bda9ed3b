"""Web fixtures: real uvicorn servers in a thread (helpers live in web_helpers.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
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
