"""Short answers in sessions: when no accepted form matches, the item bank's rubric judge decides
(on the app's model, here the scripted one), the answer records who graded it, and a judge that
fails leaves code's verdict with feedback that says so."""

from __future__ import annotations

import pytest
from practice_helpers import PILES, _item, seed_bank
from test_web_practice import join, make_class

from precepteur.learning.items.types import Item
from precepteur.errors import ModelError
from precepteur.store.learning_models import PracticeAnswer

SENTENCE = "Dans une pile, seul le sommet est accessible."


@pytest.fixture
def short_answer(app, users, tmp_path) -> int:
    seed_bank(app, users, tmp_path)
    from precepteur.store.items import add_item

    base = _item(PILES, SENTENCE, "cloze", "sommet")
    item = Item(**{**base.__dict__, "kind": "short_answer", "prompt": "Quel élément d'une pile est accessible ?",
                   "key": "le sommet", "choices": None})
    with app.state.services.db.session() as s:
        return add_item(s, item).id


def _session_with(app, learner, item_id: int) -> str:
    started = learner.post("/api/sessions", json={"library": "nsi", "size": 5, "skill": PILES})
    assert started.status_code == 201, started.text
    assert item_id in [i["id"] for i in started.json()["items"]]
    return started.json()["id"]


def _stored(app, session_id: str, item_id: int) -> PracticeAnswer:
    with app.state.services.db.session() as s:
        row = s.query(PracticeAnswer).filter_by(session_id=session_id, item_id=item_id).one()
        s.expunge(row)
        return row


def test_the_model_judges_a_short_answer_code_cannot_match_and_the_answer_records_it(app, short_answer):
    _class_id, code = make_class(app)
    learner = join(app, code)
    session_id = _session_with(app, learner, short_answer)
    model = app.state.services.model
    model.enqueue({"correct": True})
    calls = len(model.calls)
    answered = learner.post(f"/api/sessions/{session_id}/answers",
                            json={"item_id": short_answer, "answer": "l'élément du haut, celui posé en dernier"})
    assert answered.status_code == 200, answered.text
    body = answered.json()
    assert body["correct"] is True and body["graded_by"] == "model"
    assert "jugée par le modèle" in body["feedback"]
    assert len(model.calls) == calls + 1
    prompt = " ".join(m["content"] for m in model.calls[-1])
    assert SENTENCE in prompt and "celui posé en dernier" in prompt  # the passage and the answer to judge
    row = _stored(app, session_id, short_answer)
    assert row.correct is True and row.graded_by == "model" and row.first is True
    page = learner.get(f"/practice/{session_id}")  # the page shows the stored verdict again, no new call
    assert page.status_code == 200 and "jugée par le modèle" in page.text
    assert len(model.calls) == calls + 1


def test_an_exact_answer_is_graded_by_code_without_the_model(app, short_answer):
    _class_id, code = make_class(app)
    learner = join(app, code)
    session_id = _session_with(app, learner, short_answer)
    calls = len(app.state.services.model.calls)
    body = learner.post(f"/api/sessions/{session_id}/answers", json={"item_id": short_answer, "answer": "Le sommet"}).json()
    assert body["correct"] is True and body["graded_by"] == "code"
    assert len(app.state.services.model.calls) == calls
    assert _stored(app, session_id, short_answer).graded_by == "code"


def test_a_judge_that_fails_leaves_the_answer_graded_by_code_and_says_so(app, short_answer):
    _class_id, code = make_class(app)
    learner = join(app, code)
    session_id = _session_with(app, learner, short_answer)
    app.state.services.model.enqueue(ModelError("items.error.model_timeout", seconds=20))
    body = learner.post(f"/api/sessions/{session_id}/answers",
                        json={"item_id": short_answer, "answer": "celui du haut"}).json()
    assert body["correct"] is False and body["graded_by"] == "fallback"
    assert "Corrigé par le programme seul" in body["feedback"]
    row = _stored(app, session_id, short_answer)
    assert row.correct is False and row.graded_by == "fallback"
    page = learner.get(f"/practice/{session_id}")
    assert "Corrigé par le programme seul" in page.text
