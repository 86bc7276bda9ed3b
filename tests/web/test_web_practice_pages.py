"""The practice pages without JavaScript: join with a code, practise, see the summary and the
progress chart; the teacher's dashboard; a practice request in the chat opens a session."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from practice_helpers import PILES, seed_bank
from test_web_practice import api, make_class
from web_helpers import page_csrf

from precepteur.store.learning_models import PracticeSession


@pytest.fixture
def bank(app, users, tmp_path):
    return seed_bank(app, users, tmp_path)


def joined(app, code: str, nickname: str = "renard") -> TestClient:
    client = TestClient(app)
    page = client.get(f"/join?code={code}")
    assert page.status_code == 200 and "pseudonyme" in page.text.lower() and code in page.text
    response = client.post("/join", data={"csrf_token": page_csrf(page.text), "code": code, "nickname": nickname,
                                          "password": "mot-de-passe-1"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/practice", response.text
    return client


def test_join_practise_summary_progress_and_dashboard_pages(app, bank):
    class_id, code = make_class(app)
    learner = joined(app, code)
    home = learner.get("/practice")
    assert home.status_code == 200 and "Réviser (0 dues)" in home.text and "Les piles" in home.text
    started = learner.post("/practice/start", data={"csrf_token": page_csrf(home.text), "library": "nsi"},
                           follow_redirects=False)
    assert started.status_code == 303
    url = started.headers["location"]
    key = {r["id"]: r["answer"] for r in api(app, "prof").get(f"/api/sessions/{url.rsplit('/', 1)[1]}/key").json()["items"]}
    for _ in range(len(key)):
        page = learner.get(url)
        assert '<progress id="session-bar"' in page.text
        item_id = int(re.search(r'name="item_id" value="(\d+)"', page.text).group(1))
        learner.post(f"{url}/answer", data={"csrf_token": page_csrf(page.text), "item_id": item_id, "answer": key[item_id]})
    done = learner.get(url)
    assert "Bilan de la séance" in done.text and "5 bonne(s) réponse(s) du premier coup sur 5" in done.text
    assert "maîtrise 50 %" in done.text and "points" in done.text
    progress = learner.get("/progress")
    assert progress.status_code == 200 and "<svg" in progress.text and "<polyline" in progress.text
    dashboard = api(app, "prof").get(f"/classes/{class_id}")
    assert dashboard.status_code == 200 and "<svg" in dashboard.text and "renard" in dashboard.text
    assert code in dashboard.text
    assert api(app, "prof2").get(f"/classes/{class_id}").status_code == 404
    assert api(app, "bob").get(url).status_code == 404
    assert TestClient(app).get("/join").status_code == 200


def test_join_page_refuses_a_taken_nickname_and_a_bad_code(app, bank):
    _class_id, code = make_class(app)
    client = TestClient(app)
    page = client.get("/join")
    taken = client.post("/join", data={"csrf_token": page_csrf(page.text), "code": code, "nickname": "alice",
                                       "password": "mot-de-passe-1"})
    assert taken.status_code == 409 and "déjà pris" in taken.text
    bad = client.post("/join", data={"csrf_token": page_csrf(page.text), "code": "XXXX", "nickname": "loup",
                                     "password": "mot-de-passe-1"})
    assert bad.status_code == 422 and "n'existe pas" in html.unescape(bad.text)


def test_practice_request_in_the_chat_opens_a_session_on_that_skill(app, bank):
    _class_id, code = make_class(app)
    learner = joined(app, code)
    page = learner.get("/chat")
    asked = learner.post("/chat", data={"csrf_token": page_csrf(page.text), "question": "entraîne-moi sur les piles"},
                         follow_redirects=False)
    assert asked.status_code == 303 and asked.headers["location"].startswith("/practice/")
    with app.state.services.db.session() as s:
        assert [row.skill for row in s.query(PracticeSession)] == [PILES]
    api_client = api(app, "renard")
    made = api_client.post("/api/sessions/from-chat", json={"text": "Entraîne moi sur les files !"})
    assert made.status_code == 201 and made.json()["url"].startswith("/practice/")
    plain = api_client.post("/api/sessions/from-chat", json={"text": "C'est quoi une pile ?"})
    assert plain.status_code == 200 and plain.json()["id"] is None
    unknown = api_client.post("/api/sessions/from-chat", json={"text": "entraîne-moi sur la photosynthèse"})
    assert unknown.json()["id"] is None
