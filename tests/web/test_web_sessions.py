"""Sessions end on the server, and wrong passwords are throttled (issue 10, defects 5 and 6).

A copy of a session cookie used to keep working for 14 days after sign-out or a
password reset; 30 wrong passwords in 3 seconds were all answered 401.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from web_helpers import make_token, page_csrf, sign_in

from precepteur.gate.throttle import PAIR


class Clock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


def copy_of(client: TestClient, app) -> TestClient:
    """Another browser holding a copy of `client`'s cookies (a stolen or shared cookie)."""
    other = TestClient(app)
    other.cookies.update(dict(client.cookies))
    return other


def admin_headers(app) -> dict:
    return {"Authorization": f"Bearer {make_token(app, 'admin')}"}


def test_a_copied_cookie_stops_working_after_sign_out(client, app, users):
    csrf = sign_in(client, "alice")
    thief = copy_of(client, app)
    assert thief.get("/api/me").status_code == 200
    assert client.delete("/api/session", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert thief.get("/api/me").status_code == 401
    assert client.get("/api/me").status_code == 401


def test_signing_out_with_the_page_form_ends_the_session_too(client, app, users):
    sign_in(client, "alice")
    thief = copy_of(client, app)
    csrf = page_csrf(client.get("/chat").text)
    assert client.post("/signout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    assert thief.get("/chat", follow_redirects=False).status_code == 303  # to the sign-in page


def test_a_password_reset_ends_every_session_of_the_account(client, app, users):
    sign_in(client, "alice")
    laptop = copy_of(client, app)
    response = client.put(f"/api/users/{users['alice'].id}/password", json={"password": "nouveau-mot-de-passe"},
                          headers=admin_headers(app))
    assert response.status_code == 204
    assert client.get("/api/me").status_code == 401 and laptop.get("/api/me").status_code == 401
    assert client.post("/api/session", json={"name": "alice", "password": "nouveau-mot-de-passe"}).status_code == 200


def test_sign_out_everywhere_and_who_may_do_it(client, app, users):
    sign_in(client, "alice")
    with TestClient(app) as learner:
        sign_in(learner, "bob")
        token = make_token(app, "bob")
        assert learner.delete(f"/api/users/{users['alice'].id}/sessions",
                              headers={"Authorization": f"Bearer {token}"}).status_code == 403
    with TestClient(app) as anonymous:
        assert anonymous.delete(f"/api/users/{users['alice'].id}/sessions").status_code == 401
    assert client.get("/api/me").status_code == 200
    assert client.delete("/api/users/999999/sessions", headers=admin_headers(app)).status_code == 404
    assert client.delete(f"/api/users/{users['alice'].id}/sessions", headers=admin_headers(app)).status_code == 204
    assert client.get("/api/me").status_code == 401


def test_the_admin_page_signs_an_account_out_everywhere(client, app, users):
    with TestClient(app) as learner:
        sign_in(learner, "alice")
        sign_in(client, "admin")
        page = client.get("/admin").text
        assert f'action="/admin/users/{users["alice"].id}/signout"' in page and "Déconnecter partout" in page
        done = client.post(f"/admin/users/{users['alice'].id}/signout", data={"csrf_token": page_csrf(page)},
                           follow_redirects=False)
        assert done.status_code == 303 and done.headers["location"] == "/admin?done=signed_out"
        assert learner.get("/api/me").status_code == 401


def test_disabling_an_account_ends_its_sessions_and_tokens(client, app, users):
    sign_in(client, "alice")
    token = make_token(app, "alice")
    alice = users["alice"].id
    assert client.put(f"/api/users/{alice}/disabled", json={"disabled": True}, headers=admin_headers(app)).status_code == 204
    assert client.get("/api/me").status_code == 401
    assert client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert client.post("/api/session", json={"name": "alice", "password": "alice-password"}).status_code == 401
    assert client.put(f"/api/users/{alice}/disabled", json={"disabled": False}, headers=admin_headers(app)).status_code == 204
    assert client.post("/api/session", json={"name": "alice", "password": "alice-password"}).status_code == 200
    me = users["admin"].id
    assert client.put(f"/api/users/{me}/disabled", json={"disabled": True}, headers=admin_headers(app)).status_code == 422


def test_thirty_wrong_passwords_are_throttled_with_a_clear_french_message(client, app, users):
    clock = Clock()
    app.state.services.throttle.clock = clock
    statuses, waits = [], []
    for _ in range(30):
        response = client.post("/api/session", json={"name": "alice", "password": "faux"})
        statuses.append(response.status_code)
        if response.status_code == 429:
            waits.append(int(response.headers["Retry-After"]))
            assert "Trop de tentatives" in response.json()["error"]["message"]
            assert response.json()["error"]["code"] == "rate_limited"
    assert statuses[: PAIR.free] == [401] * PAIR.free
    assert set(statuses[PAIR.free:]) == {429}
    assert waits[0] == 1
    # Once the delay is over, the right password works (and a throttled try is not a failure).
    clock.now += waits[-1]
    assert client.post("/api/session", json={"name": "alice", "password": "alice-password"}).status_code == 200


def test_the_sign_in_page_says_how_long_to_wait(client, app, users):
    app.state.services.throttle.clock = Clock()
    for _ in range(PAIR.free):
        csrf = page_csrf(client.get("/signin").text)
        client.post("/signin", data={"name": "bob", "password": "faux", "csrf_token": csrf})
    csrf = page_csrf(client.get("/signin").text)
    page = client.post("/signin", data={"name": "bob", "password": "bob-password", "csrf_token": csrf})
    assert page.status_code == 429 and page.headers["Retry-After"] == "1"
    assert "Attendez 1 s avant de réessayer" in page.text


@pytest.mark.parametrize("attacker_accounts", [["alice"], ["alice", "bob", "prof", "prof2"]])
def test_failures_elsewhere_never_keep_a_learner_out_of_her_own_browser(app, users, attacker_accounts):
    app.state.services.throttle.clock = Clock()
    with TestClient(app) as hers, TestClient(app) as attacker:
        csrf = sign_in(hers, "alice")
        hers.delete("/api/session", headers={"X-CSRF-Token": csrf})
        for _ in range(30):
            for name in attacker_accounts:
                attacker.post("/api/session", json={"name": name, "password": "faux"})
        assert attacker.post("/api/session", json={"name": "alice", "password": "alice-password"}).status_code == 429
        assert hers.post("/api/session", json={"name": "alice", "password": "alice-password"}).status_code == 200
