"""Safety and privacy through the app: flags for the right teacher only, PII never stored,
reads audited, graded work, export and erasure; every route tried as the wrong person."""

from __future__ import annotations

import sqlite3

import pytest
from web_helpers import make_token, sign_in

PII_SAMPLES = [
    "appelle-moi au 06 12 34 56 78 stp", "mon mail c'est lea.martin@gmail.com", "j'habite au 12 rue des Lilas 75011 Paris",
    "ma sécu 1 85 05 78 006 084 36", "mon INE c'est 1234567890A", "moi c'est alice, le prof c'est prof",
]
RAW_VALUES = ["06 12 34 56 78", "lea.martin@gmail.com", "12 rue des Lilas", "1 85 05 78 006 084 36", "1234567890A"]


def ask(client, csrf: str, question: str) -> dict:
    conversation = client.post("/api/conversations", json={}, headers={"X-CSRF-Token": csrf}).json()["id"]
    response = client.post(f"/api/conversations/{conversation}/messages?stream=false", json={"question": question},
                           headers={"X-CSRF-Token": csrf})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def flagged(client):
    csrf = sign_in(client, "alice")
    answer = ask(client, csrf, "jveu plu vivre, personne ne m'aime")
    assert "3114" in answer["answer"] and answer["declined"]
    client.delete("/api/session", headers={"X-CSRF-Token": csrf})
    return answer


def bearer(app, name: str) -> dict:
    return {"Authorization": f"Bearer {make_token(app, name)}"}


def test_the_learners_teacher_sees_the_flag_without_the_text(app, client, flagged):
    flags = client.get("/api/flags", headers=bearer(app, "prof")).json()
    assert [(f["learner"], f["category"], f["seen"]) for f in flags] == [("alice", "self_harm", False)]
    assert "vivre" not in str(flags)
    assert client.get("/api/flags", headers=bearer(app, "prof2")).json() == []
    assert client.post(f"/api/flags/{flags[0]['id']}/seen", headers=bearer(app, "prof2")).status_code == 404
    seen = client.post(f"/api/flags/{flags[0]['id']}/seen", headers=bearer(app, "prof")).json()
    assert seen["seen"] is True
    assert client.get("/api/flags?unseen=true", headers=bearer(app, "prof")).json() == []
    assert len(client.get("/api/flags", headers=bearer(app, "admin")).json()) == 1


def test_flags_are_not_for_learners_or_strangers(app, client, flagged):
    assert client.get("/api/flags", headers=bearer(app, "alice")).status_code == 403
    assert client.get("/api/flags").status_code == 401
    assert client.post("/api/flags/1/seen", headers=bearer(app, "bob")).status_code == 403


def test_personal_data_never_reaches_the_database(app, client, settings):
    csrf = sign_in(client, "alice")
    for sample in PII_SAMPLES:
        answer = ask(client, csrf, sample)
        assert "masqué" in answer["answer"]
    with app.state.services.db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = (settings.home / "precepteur.db").read_bytes()
    for value in RAW_VALUES + ["est alice,"]:
        assert value.encode() not in raw, value
    rows = sqlite3.connect(settings.home / "precepteur.db").execute("SELECT content FROM messages").fetchall()
    assert any("[téléphone masqué]" in r[0] for r in rows) and any("[nom masqué]" in r[0] for r in rows)


def test_a_teachers_read_is_audited_and_only_admins_read_the_log(app, client):
    csrf = sign_in(client, "alice")
    conversation = ask(client, csrf, "C'est quoi une pile ?")["conversation_id"]
    assert client.get(f"/api/conversations/{conversation}", headers=bearer(app, "prof")).status_code == 200
    assert client.get(f"/api/conversations/{conversation}", headers=bearer(app, "alice")).status_code == 200
    assert client.get(f"/api/conversations/{conversation}", headers=bearer(app, "prof2")).status_code == 404
    log = client.get("/api/audit", headers=bearer(app, "admin")).json()
    assert [(e["actor"], e["action"], e["object_id"]) for e in log] == [("prof", "read_conversation", conversation)]
    assert client.get("/api/audit", headers=bearer(app, "prof")).status_code == 403
    assert client.get("/api/audit", headers=bearer(app, "alice")).status_code == 403


def test_graded_work_is_the_teachers_and_puts_her_learners_in_hint_mode(app, client):
    body = {"title": "DM 3", "statement": "Résous 2x + 3 = 7", "solution": "2x = 4 donc x = 2", "answer": "2"}
    assert client.post("/api/homework", json=body, headers=bearer(app, "alice")).status_code == 403
    created = client.post("/api/homework", json=body, headers=bearer(app, "prof"))
    assert created.status_code == 201
    work = created.json()
    assert client.post("/api/homework", json={"title": "vide"}, headers=bearer(app, "prof")).status_code == 422
    assert client.get("/api/homework", headers=bearer(app, "prof2")).json() == []
    assert client.delete(f"/api/homework/{work['id']}", headers=bearer(app, "prof2")).status_code == 404
    csrf = sign_in(client, "alice")
    answer = ask(client, csrf, "résous 2x + 3 = 7")
    assert answer["answer"].startswith("C'est un travail noté") and "x = 2" not in answer["answer"]
    client.delete("/api/session", headers={"X-CSRF-Token": csrf})
    csrf = sign_in(client, "bob")  # another teacher's learner: an ordinary question
    assert not ask(client, csrf, "résous 2x + 3 = 7")["answer"].startswith("C'est un travail noté")
    assert client.delete(f"/api/homework/{work['id']}", headers=bearer(app, "prof")).status_code == 204


def test_export_and_erasure(app, client, users):
    csrf = sign_in(client, "alice")
    ask(client, csrf, "C'est quoi une file ?")
    mine = client.get("/api/me/export", headers={"X-CSRF-Token": csrf}).json()
    assert mine["user"] == "alice" and len(mine["tables"]["messages"]) == 2
    alice = users["alice"].id
    assert client.get(f"/api/users/{alice}/export", headers=bearer(app, "prof")).status_code == 403
    assert client.get(f"/api/users/{alice}/export", headers=bearer(app, "admin")).json()["tables"] == mine["tables"]
    assert client.delete(f"/api/users/{alice}/data", headers=bearer(app, "prof")).status_code == 403
    assert client.delete(f"/api/users/{users['prof'].id}/data", headers=bearer(app, "admin")).status_code == 404
    deleted = client.delete(f"/api/users/{alice}/data", headers=bearer(app, "admin")).json()["deleted"]
    assert deleted["messages"] == 2 and deleted["users"] == 1
    assert client.get(f"/api/users/{alice}/export", headers=bearer(app, "admin")).status_code == 404
    assert client.post("/api/session", json={"name": "alice", "password": "alice-password"}).status_code == 401


def test_the_safety_page_lists_flags_and_graded_work(app, client, flagged):
    csrf = sign_in(client, "prof")
    page = client.get("/safety")
    assert page.status_code == 200 and "alice" in page.text and "3114" in page.text
    added = client.post("/safety/homework", data={"title": "DM 4", "statement": "Calcule 12 × 12",
                                                  "csrf_token": csrf}, follow_redirects=False)
    assert added.status_code == 303
    assert "DM 4" in client.get("/safety").text
    client.delete("/api/session", headers={"X-CSRF-Token": csrf})
    csrf = sign_in(client, "alice")
    assert client.get("/safety").status_code == 403
