"""Answers are never lost: a dropped connection or a server stop keeps the partial answer."""

from __future__ import annotations

import threading
import time

import httpx
from web_helpers import LONG_ANSWER, SlowModel, sign_in

from precepteur.tutor import trust
from precepteur.store.models import Message


def wait_until(predicate, timeout: float = 15.0, step: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("condition not met in time")


def answer_row(app, conversation_id: int) -> Message:
    with app.state.services.db.session() as s:
        return s.query(Message).filter_by(conversation_id=conversation_id, role="assistant").one()


def open_stream(http: httpx.Client, csrf: str, question: str = "Raconte-moi une longue histoire."):
    conversation_id = http.post("/api/conversations", json={}, headers={"X-CSRF-Token": csrf}).json()["id"]
    request = http.build_request(
        "POST", f"/api/conversations/{conversation_id}/messages",
        json={"question": question}, headers={"X-CSRF-Token": csrf},
    )
    return conversation_id, http.send(request, stream=True)


def read_deltas(lines, count: int) -> int:
    """Read server-sent lines until `count` delta events went by."""
    seen = 0
    for line in lines:
        if line == "event: delta":
            seen += 1
            if seen >= count:
                break
    return seen


def test_dropped_connection_keeps_the_partial_answer(live_server_factory):
    live = live_server_factory(model=SlowModel(LONG_ANSWER, delay=0.02))
    services = live.app.state.services
    with httpx.Client(base_url=live.url, timeout=10) as http:
        csrf = sign_in(http, "alice")
        conversation_id, response = open_stream(http, csrf)
        assert response.status_code == 200
        assert read_deltas(response.iter_lines(), 5) == 5
        response.close()  # the browser goes away mid-answer
    wait_until(lambda: services.answers.active == 0)
    row = answer_row(live.app, conversation_id)
    assert row.complete is False
    assert row.content and LONG_ANSWER.startswith(row.content)
    assert len(row.content) < len(LONG_ANSWER)


def test_partial_answer_is_saved_while_it_streams(live_server_factory):
    live = live_server_factory(model=SlowModel(LONG_ANSWER, delay=0.01))
    with httpx.Client(base_url=live.url, timeout=10) as http:
        csrf = sign_in(http, "alice")
        conversation_id, response = open_stream(http, csrf)
        lines = response.iter_lines()
        read_deltas(lines, 60)  # past FLUSH_EVERY_CHUNKS: a save has happened
        row = wait_until(lambda: (r := answer_row(live.app, conversation_id)).content and r)
        assert row.complete is False and LONG_ANSWER.startswith(row.content)
        for _ in lines:
            pass
        response.close()
    row = wait_until(lambda: (r := answer_row(live.app, conversation_id)).complete and r)
    assert row.content == LONG_ANSWER + "\n\n" + trust.label("fr")  # unsourced: labelled


def test_server_stop_saves_streaming_answers(live_server_factory):
    live = live_server_factory(model=SlowModel(LONG_ANSWER, delay=0.05))
    with httpx.Client(base_url=live.url, timeout=10) as http:
        csrf = sign_in(http, "alice")
        conversation_id, response = open_stream(http, csrf)
        lines = response.iter_lines()
        read_deltas(lines, 3)
        stopper = threading.Thread(target=live.stop)
        stopper.start()
        try:
            for _ in lines:
                pass
        except httpx.HTTPError:
            pass  # the server went away mid-stream, as it should after its grace period
        response.close()
        stopper.join(30)
    assert not live.thread.is_alive()
    row = answer_row(live.app, conversation_id)
    assert row.complete is False
    assert row.content and LONG_ANSWER.startswith(row.content) and len(row.content) < len(LONG_ANSWER)
