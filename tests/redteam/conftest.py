"""The deterministic layer is measured with the network cut: no socket may be opened."""

from __future__ import annotations

import socket

import pytest


@pytest.fixture
def no_sockets(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the deterministic guard opened a socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield
