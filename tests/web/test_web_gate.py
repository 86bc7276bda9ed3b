"""The gate through the web: one answer path, waiting with place and estimate, 429 / 503 with
Retry-After, leaving the queue, kill switches, invitations, version headers, the status."""

from __future__ import annotations

import json
import threading
import time
from importlib import resources

import httpx
import pytest
from web_helpers import LONG_ANSWER, SlowModel, make_token, sign_in, sse_events

from precepteur.web.app import create_app


def _signed_client(url: str, name: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=url, timeout=30)
    csrf = sign_in(client, name)
    return client, csrf


def _ask(client, csrf, question="Raconte une histoire", stream=True):
    conversation = client.post("/api/conversations", json={}, headers={"X-CSRF-Token": csrf}).json()["id"]
    suffix = "" if stream else "?stream=false"
    return client.post(f"/api/conversations/{conversation}/messages{suffix}", json={"question": question},
                       headers={"X-CSRF-Token": csrf})


def _wait_until(check, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.05)


def test_every_answer_says_model_prompt_and_cohort(client):
    csrf = sign_in(client, "alice")
    conversation = client.post("/api/conversations", json={}, headers={"X-CSRF-Token": csrf}).json()["id"]
    response = client.post(f"/api/conversations/{conversation}/messages", json={"question": "Combien de e dans lettre ?"},
                           headers={"X-CSRF-Token": csrf})
    assert response.status_code == 200
    assert response.headers["x-cohort"] == "public"
    assert response.headers["x-model-version"] == "scripted"
    assert response.headers["x-prompt-version"].startswith("p-")
    assert response.headers["x-gate-ticket"]


def test_a_learner_behind_another_waits_with_a_place_then_gets_the_answer(live_server_factory):
    live = live_server_factory(model=SlowModel(LONG_ANSWER, LONG_ANSWER, delay=0.005))
    alice, alice_csrf = _signed_client(live.url, "alice")
    bob, bob_csrf = _signed_client(live.url, "bob")
    first = {}
    thread = threading.Thread(target=lambda: first.setdefault("r", _ask(alice, alice_csrf)))
    thread.start()
    _wait_until(lambda: live.app.state.services.gate.snapshot(fresh=True).running)
    response = _ask(bob, bob_csrf)
    thread.join(30)
    events = sse_events(response.text)
    names = [name for name, _ in events]
    assert names[0] == "queue" and "start" in names and names[-1] == "done"
    queued = events[0][1]
    assert queued["place"] == 1 and queued["estimate"] is None  # fewer than 20 measured answers
    assert "estimation en cours" in queued["message"] and "prochain" in queued["message"]
    assert first["r"].status_code == 200 and sse_events(first["r"].text)[0][0] == "start"


def test_one_running_and_one_waiting_per_learner_then_429(live_server_factory):
    live = live_server_factory(model=SlowModel(LONG_ANSWER, LONG_ANSWER, LONG_ANSWER, delay=0.01))
    alice, csrf = _signed_client(live.url, "alice")
    gate = live.app.state.services.gate
    threads = [threading.Thread(target=_ask, args=(alice, csrf)) for _ in range(2)]
    threads[0].start()
    _wait_until(lambda: gate.snapshot(fresh=True).running)
    threads[1].start()
    _wait_until(lambda: gate.snapshot(fresh=True).waiting)
    third = _ask(alice, csrf)
    assert third.status_code == 429
    assert int(third.headers["retry-after"]) >= 1
    assert "déjà une question en cours" in third.json()["error"]["message"]
    for thread in threads:
        thread.join(60)


def test_quota_is_429_with_the_window_reset(settings, users):
    from fastapi.testclient import TestClient

    settings.ensure_home()
    (settings.home / "cohorts.json").write_text(json.dumps([{"name": "public", "quota": {"requests_per_minute": 1}}]))
    with TestClient(create_app(settings)) as client:
        csrf = sign_in(client, "alice")
        conversation = client.post("/api/conversations", json={}, headers={"X-CSRF-Token": csrf}).json()["id"]
        ask = lambda: client.post(f"/api/conversations/{conversation}/messages",  # noqa: E731
                                  json={"question": "2 + 2 ?"}, headers={"X-CSRF-Token": csrf})
        assert ask().status_code == 200
        refused = ask()
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert "1 par minute" in refused.json()["error"]["message"]


def test_kill_switch_refuses_new_requests_within_five_seconds(client, app):
    admin_csrf = sign_in(client, "admin")
    token = make_token(app, "alice")
    ask = lambda: client.post("/v1/chat/completions", headers={"Authorization": f"Bearer {token}"},  # noqa: E731
                              json={"messages": [{"role": "user", "content": "2 + 3 ?"}]})
    assert ask().status_code == 200
    switched = client.put("/api/gate/switches/*", json={"killed": True, "message": "Maintenance du modèle.",
                                                         "retry_after": 120}, headers={"X-CSRF-Token": admin_csrf})
    assert switched.status_code == 200
    began = time.monotonic()
    refused = ask()
    assert time.monotonic() - began < 5
    assert refused.status_code == 503 and refused.headers["retry-after"] == "120"
    assert "Maintenance du modèle." in refused.json()["error"]["message"]
    assert client.get("/status.json").json()["kill_switch"] == {
        "global": True, "message": "Maintenance du modèle.", "cohorts": {}}
    client.put("/api/gate/switches/*", json={"killed": False}, headers={"X-CSRF-Token": admin_csrf})
    client.put("/api/gate/switches/public", json={"killed": True, "message": "Public fermé."},
               headers={"X-CSRF-Token": admin_csrf})
    refused = ask()
    assert refused.status_code == 503 and "Public fermé." in refused.json()["error"]["message"]


def test_single_use_invitation_moves_a_learner_to_its_cohort(client, app):
    admin_csrf = sign_in(client, "admin")
    invitation = client.post("/api/gate/invitations", json={"cohort": "alpha"},
                             headers={"X-CSRF-Token": admin_csrf}).json()["invitation"]
    client.post("/api/session/logout", headers={"X-CSRF-Token": admin_csrf})
    client.cookies.clear()
    csrf = sign_in(client, "alice")
    redeemed = client.post("/api/gate/invitations/redeem", json={"invitation": invitation},
                           headers={"X-CSRF-Token": csrf})
    assert redeemed.json() == {"cohort": "alpha"}
    again = client.post("/api/gate/invitations/redeem", json={"invitation": invitation},
                        headers={"X-CSRF-Token": csrf})
    assert again.status_code == 409
    forged = client.post("/api/gate/invitations/redeem", json={"invitation": invitation[:-2] + "xx"},
                         headers={"X-CSRF-Token": csrf})
    assert forged.status_code == 422 and "signature" in forged.json()["error"]["message"]
    conversation = client.post("/api/conversations", json={}, headers={"X-CSRF-Token": csrf}).json()["id"]
    response = client.post(f"/api/conversations/{conversation}/messages", json={"question": "2 + 2 ?"},
                           headers={"X-CSRF-Token": csrf})
    assert response.headers["x-cohort"] == "alpha"


def _alice_answering(live_server_factory, *answers, delay: float):
    """A live server where alice's answer is running; (gate, alice's thread, alice, bob)."""
    live = live_server_factory(model=SlowModel(*answers, delay=delay))
    gate = live.app.state.services.gate
    alice = _signed_client(live.url, "alice")
    bob = _signed_client(live.url, "bob")
    first = threading.Thread(target=_ask, args=alice)
    first.start()
    _wait_until(lambda: gate.snapshot(fresh=True).running)
    return gate, first, alice, bob


def test_delete_ticket_leaves_the_queue(live_server_factory):
    gate, first, (alice, alice_csrf), (bob, bob_csrf) = _alice_answering(
        live_server_factory, LONG_ANSWER, LONG_ANSWER, delay=0.01)
    result = {}
    waiter = threading.Thread(target=lambda: result.setdefault("r", _ask(bob, bob_csrf)))
    waiter.start()
    _wait_until(lambda: gate.snapshot(fresh=True).waiting)
    ticket = gate.snapshot(fresh=True).waiting[0].id
    assert alice.delete(f"/api/gate/tickets/{ticket}", headers={"X-CSRF-Token": alice_csrf}).status_code == 404
    assert bob.delete(f"/api/gate/tickets/{ticket}", headers={"X-CSRF-Token": bob_csrf}).json()["left"] is True
    waiter.join(10)
    names = [name for name, _ in sse_events(result["r"].text)]
    assert names[0] == "queue" and names[-1] == "error" and "start" not in names
    assert gate.snapshot(fresh=True).waiting == []
    first.join(60)


def test_whole_answer_waits_its_turn(live_server_factory):
    _gate, first, _alice, (bob, bob_csrf) = _alice_answering(live_server_factory, LONG_ANSWER, "Voici.", delay=0.003)
    response = _ask(bob, bob_csrf, stream=False)
    first.join(60)
    assert response.status_code == 200 and response.json()["answer"]
    assert response.headers["x-cohort"] == "public"


def test_status_json_validates_against_the_shipped_schema(client):
    import jsonschema

    schema = json.loads((resources.files("precepteur.web") / "static" / "status.schema.json").read_text())
    status = client.get("/status.json")
    assert status.status_code == 200
    jsonschema.validate(status.json(), schema)
    body = status.json()
    assert body["maturity"] == "expérimental" and body["cohort_phase"] == "public"
    assert len(body["known_limits"]) >= 3 and body["queue"]["median_wait_s"] is None
    page = client.get("/status")
    assert page.status_code == 200 and "Limites connues" in page.text and "expérimental" in page.text
    assert client.get("/static/status.schema.json").status_code == 200


@pytest.mark.parametrize("path", ["/status", "/status.json"])
def test_status_needs_no_sign_in(client, path):
    assert client.get(path, follow_redirects=False).status_code == 200


def test_the_app_shares_its_queue_in_redis(settings, users, redis_url):
    from fastapi.testclient import TestClient

    from precepteur.gate.redis_store import RedisGateStore

    url, prefix = redis_url
    settings = settings.model_copy(update={"redis_url": url, "redis_prefix": prefix})
    app = create_app(settings)
    assert isinstance(app.state.services.gate.store, RedisGateStore)
    with TestClient(app) as client:
        csrf = sign_in(client, "alice")
        conversation = client.post("/api/conversations", json={}, headers={"X-CSRF-Token": csrf}).json()["id"]
        response = client.post(f"/api/conversations/{conversation}/messages", json={"question": "2 + 2 ?"},
                               headers={"X-CSRF-Token": csrf})
        assert response.status_code == 200 and response.headers["x-cohort"] == "public"
        snapshot = app.state.services.gate.store.snapshot()
        assert snapshot.waiting == [] and snapshot.running == []  # the place came back


def test_an_incident_is_shown_then_ended_and_an_unknown_one_is_404(client):
    csrf = sign_in(client, "admin")
    opened = client.post("/api/gate/incidents", json={"title": "Réponses lentes", "body": "Le modèle redémarre."},
                         headers={"X-CSRF-Token": csrf})
    assert opened.status_code == 201, opened.text
    incident = opened.json()["id"]
    assert "Réponses lentes" in client.get("/status").text
    assert client.post(f"/api/gate/incidents/{incident}/end", headers={"X-CSRF-Token": csrf}).json()["ended"]
    for unknown in (incident + 1000, 2**63):
        missing = client.post(f"/api/gate/incidents/{unknown}/end", headers={"X-CSRF-Token": csrf})
        assert missing.status_code in (404, 422), missing.text
    assert client.post(f"/api/gate/incidents/{incident + 1000}/end",
                       headers={"X-CSRF-Token": csrf}).json()["error"]["message"] == "incident introuvable"


def test_thirty_learners_behind_one_address_are_not_refused_because_of_each_other(settings, users):
    """A classroom behind one school router: sign-in throttling and quotas are per account,
    so thirty learners signing in and asking at once from one address all get their answer."""
    from precepteur.gate.accounts import create_user

    settings.max_queue = 64
    names = [f"classe{i:02d}" for i in range(30)]
    from precepteur.store import Database

    db = Database(settings)
    with db.session() as s:
        for name in names:
            create_user(s, name, "learner", password=f"{name}-password", level="5e")
    db.dispose()
    live_app = create_app(settings, model=SlowModel(*(["Réponse."] * 30), delay=0.01))
    from web_helpers import start_server

    live = start_server(live_app)
    results: dict[str, int] = {}
    try:
        def learner(name: str) -> None:
            with httpx.Client(base_url=live.url, timeout=120) as client:
                response = client.post("/api/session", json={"name": name, "password": f"{name}-password"})
                if response.status_code != 200:
                    results[name] = response.status_code
                    return
                csrf = response.json()["csrf_token"]
                results[name] = _ask(client, csrf, "Combien font 7 × 8 ?", stream=False).status_code

        threads = [threading.Thread(target=learner, args=(name,)) for name in names]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(180)
    finally:
        live.stop()
    assert results == {name: 200 for name in names}
