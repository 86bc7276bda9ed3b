"""The conversations API: asking (streamed and whole), storage, visibility, and bad input."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from web_helpers import make_token, sign_in, sse_events

from precepteur.store.conversations import get_conversation, messages_of
from precepteur.store.models import Message
from precepteur.tutor import MAX_QUESTION_CHARS, TutorResult
from precepteur.web.app import create_app

LETTERS = "Combien de lettres dans le mot « lettre » ?"


def start(client, csrf: str, **body) -> int:
    response = client.post("/api/conversations", json=body, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def ask(client, csrf: str, conversation_id: int, question: str, stream: bool = True, **extra):
    return client.post(
        f"/api/conversations/{conversation_id}/messages" + ("" if stream else "?stream=false"),
        json={"question": question, **extra},
        headers={"X-CSRF-Token": csrf},
    )


def stored(app, conversation_id: int) -> list[Message]:
    from precepteur.store.models import Conversation

    with app.state.services.db.session() as s:
        return messages_of(s, s.get(Conversation, conversation_id))


def test_streamed_answer_has_the_skill_and_is_stored_complete(client, app):
    csrf = sign_in(client, "alice")
    conversation_id = start(client, csrf, level="CM1")
    response = ask(client, csrf, conversation_id, LETTERS)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.text)
    names = [name for name, _ in events]
    assert names[0] == "start" and names[-1] == "done"
    assert ("skill", {"name": "count", "result": "6", "statement": events[1][1]["statement"],
                      "note": "Calculé par Précepteur, pas deviné par le modèle : 6"}) in events
    streamed = "".join(data["text"] for name, data in events if name == "delta")
    done = events[-1][1]
    assert "6" in done["answer"] and done["skills"] == [{"name": "count", "result": "6"}]
    assert streamed.strip() == done["answer"] or any(name == "replace" for name, _ in events)
    user, answer = stored(app, conversation_id)
    assert (user.role, user.content, user.complete) == ("user", LETTERS, True)
    assert answer.role == "assistant" and answer.complete is True
    assert answer.content == done["answer"]
    assert answer.skills[0]["result"] == "6"
    assert events[0][1] == {"conversation_id": conversation_id, "message_id": answer.id}


def test_whole_answer_as_json(client):
    csrf = sign_in(client, "alice")
    conversation_id = start(client, csrf)
    response = ask(client, csrf, conversation_id, "Combien font 7 fois 8 ?", stream=False)
    assert response.status_code == 200
    body = response.json()
    assert "56" in body["answer"] and body["skills"][0]["result"] == "56"
    assert body["conversation_id"] == conversation_id and body["incomplete"] is False


def test_history_and_conversation_detail(client):
    csrf = sign_in(client, "alice")
    conversation_id = start(client, csrf, mode="socratic")
    ask(client, csrf, conversation_id, LETTERS, stream=False)
    listed = client.get("/api/conversations").json()
    assert [c["id"] for c in listed] == [conversation_id]
    assert listed[0]["title"] == LETTERS  # the first question names an untitled conversation
    detail = client.get(f"/api/conversations/{conversation_id}").json()
    assert detail["mode"] == "socratic" and detail["level"] == "6e"  # alice's own level
    assert [m["role"] for m in detail["messages"]] == ["user", "assistant"]


def test_question_is_stored_before_generation_starts(settings, users):
    seen: list[list[tuple[str, str, bool]]] = []

    class PeekingTutor:
        """Looks in the database when generation starts."""

        model = None

        def stream(self, request, cancel=None):
            with app.state.services.db.session() as s:
                rows = s.query(Message).order_by(Message.id).all()
                seen.append([(m.role, m.content, m.complete) for m in rows])
            yield {"type": "delta", "text": "D'accord."}
            yield {"type": "done", "result": TutorResult(answer="D'accord.", model="peek")}

    from precepteur.llm import ScriptedModel

    PeekingTutor.model = ScriptedModel()
    app = create_app(settings, tutor=PeekingTutor())
    client = TestClient(app)
    csrf = sign_in(client, "alice")
    conversation_id = start(client, csrf)
    ask(client, csrf, conversation_id, "Bonjour ?", stream=False)
    assert seen == [[("user", "Bonjour ?", True), ("assistant", "", False)]]
    assert [m.content for m in stored(app, conversation_id)] == ["Bonjour ?", "D'accord."]


def test_visibility_learner_teacher_admin(client, app):
    csrf = sign_in(client, "alice")
    alice_conversation = start(client, csrf)
    ask(client, csrf, alice_conversation, LETTERS, stream=False)

    def as_user(name):
        other = TestClient(app)
        return other, sign_in(other, name)

    bob, bob_csrf = as_user("bob")
    hidden = bob.get(f"/api/conversations/{alice_conversation}")
    missing = bob.get("/api/conversations/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()  # nothing tells an existing id from a missing one
    assert ask(bob, bob_csrf, alice_conversation, "Et alors ?").status_code == 404
    assert bob.get("/api/conversations").json() == []

    prof, prof_csrf = as_user("prof")  # alice's teacher
    assert prof.get(f"/api/conversations/{alice_conversation}").status_code == 200
    assert [c["id"] for c in prof.get("/api/conversations").json()] == [alice_conversation]
    refused = ask(prof, prof_csrf, alice_conversation, "Je réponds à sa place")
    assert refused.status_code == 403

    prof2, _ = as_user("prof2")  # bob's teacher, not alice's
    assert prof2.get(f"/api/conversations/{alice_conversation}").status_code == 404

    admin, _ = as_user("admin")
    assert admin.get(f"/api/conversations/{alice_conversation}").status_code == 200


def test_another_users_conversation_page_is_404(client, app):
    csrf = sign_in(client, "alice")
    conversation_id = start(client, csrf)
    bob = TestClient(app)
    sign_in(bob, "bob")
    page = bob.get(f"/chat/{conversation_id}")
    assert page.status_code == 404
    assert "Cette conversation n'existe pas" in page.text.replace("&#39;", "'")


def test_one_megabyte_message_is_413_before_parsing(client):
    csrf = sign_in(client, "alice")
    conversation_id = start(client, csrf)
    response = ask(client, csrf, conversation_id, "a" * 1_000_000)
    assert response.status_code == 413
    assert response.json()["error"]["message"].startswith("Le message envoyé est trop volumineux")
    assert client.get(f"/api/conversations/{conversation_id}").json()["messages"] == []


def test_question_over_the_limit_is_413_with_the_limit(client):
    csrf = sign_in(client, "alice")
    conversation_id = start(client, csrf)
    response = ask(client, csrf, conversation_id, "b" * (MAX_QUESTION_CHARS + 1))
    assert response.status_code == 413
    assert str(MAX_QUESTION_CHARS) in response.json()["error"]["message"]


def test_empty_question_is_422(client):
    csrf = sign_in(client, "alice")
    conversation_id = start(client, csrf)
    response = ask(client, csrf, conversation_id, "   ")
    assert response.status_code == 422
    assert response.json()["error"]["message"] == "la question est vide"


def test_malformed_json_is_422(client):
    csrf = sign_in(client, "alice")
    conversation_id = start(client, csrf)
    response = client.post(
        f"/api/conversations/{conversation_id}/messages",
        content=b'{"question": "oups",',
        headers={"X-CSRF-Token": csrf, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request" and "JSON" in error["message"]


def test_unknown_level_and_library_are_422(client):
    csrf = sign_in(client, "alice")
    bad_level = client.post("/api/conversations", json={"level": "licence"}, headers={"X-CSRF-Token": csrf})
    assert bad_level.status_code == 422 and "licence" in bad_level.json()["error"]["message"]
    bad_library = client.post("/api/conversations", json={"library": "nope"}, headers={"X-CSRF-Token": csrf})
    assert bad_library.status_code == 422 and "nope" in bad_library.json()["error"]["message"]


def test_full_queue_is_503_with_retry_after(client, app):
    import time

    from precepteur.gate.fair import Ticket

    csrf = sign_in(client, "alice")
    conversation_id = start(client, csrf)
    gate = app.state.services.gate
    for n in range(1 + gate.bounds.max_waiting_requests):  # one running, the rest waiting
        gate.store.submit(Ticket(id=f"other{n}", learner=f"other{n}", prompt_tokens=100), gate.bounds, time.time())
        gate.store.dispatch(time.time())
    try:
        response = ask(client, csrf, conversation_id, LETTERS)
    finally:
        for n in range(1 + gate.bounds.max_waiting_requests):
            gate.store.release(f"other{n}")
    assert response.status_code == 503
    assert int(response.headers["retry-after"]) >= 1
    message = response.json()["error"]["message"]
    assert "8 questions" in message and "Réessayez dans" in message
    assert client.get(f"/api/conversations/{conversation_id}").json()["messages"] == []
    assert ask(client, csrf, conversation_id, LETTERS).status_code == 200


def test_model_failure_keeps_the_question_and_says_why(settings, users):
    from precepteur.llm import ScriptedModel

    model = ScriptedModel([RuntimeError("GPU en feu")])
    app = create_app(settings, model=model)
    client = TestClient(app)
    csrf = sign_in(client, "alice")
    conversation_id = start(client, csrf)
    events = sse_events(ask(client, csrf, conversation_id, "Parle-moi des volcans").text)
    done = events[-1][1]
    assert done["incomplete"] is True and "GPU en feu" in done["error"]
    user, answer = stored(app, conversation_id)
    assert user.content == "Parle-moi des volcans"
    assert answer.complete is False and "GPU en feu" in answer.error


def test_sse_payloads_are_json(client):
    csrf = sign_in(client, "alice")
    conversation_id = start(client, csrf)
    text = ask(client, csrf, conversation_id, LETTERS).text
    for block in filter(None, text.split("\n\n")):
        data = [line[6:] for line in block.splitlines() if line.startswith("data: ")]
        json.loads("".join(data))


def test_bearer_token_can_use_the_conversations_api(client, app):
    token = make_token(app, "alice")
    headers = {"Authorization": f"Bearer {token}"}
    conversation_id = client.post("/api/conversations", json={}, headers=headers).json()["id"]
    response = client.post(
        f"/api/conversations/{conversation_id}/messages?stream=false", json={"question": LETTERS}, headers=headers
    )
    assert response.status_code == 200 and "6" in response.json()["answer"]
    with app.state.services.db.session() as s:
        from precepteur.gate.accounts import get_user

        assert get_conversation(s, get_user(s, "alice"), conversation_id) is not None


def test_chunked_body_over_the_limit_is_413(client):
    from precepteur.web.limits import MAX_BODY_BYTES

    csrf = sign_in(client, "alice")
    conversation_id = start(client, csrf)

    def body():
        yield b'{"question": "'
        for _ in range(MAX_BODY_BYTES // 1024 + 1):
            yield b"a" * 1024
        yield b'"}'

    response = client.post(
        f"/api/conversations/{conversation_id}/messages",
        content=body(),
        headers={"X-CSRF-Token": csrf, "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert "trop volumineux" in response.json()["error"]["message"]
