"""The arena over HTTP with the scripted model: blindness before the vote, one final vote,
the reveal, the leaderboard, the review queue, feedback on answers, and clear refusals."""

from __future__ import annotations

import json

import pytest
from web_helpers import make_token, sign_in

from precepteur.store import arena as store

SHA = "ab" * 32


@pytest.fixture(autouse=True)
def no_quota(settings):
    """Hundreds of battles by one judge: the public cohort's per-minute quota would refuse them."""
    settings.ensure_home()
    (settings.home / "cohorts.json").write_text(json.dumps([{"name": "public", "max_prompt_tokens": 6000}]))


@pytest.fixture
def contestants(app):
    with app.state.services.db.session() as s:
        store.add_contestant(s, "alpha-explain", "scripted", prompt_version="explain-1", model_sha256=SHA)
        store.add_contestant(s, "beta-socratic", "scripted", prompt_version="socratic-1", temperature=0.7)
        s.commit()
    return {"alpha-explain", "beta-socratic"}


SECRETS = ("alpha-explain", "beta-socratic", "alpha", "socratic", "scripted", SHA, "explain-1", "socratic-1")


def _exposed(response) -> str:
    """Every byte the client received: status line's headers (cookies included) and body."""
    headers = "\n".join(f"{k}: {v}" for k, v in response.headers.multi_items())
    return headers + "\n" + response.content.decode("utf-8", "replace")


def _battle(client, csrf, question="Qu'est-ce qu'une boucle for en Python ?", **extra):
    return client.post("/api/arena/battles", json={"question": question, **extra}, headers={"X-CSRF-Token": csrf})


def test_two_hundred_battles_never_name_a_contestant_before_the_vote(client, contestants):
    csrf = sign_in(client, "prof")
    ids = []
    for i in range(200):
        response = _battle(client, csrf, f"Question {i} : qu'est-ce qu'une variable ?")
        assert response.status_code == 200, response.text
        body = response.json()
        assert set(body) == {"battle_id", "a", "b"}
        exposed = _exposed(response).lower()
        assert not [secret for secret in SECRETS if secret.lower() in exposed]
        ids.append(body["battle_id"])
        if i % 50 == 0:  # the pages before the vote say nothing either
            for path in ("/arena", f"/arena/battles/{body['battle_id']}"):
                page = client.get(path)
                assert page.status_code == 200
                assert not [secret for secret in SECRETS if secret.lower() in _exposed(page).lower()]
        if i % 2 == 0:
            vote = client.post(f"/api/arena/battles/{body['battle_id']}/vote", headers={"X-CSRF-Token": csrf},
                               json={"verdict": "a", "reasons_a": ["clear"], "reasons_b": []})
            assert vote.status_code == 200
    assert len(set(ids)) == 200  # the same pair twice gets different battle ids
    revealed = client.get(f"/api/arena/battles/{ids[0]}/reveal").json()
    assert {revealed["a"]["contestant"], revealed["b"]["contestant"]} == contestants
    assert revealed["a"]["model"] == "scripted" and revealed["a"]["tokens"] > 0


def test_reveal_only_after_the_one_final_vote(client, contestants):
    csrf = sign_in(client, "alice")
    battle_id = _battle(client, csrf).json()["battle_id"]
    assert client.get(f"/api/arena/battles/{battle_id}/reveal").status_code == 403
    vote = {"verdict": "b", "reasons_a": ["incorrect"], "reasons_b": ["correct", "right_level"],
            "comment": "B explique mieux", "consent": True}
    first = client.post(f"/api/arena/battles/{battle_id}/vote", json=vote, headers={"X-CSRF-Token": csrf})
    assert first.status_code == 200 and first.json() == {"battle_id": battle_id, "verdict": "b"}
    second = client.post(f"/api/arena/battles/{battle_id}/vote", json=vote, headers={"X-CSRF-Token": csrf})
    assert second.status_code == 409
    assert "définitif" in second.json()["error"]["message"]
    reveal = client.get(f"/api/arena/battles/{battle_id}/reveal").json()
    assert set(reveal) == {"a", "b"}
    assert {"contestant", "model", "prompt_version", "tokens", "seconds"} <= set(reveal["a"])
    # Another judge cannot see it at all.
    other = sign_in(client, "bob")
    assert other and client.get(f"/api/arena/battles/{battle_id}/reveal").status_code == 404


def test_bearer_tokens_work_and_bad_input_is_refused_clearly(app, client, contestants):
    headers = {"Authorization": f"Bearer {make_token(app, 'prof')}"}
    battle_id = client.post("/api/arena/battles", json={"question": "Qu'est-ce qu'une liste ?"},
                            headers=headers).json()["battle_id"]

    def vote(body, battle=battle_id):
        return client.post(f"/api/arena/battles/{battle}/vote", json=body, headers=headers)

    unknown = vote({"verdict": "a"}, battle="nope")
    assert unknown.status_code == 404 and unknown.json()["error"]["message"] == "Ce duel n'existe pas."
    reason = vote({"verdict": "a", "reasons_a": ["cute"]})
    assert reason.status_code == 422 and "cute" in reason.json()["error"]["message"]
    long = vote({"verdict": "a", "comment": "x" * 10_000})
    assert long.status_code == 422 and "10000" in long.json()["error"]["message"]
    verdict = vote({"verdict": "maybe"})
    assert verdict.status_code == 422 and "both_bad" in verdict.json()["error"]["message"]
    assert vote({"verdict": "tie"}).status_code == 200
    assert vote({"verdict": "tie"}).status_code == 409  # finished
    empty = client.post("/api/arena/battles", json={"question": "  "}, headers=headers)
    assert empty.status_code == 422


def test_a_contestant_whose_model_is_gone_is_a_clear_error(app, client):
    with app.state.services.db.session() as s:
        store.add_contestant(s, "here", "scripted", prompt_version="explain-1")
        store.add_contestant(s, "gone", "qwen2.5-coder-1.5b", prompt_version="explain-1")
        s.commit()
    headers = {"Authorization": f"Bearer {make_token(app, 'prof')}"}
    response = client.post("/api/arena/battles", json={"question": "Qu'est-ce qu'un entier ?"}, headers=headers)
    assert response.status_code == 503
    assert "qwen2.5-coder-1.5b" in response.json()["error"]["message"]
    with app.state.services.db.session() as s:
        assert s.query(store.ArenaBattle).count() == 0


def test_too_few_contestants_and_teacher_choice(app, client, contestants):
    headers = {"Authorization": f"Bearer {make_token(app, 'prof')}"}
    chosen = client.post("/api/arena/battles", headers=headers, json={
        "question": "Qu'est-ce qu'un tuple ?", "contestants": ["beta-socratic", "alpha-explain"]})
    assert chosen.status_code == 200
    with app.state.services.db.session() as s:
        battle = store.battle_by_public_id(s, chosen.json()["battle_id"])
        assert battle.anony is False and battle.contestant_a.name == "beta-socratic"
    learner = {"Authorization": f"Bearer {make_token(app, 'alice')}"}
    refused = client.post("/api/arena/battles", headers=learner, json={
        "question": "Qu'est-ce qu'un tuple ?", "contestants": ["beta-socratic", "alpha-explain"]})
    assert refused.status_code == 403


def test_leaderboard_counts_fifty_votes_a_judge_a_day(app, client, contestants):
    headers = {"Authorization": f"Bearer {make_token(app, 'prof')}"}
    for _ in range(80):
        battle_id = client.post("/api/arena/battles", json={"question": "Qu'est-ce qu'une pile ?"},
                                headers=headers).json()["battle_id"]
        client.post(f"/api/arena/battles/{battle_id}/vote", json={"verdict": "a"}, headers=headers)
    board = client.get("/arena/leaderboard.json", headers=headers).json()
    assert board["report"]["votes"] == 80 and board["report"]["judge_day_cap"] == 30
    assert board["report"]["counted"] == 50
    for row in board["board"]:
        assert {"n", "score", "ci_low", "ci_high", "rank_low", "rank_high", "preliminary"} <= set(row)
        assert row["n"] == 50 and row["preliminary"] is True
    assert set(board["by_role"]) == {"teacher"}
    assert json.dumps(board) == json.dumps(client.get("/api/arena/leaderboard", headers=headers).json())
    # A new vote (here by another judge) changes the board at once.
    other = {"Authorization": f"Bearer {make_token(app, 'admin')}"}
    battle_id = client.post("/api/arena/battles", json={"question": "Et une file ?"}, headers=other).json()["battle_id"]
    client.post(f"/api/arena/battles/{battle_id}/vote", json={"verdict": "b"}, headers=other)
    after = client.get("/arena/leaderboard.json", headers=headers).json()
    assert after["report"]["counted"] == 51 and set(after["by_role"]) == {"teacher", "tester"}


def test_feedback_on_an_answer_reaches_the_review_queue(app, client):
    headers = {"Authorization": f"Bearer {make_token(app, 'alice')}"}
    conversation = client.post("/api/conversations", json={"title": "t", "level": "6e"}, headers=headers).json()
    answer = client.post(f"/api/conversations/{conversation['id']}/messages?stream=false",
                         json={"question": "Combien de lettres dans « lettre » ?"}, headers=headers).json()
    message_id = answer["message_id"]
    down = client.post(f"/api/answers/{message_id}/feedback", headers=headers,
                       json={"rating": "down", "reasons": ["incorrect"], "comment": "faux", "problem": True})
    assert down.status_code == 201
    assert client.post(f"/api/answers/{message_id - 1}/feedback", headers=headers,
                       json={"rating": "up"}).status_code == 404  # the question is not an answer
    assert client.post(f"/api/answers/{message_id}/feedback", headers=headers,
                       json={"rating": "meh"}).status_code == 422
    prof = {"Authorization": f"Bearer {make_token(app, 'prof')}"}
    listed = client.get("/api/feedback", headers=prof).json()
    assert [(f["message_id"], f["rating"], f["reasons"]) for f in listed] == [(message_id, "down", ["incorrect"])]
    queue = client.get("/api/arena/review", headers=prof).json()
    assert [f["message_id"] for f in queue["feedback"]] == [message_id]
    other = {"Authorization": f"Bearer {make_token(app, 'prof2')}"}
    assert client.get("/api/feedback", headers=other).json() == []
    assert client.get("/api/feedback", headers=headers).status_code == 403


def test_a_failed_answer_shows_nothing_and_cannot_be_judged(app, client, contestants):
    app.state.services.model.enqueue(RuntimeError("/models/secret-model-file.gguf broke"))
    headers = {"Authorization": f"Bearer {make_token(app, 'prof')}"}
    response = client.post("/api/arena/battles", json={"question": "Qu'est-ce qu'un dictionnaire ?"}, headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert "secret-model-file" not in response.text and body["a"] == body["b"]
    vote = client.post(f"/api/arena/battles/{body['battle_id']}/vote", json={"verdict": "a"}, headers=headers)
    assert vote.status_code == 409
    board = client.get("/api/arena/leaderboard", headers=headers).json()
    assert board["report"]["votes"] == 0
