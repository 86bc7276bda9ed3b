"""The class-level training opt-in: off by default, in the class's JSON, set by the class's teacher
through `PATCH /api/classes/{id}` or the checkbox on the class page; nobody else may touch it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from practice_helpers import seed_bank
from test_web_practice import api, join, make_class
from web_helpers import page_csrf, sign_in

from precepteur.store import classes as rooms
from precepteur.store.learning_models import SchoolClass
from precepteur.store.models import User


@pytest.fixture
def bank(app, users, tmp_path):
    return seed_bank(app, users, tmp_path)


def opted_in(app, class_id: int) -> bool:
    with app.state.services.db.session() as s:
        return s.get(SchoolClass, class_id).training_opt_in


def test_the_teacher_turns_the_opt_in_on_and_off_through_the_api(app, bank):
    class_id, code = make_class(app)
    learner = join(app, code)
    prof = api(app, "prof")
    assert prof.get(f"/api/classes/{class_id}").json()["training_opt_in"] is False
    with app.state.services.db.session() as s:
        learner_id = s.query(User).filter_by(name="renard").one().id
        assert rooms.training_allowed(s, learner_id) is False
    changed = prof.patch(f"/api/classes/{class_id}", json={"training_opt_in": True})
    assert changed.status_code == 200, changed.text
    assert changed.json()["training_opt_in"] is True and changed.json()["points"] is True  # nothing else moved
    with app.state.services.db.session() as s:
        assert rooms.training_allowed(s, learner_id) is True
    for other in (api(app, "prof2"), learner):  # another teacher, a learner: as if the class did not exist
        assert other.patch(f"/api/classes/{class_id}", json={"training_opt_in": False}).status_code in (403, 404)
    assert opted_in(app, class_id) is True
    assert prof.patch(f"/api/classes/{class_id}", json={"training_opt_in": "peut-être"}).status_code == 422
    assert prof.patch(f"/api/classes/{class_id}", json={"training_opt_in": False}).json()["training_opt_in"] is False
    made = prof.post("/api/classes", json={"name": "Première", "libraries": ["nsi"]})
    assert made.status_code == 201 and made.json()["training_opt_in"] is False


def test_the_class_page_has_the_checkbox_french_first(app, bank):
    class_id, _code = make_class(app)
    client = TestClient(app)
    sign_in(client, "prof")
    page = client.get(f"/classes/{class_id}")
    assert page.status_code == 200
    assert "Autoriser l'usage des données de cette classe pour entraîner des modèles" in page.text.replace("&#39;", "'")
    assert 'name="training_opt_in"' in page.text
    csrf = page_csrf(page.text)
    sent = client.post(f"/classes/{class_id}/training", data={"csrf_token": csrf, "training_opt_in": "1"},
                       follow_redirects=False)
    assert sent.status_code == 303, sent.text
    assert opted_in(app, class_id) is True
    assert 'name="training_opt_in" value="1" checked' in client.get(f"/classes/{class_id}").text
    client.post(f"/classes/{class_id}/training", data={"csrf_token": csrf}, follow_redirects=False)
    assert opted_in(app, class_id) is False
    other = TestClient(app)
    sign_in(other, "prof2")
    other_csrf = page_csrf(other.get("/classes").text)
    refused = other.post(f"/classes/{class_id}/training", data={"csrf_token": other_csrf, "training_opt_in": "1"},
                         follow_redirects=False)
    assert refused.status_code == 404 and opted_in(app, class_id) is False
