"""A client that leaves stops its answer, streamed or not (issue 10, defect 4).

A non-streamed request used to keep generating to the end after its client
had gone, holding its admission place: 64 abandoned cheap requests on /v1
blocked the whole service.
"""

from __future__ import annotations

import threading

import httpx
import pytest
from test_web_streaming import answer_row, wait_until
from web_helpers import LONG_ANSWER, SlowModel, make_token, sign_in

# About 700 chunks at 20 ms: some 14 s if nobody stops it.
DELAY = 0.02


def _leave_after(http: httpx.Client, method: str, path: str, **kwargs) -> None:
    with pytest.raises(httpx.ReadTimeout):
        http.request(method, path, timeout=httpx.Timeout(10, read=0.5), **kwargs)


def test_leaving_a_non_streamed_v1_request_frees_its_place(live_server_factory):
    model = SlowModel(*([LONG_ANSWER] * 3), delay=DELAY)
    live = live_server_factory(model=model)
    services = live.app.state.services
    token = make_token(live.app, "alice")
    freed = lambda: (services.answers.active == 0 and services.gate.waiting_count() == 0  # noqa: E731
                     and not services.gate.snapshot(fresh=True).running)
    with httpx.Client(base_url=live.url) as http:
        for _ in range(3):
            _leave_after(http, "POST", "/v1/chat/completions", headers={"Authorization": f"Bearer {token}"},
                         json={"messages": [{"role": "user", "content": "Raconte une longue histoire."}]})
            # Each stops within a few chunks of its client leaving (5 s, not the whole 14 s answer), and
            # the next one is asked only then: asked sooner, a slow machine could still hold the first
            # place, and the third request would get the learner's 429 instead of a wait.
            wait_until(freed, timeout=5)


def test_leaving_a_non_streamed_api_request_keeps_the_partial_answer_as_cancelled(live_server_factory):
    live = live_server_factory(model=SlowModel(LONG_ANSWER, delay=DELAY))
    services = live.app.state.services
    with httpx.Client(base_url=live.url, timeout=10) as http:
        csrf = sign_in(http, "alice")
        conversation_id = http.post("/api/conversations", json={}, headers={"X-CSRF-Token": csrf}).json()["id"]
        _leave_after(http, "POST", f"/api/conversations/{conversation_id}/messages?stream=false",
                     json={"question": "Raconte une longue histoire."}, headers={"X-CSRF-Token": csrf})
    wait_until(lambda: services.answers.active == 0, timeout=5)
    row = wait_until(lambda: (r := answer_row(live.app, conversation_id)).error and r, timeout=5)
    assert row.complete is False
    assert row.error == "cancelled"
    assert LONG_ANSWER.startswith(row.content) and len(row.content) < len(LONG_ANSWER)


def test_a_client_that_waits_gets_the_whole_answer(live_server_factory):
    live = live_server_factory(model=SlowModel("Une réponse courte et entière.", delay=0.001))
    token = make_token(live.app, "alice")
    with httpx.Client(base_url=live.url, timeout=10) as http:
        response = http.post("/v1/chat/completions", headers={"Authorization": f"Bearer {token}"},
                             json={"messages": [{"role": "user", "content": "Bonjour"}]})
    assert response.status_code == 200
    assert response.json()["choices"][0]["message"]["content"].startswith("Une réponse courte et entière.")


def test_a_non_streamed_answer_stopped_by_a_shutdown_is_a_503_that_says_so(live_server_factory):
    live = live_server_factory(model=SlowModel(LONG_ANSWER, delay=DELAY))
    services = live.app.state.services
    token = make_token(live.app, "alice")
    replies = []
    with httpx.Client(base_url=live.url, timeout=30) as http:
        asking = threading.Thread(target=lambda: replies.append(http.post(
            "/v1/chat/completions", headers={"Authorization": f"Bearer {token}"},
            json={"messages": [{"role": "user", "content": "Raconte une longue histoire."}]})))
        asking.start()
        wait_until(lambda: services.answers.active == 1, timeout=5)
        assert services.answers.stop_all() == 1  # what `serve` does on SIGTERM
        asking.join(10)
    assert replies[0].status_code == 503
    assert replies[0].headers["Retry-After"] == "10"
    assert "redémarre" in replies[0].json()["error"]["message"]
