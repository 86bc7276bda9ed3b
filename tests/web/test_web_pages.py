"""The server-rendered pages: chat (with and without JavaScript), model, admin, libraries."""

from __future__ import annotations

import html
import time

from fastapi.testclient import TestClient
from web_helpers import page_csrf, sign_in

LETTERS = "Combien de lettres dans le mot « lettre » ?"
COURSE = """# Les listes chaînées

## Définition

Une liste chaînée est une suite de maillons ; chaque maillon contient une valeur
et une référence vers le maillon suivant.

## Insertion

Insérer en tête d'une liste chaînée se fait en temps constant.
"""


def text(response) -> str:
    return html.unescape(response.text)


def signed_in(app, name: str) -> TestClient:
    client = TestClient(app)
    sign_in(client, name)
    return client


def test_home_redirects(client):
    assert client.get("/", follow_redirects=False).headers["location"] == "/signin"
    sign_in(client, "alice")
    assert client.get("/", follow_redirects=False).headers["location"] == "/chat"


def test_chat_page_has_levels_modes_and_an_accessible_form(client):
    sign_in(client, "alice")
    page = text(client.get("/chat"))
    for label in ("CP", "Sixième", "Terminale", "Adulte"):
        assert f">{label}</option>" in page
    assert '<option value="6e" selected>' in page  # alice's level
    assert 'value="socratic"' in page and 'value="explain"' in page
    assert '<label for="question">' in page and '<label for="level">' in page and '<label for="library">' in page
    assert 'aria-live="polite"' in page and "/static/chat.js" in page
    assert "Aucune conversation pour l'instant." in page


def test_form_without_javascript_asks_and_shows_the_answer(client):
    sign_in(client, "alice")
    csrf = page_csrf(client.get("/chat").text)
    response = client.post(
        "/chat", data={"csrf_token": csrf, "question": LETTERS, "level": "CE2", "mode": "explain", "library": ""},
        follow_redirects=False,
    )
    assert response.status_code == 303
    location = response.headers["location"]
    page = text(client.get(location))
    assert "Calculé par Précepteur, pas deviné par le modèle : 6" in page
    assert LETTERS in page and '<option value="CE2" selected>' in page
    assert f'href="{location}" aria-current="page"' in page  # listed in the history


def test_form_needs_csrf(client):
    sign_in(client, "alice")
    response = client.post("/chat", data={"question": LETTERS})
    assert response.status_code == 403


def test_teacher_reads_a_learners_conversation_without_a_form(client, app):
    csrf = sign_in(client, "alice")
    conversation_id = client.post("/api/conversations", json={}, headers={"X-CSRF-Token": csrf}).json()["id"]
    client.post(f"/api/conversations/{conversation_id}/messages?stream=false", json={"question": LETTERS},
                headers={"X-CSRF-Token": csrf})
    prof = signed_in(app, "prof")
    page = text(prof.get(f"/chat/{conversation_id}"))
    assert LETTERS in page and 'id="ask-form"' not in page
    assert "vous ne pouvez pas y écrire" in page
    assert '<span class="owner">alice</span>' in page


def test_incomplete_answer_is_flagged_on_the_page(client, app):
    from precepteur.store.conversations import add_message, create_conversation
    from precepteur.store.models import User

    with app.state.services.db.session() as s:
        alice = s.query(User).filter_by(name="alice").one()
        conversation = create_conversation(s, alice, title="Coupée", level="6e", mode="explain", model="scripted")
        add_message(s, conversation, "user", "Raconte")
        add_message(s, conversation, "assistant", "Il était une", complete=False)
        conversation_id = conversation.id
    sign_in(client, "alice")
    page = text(client.get(f"/chat/{conversation_id}"))
    assert "Il était une" in page and "Réponse interrompue" in page


def test_model_page_is_honest(client):
    page = text(client.get("/model"))
    assert "scripted" in page and "Apache-2.0" in page and "test double" in page
    assert "Ce que ce modèle ne sait pas faire" in page
    assert "Compter ou calculer de façon fiable" in page
    assert "Deterministic test model" in page  # the model's own declared limitations
    english = text(client.get("/model?lang=en"))
    assert "What this model cannot do" in english and '<html lang="en">' in english


def test_models_api(client):
    sign_in(client, "alice")
    models = client.get("/api/models").json()
    assert models[0]["name"] == "scripted" and models[0]["licence"] == "Apache-2.0"
    assert len(models[0]["cannot_do"]) == 5


def test_admin_page_only_for_admins(client, app):
    sign_in(client, "alice")
    assert client.get("/admin").status_code == 403
    assert signed_in(app, "prof").get("/api/users").status_code == 403
    assert signed_in(app, "admin").get("/admin").status_code == 200


def test_admin_creates_a_user_who_can_sign_in(app):
    admin = signed_in(app, "admin")
    csrf = page_csrf(admin.get("/admin").text)
    created = admin.post("/admin/users", data={
        "csrf_token": csrf, "name": "chloe", "role": "learner", "password": "chloe-password",
        "level": "CM2", "teacher": "prof", "user_lang": "fr",
    })
    assert created.status_code == 200 and "Compte créé." in text(created)
    assert "chloe" in created.text
    chloe = TestClient(app)
    assert sign_in(chloe, "chloe", "chloe-password")
    duplicate = admin.post("/admin/users", data={"csrf_token": csrf, "name": "chloe", "role": "learner"})
    assert duplicate.status_code == 422 and 'role="alert"' in duplicate.text


def test_admin_sets_a_password(app):
    admin = signed_in(app, "admin")
    csrf = page_csrf(admin.get("/admin").text)
    users = admin.get("/api/users").json()
    bob = next(u for u in users if u["name"] == "bob")
    short = admin.post(f"/admin/users/{bob['id']}/password", data={"csrf_token": csrf, "password": "court"})
    assert short.status_code == 422
    done = admin.post(
        f"/admin/users/{bob['id']}/password", data={"csrf_token": csrf, "password": "nouveau-mot-de-passe"}
    )
    assert "Mot de passe enregistré." in text(done)
    assert sign_in(TestClient(app), "bob", "nouveau-mot-de-passe")


def test_admin_token_is_shown_once_then_revoked(app):
    admin = signed_in(app, "admin")
    csrf = page_csrf(admin.get("/admin").text)
    created = admin.post("/admin/tokens", data={"csrf_token": csrf, "owner": "alice", "name": "tablette"})
    page = text(created)
    assert "Copiez ce jeton maintenant" in page
    token = page.split('id="new-token" class="token" type="text" readonly value="')[1].split('"')[0]
    assert token.startswith("prc_")
    assert token not in admin.get("/admin").text  # never shown again
    api = TestClient(app)
    assert api.get("/api/me", headers={"Authorization": f"Bearer {token}"}).json()["name"] == "alice"
    token_id = next(t["id"] for t in admin.get("/api/tokens").json() if t["name"] == "tablette")
    revoked = admin.post(f"/admin/tokens/{token_id}/revoke", data={"csrf_token": csrf})
    assert "Jeton révoqué." in text(revoked)
    assert api.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_admin_api_users_and_tokens(app):
    admin = signed_in(app, "admin")
    csrf = admin.get("/api/me").json()["csrf_token"]
    headers = {"X-CSRF-Token": csrf}
    made = admin.post(
        "/api/users", json={"name": "dana", "role": "teacher", "password": "dana-password"}, headers=headers
    )
    assert made.status_code == 201 and made.json()["role"] == "teacher"
    bad = admin.post("/api/users", json={"name": "x", "role": "learner"}, headers=headers)
    assert bad.status_code == 422
    token = admin.post("/api/tokens", json={"user": "dana", "name": "ci"}, headers=headers)
    assert token.status_code == 201 and token.json()["token"].startswith("prc_")
    assert "token" not in admin.get("/api/tokens").json()[0]
    assert admin.delete("/api/tokens/99999", headers=headers).status_code == 404


def wait_for_job(client, poll: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(poll).json()
        if job["finished"]:
            return job
        time.sleep(0.1)
    raise AssertionError("ingestion did not finish")


def test_library_pages_create_upload_and_remove(app, tmp_path):
    prof = signed_in(app, "prof")
    csrf = page_csrf(prof.get("/library").text)
    created = prof.post("/library", data={"csrf_token": csrf, "name": "nsi"}, follow_redirects=False)
    assert created.status_code == 303 and created.headers["location"] == "/library/nsi"
    upload = prof.post(
        "/library/nsi/upload",
        files=[("files", ("../listes.md", COURSE.encode(), "text/markdown"))],
        headers={"X-CSRF-Token": csrf, "X-Requested-With": "XMLHttpRequest"},
    )
    assert upload.status_code == 202, upload.text
    job = wait_for_job(prof, upload.json()["poll"])
    assert job["phase"] == "done" and job["added"] == ["listes.md"] and job["label"] == "Terminé."
    page = text(prof.get(f"/library/nsi?job={job['id']}"))
    assert "listes.md" in page and "Ajoutés : listes.md" in page
    assert "<progress" in page and "/static/upload.js" in page

    alice = signed_in(app, "alice")
    assert [lib["name"] for lib in alice.get("/api/libraries").json()] == ["nsi"]
    assert alice.get("/library").status_code == 403

    removed = prof.post("/library/nsi/documents/remove", data={"csrf_token": csrf, "document": "listes.md"},
                        follow_redirects=False)
    assert removed.status_code == 303
    assert "Aucun document pour l'instant." in text(prof.get("/library/nsi"))
    prof.post("/library/nsi/remove", data={"csrf_token": csrf})
    assert prof.get("/library/nsi").status_code == 404


def test_a_teacher_cannot_manage_anothers_library(app):
    prof = signed_in(app, "prof")
    csrf = page_csrf(prof.get("/library").text)
    prof.post("/library", data={"csrf_token": csrf, "name": "prive", "restricted": "true"})
    prof2 = signed_in(app, "prof2")
    csrf2 = page_csrf(prof2.get("/library").text)
    # restricted: to prof2 it does not exist (404, as in the JSON API), on the list or behind a link
    assert prof2.post("/library/prive/remove", data={"csrf_token": csrf2}).status_code == 404
    assert prof2.get("/library/prive").status_code == 404 and "prive" not in prof2.get("/library").text
    # restricted: prof's learner alice sees it, prof2's learner bob does not
    assert [lib["name"] for lib in signed_in(app, "alice").get("/api/libraries").json()] == ["prive"]
    assert signed_in(app, "bob").get("/api/libraries").json() == []
    prof.post("/library", data={"csrf_token": csrf, "name": "ouverte"})  # open: prof2 sees it, may not remove it
    assert prof2.post("/library/ouverte/remove", data={"csrf_token": csrf2}).status_code == 403


def test_answer_cites_the_teachers_document(app, tmp_path):
    source = tmp_path / "listes.md"
    source.write_text(COURSE, encoding="utf-8")
    app.state.services.library.add("nsi", [source], embed=False)
    alice = signed_in(app, "alice")
    csrf = page_csrf(alice.get("/chat").text)
    response = alice.post("/chat", data={
        "csrf_token": csrf, "question": "Qu'est-ce qu'une liste chaînée ?", "level": "Terminale",
        "mode": "explain", "library": "nsi",
    })
    page = text(response)
    assert "D'après le document du professeur" in page
    assert '<section class="citations"' in page and "<cite>listes.md</cite>" in page
    assert '<span class="locator">listes.md › Les listes chaînées' in page
    quote = page.split("<blockquote>« ")[1].split(" »</blockquote>")[0]
    assert quote in COURSE  # the quoted passage is the teacher's own words


def test_upload_over_the_limit_is_413(app, monkeypatch):
    from precepteur.web import limits

    monkeypatch.setattr(limits, "MAX_UPLOAD_BYTES", 1000)
    prof = signed_in(app, "prof")
    csrf = page_csrf(prof.get("/library").text)
    prof.post("/library", data={"csrf_token": csrf, "name": "gros"})
    response = prof.post(
        "/library/gros/upload", files=[("files", ("gros.txt", b"x" * 5000, "text/plain"))],
        headers={"X-CSRF-Token": csrf, "Accept": "application/json"},
    )
    assert response.status_code == 413
