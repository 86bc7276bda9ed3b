"""How the item code talks to a model: small prompts, small JSON schemas, a deadline.

Every prompt starts with the same system line and the passage, then the task, so
consecutive calls on one passage reuse llama.cpp's KV cache for everything but the
task. A call that runs past its deadline is cancelled and becomes a ModelError
(`items.error.model_timeout`); broken JSON is a ModelError from `parse_json`; the
caller records either on the candidate and goes on.

Constants: SYSTEM, MODEL_TIMEOUT_S, QUESTION_SCHEMA, MCQ_SCHEMA, LETTER_SCHEMA, TRUTH_SCHEMA,
ANSWER_SCHEMA, VERDICT_SCHEMA, MAX_PASSAGE_CHARS.
"""

from __future__ import annotations

import threading
from dataclasses import replace

from ...errors import ModelError
from ...llm.base import ChatModel, GenerationOptions
from ...llm.schema import check_schema, longest, parse_json

MODEL_TIMEOUT_S = 300.0  # generous: a shared 2-core machine may run a 1.5B model at a few tokens a second
MAX_PASSAGE_CHARS = 1500
SYSTEM = ("Tu es un professeur. Tu écris des exercices en français, courts et exacts, "
          "uniquement à partir du passage donné. Tu réponds en JSON.")

QUESTION_SCHEMA = {
    "type": "object",
    "properties": {"question": {"type": "string", "minLength": 8, "maxLength": 220}},
    "required": ["question"], "additionalProperties": False,
}
# Property names in alphabetical order on purpose: llama.cpp's grammar writes them in that order,
# and the question must come before the wrong answers it constrains.
MCQ_SCHEMA = {
    "type": "object",
    "properties": {
        "question": {"type": "string", "minLength": 8, "maxLength": 220},
        "reponses_fausses": {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 80},
                             "minItems": 3, "maxItems": 3},
    },
    "required": ["question", "reponses_fausses"], "additionalProperties": False,
}
LETTER_SCHEMA = {
    "type": "object", "properties": {"lettre": {"type": "string", "enum": ["A", "B", "C", "D"]}},
    "required": ["lettre"], "additionalProperties": False,
}
TRUTH_SCHEMA = {
    "type": "object", "properties": {"reponse": {"type": "string", "enum": ["vrai", "faux"]}},
    "required": ["reponse"], "additionalProperties": False,
}
ANSWER_SCHEMA = {
    "type": "object", "properties": {"reponse": {"type": "string", "minLength": 1, "maxLength": 80}},
    "required": ["reponse"], "additionalProperties": False,
}
VERDICT_SCHEMA = {
    "type": "object", "properties": {"correct": {"type": "boolean"}},
    "required": ["correct"], "additionalProperties": False,
}


def passage_messages(passage: str, task: str) -> list[dict]:
    """System line, then the passage, then the task (the shared prefix comes first)."""
    return [{"role": "system", "content": SYSTEM},
            {"role": "user", "content": f"Passage :\n{passage[:MAX_PASSAGE_CHARS]}\n\n{task}"}]


def ask_json(model: ChatModel, messages: list[dict], schema: dict, *, max_tokens: int = 128, seed: int = 42,
             timeout: float | None = None) -> dict:
    """The model's JSON answer to `messages`, following `schema`, within `timeout` seconds
    (MODEL_TIMEOUT_S by default). `max_tokens` is raised to the longest answer the schema
    allows, so a rambling model still closes the object instead of stopping mid-string."""
    check_schema(schema)
    max_tokens = max(max_tokens, longest(schema))
    timeout = MODEL_TIMEOUT_S if timeout is None else timeout
    options = replace(GenerationOptions(), max_tokens=max_tokens, temperature=0.2, seed=seed, json_schema=schema)
    cancel = threading.Event()
    timer = threading.Timer(timeout, cancel.set)
    timer.daemon = True
    timer.start()
    parts: list[str] = []
    finish = None
    try:
        for chunk in model.stream(messages, options, cancel):
            parts.append(chunk.text)
            if chunk.finish_reason is not None:
                finish = chunk.finish_reason
    finally:
        timer.cancel()
    if finish == "cancelled" and cancel.is_set():
        raise ModelError("items.error.model_timeout", seconds=int(timeout))
    return parse_json("".join(parts), schema)


__all__ = ["ANSWER_SCHEMA", "LETTER_SCHEMA", "MCQ_SCHEMA", "MODEL_TIMEOUT_S", "QUESTION_SCHEMA", "SYSTEM",
           "TRUTH_SCHEMA", "VERDICT_SCHEMA", "ask_json", "passage_messages"]
