"""Practice over HTTP: a class, a join code, a learner's session, answers, the key, progress,
the dashboard; bad input answered clearly with nothing lost; other people's ids are 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from practice_helpers import FILES, PILES, WEB, seed_bank
from web_helpers import make_token

from precepteur.store.learning_models import JoinCode, PracticeAnswer, PracticeSession

SESSION_ITEM_KEYS = {"id", "kind", "prompt", "source", "choices"}


@pytest.fixture
def bank(app, users, tmp_path):
    return seed_bank(app, users, tmp_path)


def api(app, name: str) -> TestClient:
    client = TestClient(app)
    client.headers["Authorization"] = f"Bearer {make_token(app, name)}"
    return client


def make_class(app, teacher="prof", name="Terminale B") -> tuple[int, str]:
    prof = api(app, teacher)
    made = prof.post("/api/classes", json={"name": name, "level": "Terminale", "libraries": ["nsi"]})
    assert made.status_code == 201, made.text
    code = prof.post(f"/api/classes/{made.json()['id']}/codes", json={})
    assert code.status_code == 201, code.text
    return made.json()["id"], code.json()["code"]


def join(app, code, nickname="renard") -> TestClient:
    joined = TestClient(app).post("/api/join", json={"code": code, "nickname": nickname, "password": "mot-de-passe-1"})
    assert joined.status_code == 201, joined.text
    assert joined.json() == {"name": nickname}
    return api(app, nickname)


def count(app, model) -> int:
    with app.state.services.db.session() as s:
        return s.query(model).count()


def test_learner_of_a_class_gets_a_session_the_key_grades_right_and_progress_follows(app, bank):
    class_id, code = make_class(app)
    learner = join(app, code)
    started = learner.post("/api/sessions", json={"library": "nsi", "size": 5})
    assert started.status_code == 201, started.text
    session = started.json()
    assert set(session) == {"id", "items"} and isinstance(session["id"], str)
    assert len(session["items"]) == 5
    assert len({item["id"] for item in session["items"]}) == 5
    for item in session["items"]:
        assert set(item) <= SESSION_ITEM_KEYS and "key" not in item
        assert set(item["source"]) == {"document", "locator", "quote"} and item["source"]["quote"]

    key = api(app, "prof").get(f"/api/sessions/{session['id']}/key")
    assert key.status_code == 200, key.text
    answers = {row["id"]: row["answer"] for row in key.json()["items"]}
    assert set(answers) == {item["id"] for item in session["items"]}
    assert api(app, "admin").get(f"/api/sessions/{session['id']}/key").status_code == 200
    assert learner.get(f"/api/sessions/{session['id']}/key").status_code == 403

    ids = [item["id"] for item in session["items"]]
    wrong, right = ids[0], ids[1:]
    graded = learner.post(f"/api/sessions/{session['id']}/answers", json={"item_id": wrong, "answer": "zzz qwerty"})
    assert graded.status_code == 200, graded.text
    body = graded.json()
    assert body["correct"] is False and body["expected"] == answers[wrong] and body["feedback"]
    assert body["retry"] is True
    for item_id in right:
        body = learner.post(f"/api/sessions/{session['id']}/answers", json={"item_id": item_id,
                                                                            "answer": answers[item_id]}).json()
        assert body["correct"] is True, body
    assert body["next"] == wrong and not body["finished"]  # the wrong item comes back once, at the end
    last = learner.post(f"/api/sessions/{session['id']}/answers", json={"item_id": wrong, "answer": answers[wrong]})
    assert last.json()["correct"] is True and last.json()["finished"] is True
    summary = last.json()["summary"]
    assert summary["right"] == 4 and summary["asked"] == 5 and summary["message"] and summary["points"] > 0
    assert count(app, PracticeAnswer) == 6

    progress = learner.get("/api/me/progress")
    assert progress.status_code == 200
    skills = progress.json()["skills"]
    assert skills and all({"skill", "mastery", "due", "reviews"} <= set(row) for row in skills)
    assert all(0 <= row["mastery"] <= 1 and row["due"].endswith("Z") for row in skills)
    due = {item["id"]: item["due"] for row in skills for item in row["items"]}
    assert all(due[wrong] < due[i] for i in right)  # wrong answers are due sooner
    assert progress.json()["weekly"]["done"] == 1

    dashboard = api(app, "prof").get(f"/api/classes/{class_id}/dashboard")
    assert dashboard.status_code == 200, dashboard.text
    heat = dashboard.json()["heatmap"]
    assert [row["learner"] for row in heat] == ["renard"]
    assert any(cell for cell in heat[0]["cells"])
    assert dashboard.json()["sessions"][0]["id"] == session["id"]


def test_other_peoples_ids_are_404_on_every_route(app, bank):
    class_id, code = make_class(app)
    learner = join(app, code)
    session = learner.post("/api/sessions", json={"library": "nsi", "size": 5}).json()
    item = session["items"][0]["id"]
    sid = session["id"]
    strangers = {"bob": api(app, "bob"), "prof2": api(app, "prof2"), "alice": api(app, "alice")}
    for name, client in strangers.items():
        assert client.get(f"/api/sessions/{sid}").status_code == 404, name
        assert client.get(f"/api/sessions/{sid}/key").status_code == 404, name
        assert client.post(f"/api/sessions/{sid}/answers", json={"item_id": item, "answer": "x"}).status_code == 404
        assert client.post(f"/api/sessions/{sid}/hint", json={"item_id": item}).status_code == 404
        assert client.get(f"/api/sessions/{sid}x/key").status_code == 404
    prof2 = strangers["prof2"]
    for path in (f"/api/classes/{class_id}", f"/api/classes/{class_id}/dashboard", "/api/classes/999/dashboard"):
        assert prof2.get(path).status_code == 404, path
    assert prof2.post(f"/api/classes/{class_id}/codes", json={}).status_code == 404
    assert prof2.post(f"/api/classes/{class_id}/learners/renard/password", json={"password": "x" * 10}).status_code == 404
    assert learner.get(f"/api/classes/{class_id}/dashboard").status_code == 403
    assert prof2.get("/api/classes").json() == []
    # bob (prof2's learner, not in the class) cannot practise prof's restricted library
    assert strangers["bob"].post("/api/sessions", json={"library": "nsi", "size": 5}).status_code == 404
    # the teacher reads the session, may not answer it
    prof = api(app, "prof")
    assert prof.get(f"/api/sessions/{sid}").status_code == 200
    assert prof.post(f"/api/sessions/{sid}/answers", json={"item_id": item, "answer": "x"}).status_code == 403
    assert count(app, PracticeAnswer) == 0


def test_bad_codes_and_taken_nicknames(app, bank):
    class_id, code = make_class(app)
    prof = api(app, "prof")
    expired = prof.post(f"/api/classes/{class_id}/codes", json={"days": 1}).json()["code"]
    with app.state.services.db.session() as s:
        row = s.query(JoinCode).filter_by(code=expired).one()
        row.expires_at = row.expires_at - timedelta(days=2)
    revoked = prof.post(f"/api/classes/{class_id}/codes", json={}).json()["code"]
    assert prof.post(f"/api/classes/{class_id}/codes/{revoked}/revoke").json()["state"] == "revoked"
    anonymous = TestClient(app)
    for bad, message in ((expired, "expiré"), (revoked, "retiré"), ("QQQQ-QQQQ", "n'existe pas")):
        answer = anonymous.post("/api/join", json={"code": bad, "nickname": "loup", "password": "mot-de-passe-1"})
        assert answer.status_code == 422 and message in answer.json()["error"]["message"], answer.text
    taken = anonymous.post("/api/join", json={"code": code, "nickname": "alice", "password": "mot-de-passe-1"})
    assert taken.status_code == 409 and "déjà pris" in taken.json()["error"]["message"]
    assert prof.get(f"/api/classes/{class_id}").json()["learners"] == []
    join(app, code, "loup")
    again = anonymous.post("/api/join", json={"code": code, "nickname": "LOUP", "password": "mot-de-passe-1"})
    assert again.status_code == 409
    assert prof.get(f"/api/classes/{class_id}").json()["learners"] == ["loup"]


def test_bad_sessions_and_answers_are_refused_and_nothing_is_lost(app, bank):
    _class_id, code = make_class(app)
    learner = join(app, code)
    for size in (0, 500, 4, 11, -3):
        refused = learner.post("/api/sessions", json={"library": "nsi", "size": size})
        assert refused.status_code == 422 and "de 5 à 10" in refused.json()["error"]["message"], size
    empty = learner.post("/api/sessions", json={"library": "vide", "size": 5})
    assert empty.status_code == 422 and "aucun exercice approuvé" in empty.json()["error"]["message"]
    no_item = learner.post("/api/sessions", json={"library": "nsi", "size": 5, "skill": WEB})  # a draft only
    assert no_item.status_code == 422 and "aucun exercice approuvé" in no_item.json()["error"]["message"]
    assert learner.post("/api/sessions", json={"library": "inconnue", "size": 5}).status_code == 404
    assert count(app, PracticeSession) == 0

    session = learner.post("/api/sessions", json={"library": "nsi", "size": 5, "skill": PILES}).json()
    assert {i["id"] for i in session["items"]} and len(session["items"]) == 3  # the skill has 3 approved items
    sid, first = session["id"], session["items"][0]["id"]
    outside = learner.post(f"/api/sessions/{sid}/answers", json={"item_id": 999999, "answer": "x"})
    assert outside.status_code == 422 and "ne fait pas partie" in outside.json()["error"]["message"]
    ok = learner.post(f"/api/sessions/{sid}/answers", json={"item_id": first, "answer": "whatever"})
    assert ok.status_code == 200
    if ok.json()["correct"] is False:  # the retry is allowed once
        assert learner.post(f"/api/sessions/{sid}/answers", json={"item_id": first, "answer": "x"}).status_code == 200
    second = learner.post(f"/api/sessions/{sid}/answers", json={"item_id": first, "answer": "x"})
    assert second.status_code == 409 and "déjà reçu" in second.json()["error"]["message"]
    before = count(app, PracticeAnswer)
    state = learner.get(f"/api/sessions/{sid}").json()
    assert state["answered"] == before and first not in state["queue"]
    for missing in ("/api/sessions", "/api/me/progress"):
        assert TestClient(app).get(missing).status_code in (401, 405)


def test_skill_session_and_hint_counts_as_hard(app, bank):
    _class_id, code = make_class(app)
    learner = join(app, code)
    session = learner.post("/api/sessions", json={"library": "nsi", "size": 5, "skill": FILES}).json()
    assert len(session["items"]) == 2
    item = session["items"][0]
    hint = learner.post(f"/api/sessions/{session['id']}/hint", json={"item_id": item["id"]})
    assert hint.status_code == 200 and hint.json()["hint"]
    key = {r["id"]: r["answer"] for r in api(app, "prof").get(f"/api/sessions/{session['id']}/key").json()["items"]}
    learner.post(f"/api/sessions/{session['id']}/answers", json={"item_id": item["id"], "answer": key[item["id"]]})
    with app.state.services.db.session() as s:
        answer = s.query(PracticeAnswer).one()
        assert answer.hinted and answer.correct


def test_points_can_be_turned_off_for_a_class(app, bank):
    class_id, code = make_class(app)
    learner = join(app, code)
    assert "points" in learner.get("/api/me/progress").json()
    assert api(app, "prof").patch(f"/api/classes/{class_id}", json={"points": False}).json()["points"] is False
    assert "points" not in learner.get("/api/me/progress").json()
