"""The chat's library selector agrees with practice: a learner sees the libraries of her classes
and the libraries no one restricted; another learner does not see a class's restricted library."""

from __future__ import annotations

import pytest
from practice_helpers import seed_bank
from test_web_practice import api, join, make_class

from precepteur.gate.accounts import get_user
from precepteur.web.asking import visible_libraries
from precepteur.web.practice import practice_libraries


@pytest.fixture
def bank(app, users, tmp_path):
    return seed_bank(app, users, tmp_path)  # "nsi" restricted to prof; "vide" open


def names(client) -> set[str]:
    listed = client.get("/api/libraries")
    assert listed.status_code == 200, listed.text
    return {lib["name"] for lib in listed.json()}


def test_a_class_learner_sees_her_class_libraries_in_the_chat_and_others_do_not(app, bank):
    _class_id, code = make_class(app, teacher="admin")  # nsi is prof's: only the class gives it to renard
    learner = join(app, code, nickname="renard")
    assert names(learner) == {"nsi", "vide"}
    page = learner.get("/chat")
    assert page.status_code == 200 and '<option value="nsi"' in page.text and '<option value="vide"' in page.text
    assert names(api(app, "bob")) == {"vide"}  # a learner of another teacher, in no class
    page = api(app, "bob").get("/chat")
    assert '<option value="nsi"' not in page.text
    with app.state.services.db.session() as s:
        assert get_user(s, "renard").teacher_id is None  # nsi comes from the class alone
        for name in ("renard", "bob", "alice", "prof", "admin"):
            user = get_user(s, name)
            chat = [lib.name for lib in visible_libraries(app.state.services, user, s)]
            assert chat == practice_libraries(app.state.services, s, user)
            assert chat == [lib.name for lib in visible_libraries(app.state.services, user)]  # its own session


def test_a_class_learner_may_ask_over_her_class_library(app, bank):
    _class_id, code = make_class(app, teacher="admin")
    learner = join(app, code, nickname="renard")
    made = learner.post("/v1/chat/completions",
                        json={"model": "scripted", "library": "nsi",
                              "messages": [{"role": "user", "content": "Qu'est-ce qu'une pile ?"}]})
    assert made.status_code == 200, made.text
    refused = api(app, "bob").post("/v1/chat/completions", json={
        "model": "scripted", "library": "nsi", "messages": [{"role": "user", "content": "Qu'est-ce qu'une pile ?"}]})
    assert refused.status_code == 422
