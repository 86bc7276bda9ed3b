"""Any string the JSON parser accepts is stored or refused cleanly, never a 500 (issue 10, defect 3)."""

from __future__ import annotations

import json

import pytest
from web_helpers import make_token, sign_in

LONE = '{"question": "a \\udfff et \\ud800 fin"}'


def test_clean_text_replaces_only_lone_surrogates():
    from precepteur.web.textclean import clean_text

    assert clean_text("a \udfff b \ud83d") == "a \ufffd b \ufffd"
    assert clean_text("emoji 😀 intact") == "emoji 😀 intact"


def test_clean_json_body_keeps_pairs_and_other_bodies_byte_for_byte():
    from precepteur.web.textclean import clean_json_body

    paired = '{"q": "\\ud83d\\ude00"}'.encode()
    assert clean_json_body(paired) == paired
    assert clean_json_body(b'{"q": "plain"}') == b'{"q": "plain"}'
    assert clean_json_body(b'{"q": "\\udfff"') == b'{"q": "\\udfff"'  # malformed: left to the parser
    cleaned = json.loads(clean_json_body(b'{"\\udc00k": ["\\udfff", {"x": "\\ud800y"}]}'))
    assert cleaned == {"\ufffdk": ["\ufffd", {"x": "\ufffdy"}]}


def test_a_lone_surrogate_in_a_question_is_stored_cleaned(client, users):
    csrf = sign_in(client, "alice")
    headers = {"X-CSRF-Token": csrf, "Content-Type": "application/json"}
    conversation = client.post("/api/conversations", content='{"title": "t \\udfff"}', headers=headers)
    assert conversation.status_code == 201
    assert conversation.json()["title"] == "t \ufffd"
    conversation_id = conversation.json()["id"]
    response = client.post(f"/api/conversations/{conversation_id}/messages?stream=false", content=LONE, headers=headers)
    assert response.status_code == 200, response.text
    detail = client.get(f"/api/conversations/{conversation_id}").json()
    assert detail["messages"][0]["content"] == "a \ufffd et \ufffd fin"
    assert detail["messages"][1]["complete"] is True


@pytest.mark.parametrize("field", ["content", "model", "library", "level"])
def test_a_lone_surrogate_on_v1_is_never_a_server_error(client, app, users, field):
    token = make_token(app, "alice")
    body = {"messages": [{"role": "user", "content": "Bonjour"}]}
    body[field if field != "content" else "messages"] = (
        [{"role": "user", "content": "x \udfff"}] if field == "content" else "x \udfff"
    )
    raw = json.dumps(body)  # json.dumps writes the lone surrogate as an escape
    assert "\\udfff" in raw
    response = client.post("/v1/chat/completions", content=raw,
                           headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    assert response.status_code < 500, response.text
