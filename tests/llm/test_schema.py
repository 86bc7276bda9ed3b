"""Structured output: schema checks, validation, tolerant parsing, the scripted model's canned objects."""

from __future__ import annotations

import json

import pytest

from precepteur.errors import ModelError
from precepteur.llm import GenerationOptions, ScriptedModel, StructuredText
from precepteur.llm.openai_compat import OpenAICompatModel, response_format
from precepteur.llm.schema import SchemaError, check_schema, example, parse_json, validate

VERDICT = {
    "type": "object",
    "properties": {
        "categorie": {"type": "string", "enum": ["aucune", "self_harm", "harassment"]},
        "action": {"type": "string", "enum": ["answer", "redirect", "refuse"]},
        "raisons": {"type": "array", "items": {"type": "string", "maxLength": 80}, "maxItems": 3},
        "score": {"type": "integer", "minimum": 0, "maximum": 10},
    },
    "required": ["categorie", "action"],
    "additionalProperties": False,
}


def test_small_schema_is_accepted():
    assert check_schema(VERDICT) is VERDICT


@pytest.mark.parametrize("bad", [
    {"type": "string", "pattern": "^a+$", "maxLength": 5},
    {"type": "array", "items": {"type": "string", "maxLength": 5}},
    {"type": "array", "items": {"type": "string", "maxLength": 5}, "maxItems": 500},
    {"type": "string"},
    {"type": "object", "properties": {"a": {"type": "object", "properties": {"b": {"type": "object", "properties": {
        "c": {"type": "object", "properties": {"d": {"type": "object", "properties": {"e": {"type": "boolean"}}}}}}}}}}},
])
def test_big_or_unsupported_schemas_are_refused(bad):
    with pytest.raises(SchemaError):
        check_schema(bad)


def test_validate_names_every_problem():
    problems = validate({"categorie": "autre", "raisons": ["x"] * 4, "score": 11, "extra": 1}, VERDICT)
    assert problems == [
        "$.action: missing",
        "$.extra: not allowed",
        "$.categorie: not one of ['aucune', 'self_harm', 'harassment']",
        "$.raisons: more than 3 items",
        "$.score: above 10",
    ]
    assert validate({"categorie": "aucune", "action": "answer", "score": True}, VERDICT) == ["$.score: expected integer"]
    assert validate({"categorie": "aucune", "action": "answer"}, VERDICT) == []


def test_parse_json_tolerates_fences_and_prose():
    assert parse_json('```json\n{"categorie": "aucune", "action": "answer"}\n```', VERDICT)["action"] == "answer"
    assert parse_json('Voici : {"categorie": "self_harm", "action": "redirect"} voilà', VERDICT)["categorie"] == "self_harm"


@pytest.mark.parametrize("text", ["", "pas de json", '{"categorie": "aucune", "act', "[1, 2"])
def test_parse_json_broken_text_is_a_model_error(text):
    with pytest.raises(ModelError) as caught:
        parse_json(text, VERDICT)
    assert caught.value.key == "model.bad_json"


def test_parse_json_wrong_shape_is_a_model_error():
    with pytest.raises(ModelError) as caught:
        parse_json('{"categorie": "aucune"}', VERDICT)
    assert caught.value.key == "model.json_schema_mismatch"
    assert "action" in str(caught.value)


def test_example_conforms():
    assert example(VERDICT) == {"categorie": "aucune", "action": "answer"}
    assert validate(example(VERDICT), VERDICT) == []
    assert example({"type": "array", "items": {"type": "integer", "minimum": 2}, "minItems": 2, "maxItems": 3}) == [2, 2]


def test_scripted_returns_canned_objects_then_the_smallest_valid_one():
    model = ScriptedModel()
    model.enqueue({"categorie": "self_harm", "action": "redirect"}, StructuredText("not json"))
    messages = [{"role": "user", "content": "?"}]
    assert model.complete_json(messages, VERDICT) == {"categorie": "self_harm", "action": "redirect"}
    with pytest.raises(ModelError):
        model.complete_json(messages, VERDICT)
    assert model.complete_json(messages, VERDICT) == {"categorie": "aucune", "action": "answer"}
    assert model.schemas == [VERDICT, VERDICT, VERDICT]
    assert model.complete(messages)[0].startswith("Je ne sais pas")  # free text again


def test_openai_payload_carries_the_schema_in_both_styles():
    options = GenerationOptions(json_schema=VERDICT)
    standard = OpenAICompatModel("http://127.0.0.1:9/v1", "m")._payload([], options)
    assert standard["response_format"] == {
        "type": "json_schema", "json_schema": {"name": "answer", "schema": VERDICT, "strict": True}}
    legacy = OpenAICompatModel("http://127.0.0.1:9/v1", "m", schema_style="json_object")._payload([], options)
    assert legacy["response_format"] == response_format(VERDICT, "json_object") == {"type": "json_object", "schema": VERDICT}
    assert "response_format" not in OpenAICompatModel("http://127.0.0.1:9/v1", "m")._payload([], GenerationOptions())
    with pytest.raises(ValueError):
        OpenAICompatModel("http://127.0.0.1:9/v1", "m", schema_style="yaml")


def test_scripted_keeps_text_for_text_calls_and_objects_for_structured_ones():
    model = ScriptedModel()
    model.enqueue("la réponse du tuteur", {"categorie": "self_harm", "action": "redirect"})
    messages = [{"role": "user", "content": "?"}]
    assert model.complete_json(messages, VERDICT)["categorie"] == "self_harm"
    assert model.complete(messages)[0] == "la réponse du tuteur"
    assert model.complete_json(messages, VERDICT) == {"categorie": "aucune", "action": "answer"}


def test_longest_bounds_every_answer_the_schema_allows():
    from precepteur.llm.schema import longest

    schema = {"type": "object", "properties": {
        "question": {"type": "string", "maxLength": 10},
        "choix": {"type": "array", "items": {"type": "string", "maxLength": 3}, "maxItems": 2},
        "ok": {"type": "boolean"}, "cat": {"enum": ["aucune", "violence"]}}}
    biggest = json.dumps({"question": "q" * 10, "choix": ["abc", "def"], "ok": False, "cat": "violence"})
    assert len(biggest) <= longest(schema) < 3 * len(biggest)
