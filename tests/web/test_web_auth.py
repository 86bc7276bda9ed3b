"""Signing in and out, CSRF, bearer tokens, the session key and the page language."""

from __future__ import annotations

import html
import stat

from fastapi.testclient import TestClient
from web_helpers import make_token, page_csrf, sign_in

from precepteur.web.app import create_app


def test_signin_page_is_french_and_accessible(client):
    response = client.get("/signin")
    assert response.status_code == 200
    page = response.text
    assert '<html lang="fr">' in page
    assert '<label for="name">' in page and '<label for="password">' in page
    assert '<main id="main"' in page and 'name="viewport"' in page
    assert "Connexion" in page


def test_sign_in_with_the_form_then_sign_out(client):
    csrf = page_csrf(client.get("/signin").text)
    response = client.post(
        "/signin", data={"name": "alice", "password": "alice-password", "csrf_token": csrf, "next": "/chat"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/chat"
    chat = client.get("/chat")
    assert chat.status_code == 200 and "alice" in chat.text
    csrf = page_csrf(chat.text)
    out = client.post("/signout", data={"csrf_token": csrf}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/chat", follow_redirects=False).status_code == 303


def test_wrong_password_shows_a_clear_error_on_the_page(client):
    csrf = page_csrf(client.get("/signin").text)
    response = client.post("/signin", data={"name": "alice", "password": "nope-nope", "csrf_token": csrf})
    assert response.status_code == 401
    assert "Nom d'utilisateur ou mot de passe incorrect" in html.unescape(response.text)
    assert 'role="alert"' in response.text
    assert client.get("/api/me").status_code == 401


def test_wrong_password_is_401_on_the_api(client):
    response = client.post("/api/session", json={"name": "alice", "password": "wrong-password"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert "mot de passe incorrect" in response.json()["error"]["message"]


def test_unknown_name_gets_the_same_answer_as_a_wrong_password(client):
    unknown = client.post("/api/session", json={"name": "nobody", "password": "whatever-pw"})
    wrong = client.post("/api/session", json={"name": "alice", "password": "whatever-pw"})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()


def test_signin_form_without_csrf_is_refused(client):
    client.get("/signin")
    response = client.post("/signin", data={"name": "alice", "password": "alice-password"})
    assert response.status_code == 403
    assert "CSRF" in response.text


def test_next_never_leaves_the_site(client):
    csrf = page_csrf(client.get("/signin").text)
    response = client.post(
        "/signin", data={"name": "alice", "password": "alice-password", "csrf_token": csrf, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/chat"


def test_pages_redirect_to_signin_and_api_answers_401_json(client):
    page = client.get("/chat/5", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/signin?next=")
    api = client.get("/api/conversations")
    assert api.status_code == 401
    assert api.json()["error"]["type"] == "unauthorized"


def test_api_changes_with_a_cookie_need_the_csrf_header(client):
    csrf = sign_in(client, "alice")
    refused = client.post("/api/conversations", json={"title": "x"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    accepted = client.post("/api/conversations", json={"title": "x"}, headers={"X-CSRF-Token": csrf})
    assert accepted.status_code == 201


def test_me_with_a_session_and_with_a_token(client, app):
    csrf = sign_in(client, "prof")
    me = client.get("/api/me").json()
    assert me["name"] == "prof" and me["role"] == "teacher" and me["csrf_token"] == csrf
    token = make_token(app, "alice")
    fresh = TestClient(app)
    me = fresh.get("/api/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["name"] == "alice" and me["csrf_token"] is None


def test_bearer_token_needs_no_csrf(client, app):
    token = make_token(app, "alice")
    response = client.post("/api/conversations", json={"title": "t"}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201


def test_missing_token_is_401_with_a_json_error(client):
    response = client.get("/v1/models")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "Authorization: Bearer" in response.json()["error"]["message"]


def test_unknown_and_revoked_tokens_are_401(client, app):
    bad = client.get("/api/me", headers={"Authorization": "Bearer prc_not-a-real-token"})
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "unauthorized"
    token = make_token(app, "alice")
    assert client.get("/v1/models", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    admin = make_token(app, "admin")
    tokens = client.get("/api/tokens", headers={"Authorization": f"Bearer {admin}"}).json()
    alice_token = next(t for t in tokens if t["prefix"] == token[:8])
    revoked = client.delete(f"/api/tokens/{alice_token['id']}", headers={"Authorization": f"Bearer {admin}"})
    assert revoked.status_code == 204
    after = client.get("/v1/models", headers={"Authorization": f"Bearer {token}"})
    assert after.status_code == 401
    assert "révoqué" in after.json()["error"]["message"]


def test_secret_key_is_generated_once_with_mode_0600(settings, users):
    settings.secret_key = None
    create_app(settings)
    key_file = settings.home / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    first = key_file.read_text()
    create_app(settings)
    assert key_file.read_text() == first and len(first) >= 32


def test_session_survives_a_restart_with_the_persisted_key(settings, users):
    settings.secret_key = None
    first = TestClient(create_app(settings))
    sign_in(first, "alice")
    second = TestClient(create_app(settings), cookies=first.cookies)
    assert second.get("/api/me").json()["name"] == "alice"


def test_language_switch_is_remembered(client):
    sign_in(client, "alice")
    english = client.get("/chat?lang=en")
    assert '<html lang="en">' in english.text and "Your question" in english.text
    again = client.get("/chat")
    assert '<html lang="en">' in again.text
    french = client.get("/chat?lang=fr")
    assert '<html lang="fr">' in french.text and "Votre question" in french.text


def test_account_language_is_used_after_sign_in(client, app):
    from precepteur.gate.accounts import get_user

    sign_in(client, "alice")
    client.get("/chat?lang=en")
    with app.state.services.db.session() as s:
        assert get_user(s, "alice").lang == "en"
    fresh = TestClient(app)
    sign_in(fresh, "alice")
    assert '<html lang="en">' in fresh.get("/chat").text
