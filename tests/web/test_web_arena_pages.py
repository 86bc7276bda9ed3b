"""The arena's pages without JavaScript: ask, vote with reasons, the reveal, the board and its
SVG plot, the review queue; and the 👍/👎 form under a chat answer."""

from __future__ import annotations

import re

from web_helpers import page_csrf, sign_in

from precepteur.store import arena as store


def _contestants(app):
    with app.state.services.db.session() as s:
        store.add_contestant(s, "alpha-explain", "scripted", prompt_version="explain-1")
        store.add_contestant(s, "beta-socratic", "scripted", prompt_version="socratic-1")
        s.commit()


def test_ask_vote_reveal_and_board(app, client):
    _contestants(app)
    sign_in(client, "prof")
    page = client.get("/arena")
    assert page.status_code == 200 and 'action="/arena"' in page.text
    csrf = page_csrf(page.text)
    battle = client.post("/arena", data={"question": "Qu'est-ce qu'une boucle ?", "level": "Terminale",
                                         "csrf_token": csrf})
    assert battle.status_code == 200 and "/arena/battles/" in str(battle.url)
    assert "Réponse A" in battle.text and "Réponse B" in battle.text
    assert "alpha-explain" not in battle.text and "beta-socratic" not in battle.text and "scripted" not in battle.text
    battle_id = str(battle.url).rsplit("/", 1)[1]
    voted = client.post(f"/arena/battles/{battle_id}/vote", data={
        "verdict": "a", "reasons_a": ["correct", "makes_think"], "reasons_b": ["incorrect"], "comment": "A",
        "role": "teacher", "consent": "yes", "csrf_token": page_csrf(battle.text)})
    assert voted.status_code == 200
    assert "alpha-explain" in voted.text and "beta-socratic" in voted.text  # the reveal
    assert "A est meilleure" in voted.text and 'name="verdict"' not in voted.text  # final
    with app.state.services.db.session() as s:
        row = store.battle_by_public_id(s, battle_id)
        assert row.vote.reasons_a == ["correct", "makes_think"] and row.vote.consent is True
    board = client.get("/arena/leaderboard")
    assert board.status_code == 200 and "<svg" in board.text and "alpha-explain" in board.text
    assert "Bradley–Terry" in board.text and "préliminaire" in board.text
    assert "cdn" not in board.text.lower() and "<script" not in board.text
    review = client.get("/arena/review")  # the 'incorrect' reason puts it in the queue
    assert review.status_code == 200 and "Qu&#39;est-ce qu&#39;une boucle ?" in review.text
    done = client.post(f"/arena/review/{battle_id}", data={"action": "confirm", "csrf_token": page_csrf(review.text)})
    assert done.status_code == 200 and "Rien à relire." in done.text


def test_review_queue_is_for_teachers(client):
    sign_in(client, "alice")
    assert client.get("/arena/review").status_code == 403
    assert client.get("/arena").status_code == 200


def test_feedback_form_under_a_chat_answer(app, client):
    sign_in(client, "alice")
    chat = client.get("/chat")
    asked = client.post("/chat", data={"question": "Combien de lettres dans « lettre » ?", "csrf_token": page_csrf(chat.text)})
    assert asked.status_code == 200
    match = re.search(r'action="/arena/feedback/(\d+)"', asked.text)
    assert match, "no feedback form under the answer"
    sent = client.post(f"/arena/feedback/{match.group(1)}", data={
        "rating": "down", "reasons": ["incorrect"], "comment": "faux", "problem": "yes",
        "csrf_token": page_csrf(asked.text)})
    assert sent.status_code == 200 and "Merci pour votre avis." in sent.text
    with app.state.services.db.session() as s:
        [(feedback, _message, _conversation)] = store.list_feedback(s, _admin(s))
        assert feedback.rating == "down" and feedback.problem is True and feedback.reasons == ["incorrect"]


def _admin(s):
    from precepteur.gate.accounts import get_user

    return get_user(s, "admin")
