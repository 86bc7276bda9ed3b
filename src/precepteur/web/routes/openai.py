"""The OpenAI-compatible API: `POST /v1/chat/completions` (streamed or not) and `GET /v1/models`.

Existing clients plug in unchanged with a bearer token. The last user message
is the question and earlier user/assistant messages the history (system
messages are ignored: the tutor writes its own); `level`, `mode` and `library`
may be passed as extra body fields. The answer runs the whole tutor pipeline;
its citations are appended as a "Sources" section and given in full in an
extra `precepteur` field. These calls are not stored as conversations.

OpenAI options are honoured or refused, never silently ignored: an unknown
`model` is a 404 listing the models; `temperature` (0 to MAX_TEMPERATURE) and
`max_tokens` / `max_completion_tokens` (at least 1, at most the service's own
limit) apply to this answer; `n` other than 1 and any value out of range is a 400.
A client that leaves, streamed or not, stops its answer.

Constants: MAX_MESSAGES, MAX_TEMPERATURE.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from ...i18n import t
from ...store.models import LIBRARY_CHARS
from ...textlang import detect_language
from ...tutor import Tutor, TutorRequest
from ...guard.injection import find_injections, sanitize
from ..answer_path import Rendering, answer
from ..answers import whole_answer
from ..asking import check_question, graded_work, level_code, library_name, mask_personal_data, visible_libraries
from ..deps import ApiUser, ServicesDep, SessionDep
from ..i18n import request_lang
from ..errors import WebError, error_response
from ..schemas import SHORT_TEXT, ErrorOut, Mode
from ..sse import SSE_MEDIA_TYPE, result_payload
from ..transactions import CommitRoute

router = APIRouter(route_class=CommitRoute, prefix="/v1", tags=["openai"])

MAX_MESSAGES = 200
MAX_TEMPERATURE = 2.0
ERRORS = {
    400: {"model": ErrorOut}, 401: {"model": ErrorOut}, 404: {"model": ErrorOut},
    413: {"model": ErrorOut}, 422: {"model": ErrorOut}, 429: {"model": ErrorOut}, 503: {"model": ErrorOut},
}


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str = Field(max_length=SHORT_TEXT)
    text: str | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[ContentPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(part.text or "" for part in self.content if part.type == "text")
        return self.content or ""


class ChatCompletionRequest(BaseModel):
    """An OpenAI chat request, plus Précepteur's optional `level`, `mode` and `library`."""

    model_config = ConfigDict(extra="allow")
    model: str | None = Field(default=None, max_length=200)
    messages: list[ChatMessage] = Field(min_length=1, max_length=MAX_MESSAGES)
    stream: bool = False
    stream_options: dict | None = None
    level: str | None = Field(default=None, max_length=SHORT_TEXT)
    mode: Mode = "explain"
    library: str | None = Field(default=None, max_length=LIBRARY_CHARS)
    n: int | None = Field(default=None, description="Only 1 is supported.")
    temperature: float | None = Field(default=None, description=f"0 to {MAX_TEMPERATURE:g}.")
    max_tokens: int | None = Field(default=None, description="At least 1; capped at the service's limit.")
    max_completion_tokens: int | None = Field(default=None, description="Same as max_tokens.")


def available_models(services) -> list[str]:
    """The names `model` may take (what `GET /v1/models` lists)."""
    return [services.model.model_id]


def unknown_model(request: Request, services, name: str):
    """404 naming the models this service has."""
    models = available_models(services)
    message = t("openai.error.unknown_model", request_lang(request), model=name[:80], models=", ".join(models))
    return error_response(request, 404, message, details={"param": "model", "models": models})


def tutor_for_options(services, body: ChatCompletionRequest) -> Tutor:
    """The tutor answering with this request's temperature and length (400 when out of range)."""
    if body.n is not None and body.n != 1:
        raise WebError(400, "openai.error.n", n=body.n)
    temperature = body.temperature
    if temperature is not None and not 0.0 <= temperature <= MAX_TEMPERATURE:
        raise WebError(400, "openai.error.temperature", value=temperature, limit=f"{MAX_TEMPERATURE:g}")
    length = body.max_completion_tokens if body.max_completion_tokens is not None else body.max_tokens
    if length is not None and length < 1:
        raise WebError(400, "openai.error.max_tokens", value=length)
    update: dict = {}
    if temperature is not None:
        update["temperature"] = temperature
    if length is not None:
        update["max_tokens"] = min(length, services.settings.max_tokens)
    if not update:
        return services.tutor
    return Tutor(services.settings.model_copy(update=update), services.tutor.model, services.library)


def sources_section(citations, lang: str) -> str:
    """The citations as a text section appended to the answer."""
    if not citations:
        return ""
    lines = [f"\n\n{t('web.openai.sources', lang)}"]
    for number, citation in enumerate(citations, start=1):
        lines.append(f"[{number}] {citation.document} — {citation.locator} : « {citation.quote} »")
    return "\n".join(lines)


def trusted_history(messages) -> list[dict]:
    """The client's history as the model may read it. System, developer and tool turns are
    dropped (the tutor writes its own); user turns are sanitised like documents; an
    assistant turn that gives orders, forges a chat turn or carries our canary is not one
    of our answers and is dropped."""
    history = []
    for message in messages:
        text = message.text()
        if message.role not in ("user", "assistant") or not text.strip():
            continue
        if message.role == "assistant":
            if find_injections(text) or "PRC-" in text.upper():
                continue
            history.append({"role": "assistant", "content": text})
        else:
            history.append({"role": "user", "content": sanitize(text)})
    return history


def _tutor_request(body: ChatCompletionRequest, services, user, s) -> tuple[TutorRequest, str]:
    last = body.messages[-1]
    if last.role != "user":
        raise WebError(422, "web.openai.last_not_user")
    question, names = mask_personal_data(s, user, check_question(last.text()))
    library = library_name(services, user, body.library, s)
    request = TutorRequest(
        question=question, level=level_code(body.level, user.level or "adulte"), mode=body.mode,
        library=library, history=trusted_history(body.messages[:-1]), names=names, user_id=user.id,
        graded=graded_work(s, user, library),
        libraries=tuple(lib.name for lib in visible_libraries(services, user, s)),
    )
    return request, detect_language(question)


def _chunk(completion_id: str, created: int, model: str, delta: dict, finish: str | None = None, **extra) -> str:
    body = {
        "id": completion_id, "object": "chat.completion.chunk", "created": created, "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra,
    }
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"


async def _stream(job, model: str, lang: str, include_usage: bool):
    completion_id, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
    yield _chunk(completion_id, created, model, {"role": "assistant", "content": ""})
    async for event in job.events():
        kind = event["type"]
        if kind == "delta":
            yield _chunk(completion_id, created, model, {"content": event["text"]})
        elif kind == "replace":
            correction = f"\n\n{t('web.openai.corrected', lang)}\n{event['text']}"
            yield _chunk(completion_id, created, model, {"content": correction})
        elif kind == "error":
            error = event["error"]
            payload = {"error": {"message": error.message(lang), "type": "server_error", "code": error.key}}
            yield f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"
        elif kind == "done":
            result = event["result"]
            sources = sources_section(result.citations, lang)
            if sources:
                yield _chunk(completion_id, created, model, {"content": sources})
            yield _chunk(completion_id, created, model, {}, "stop", precepteur=result_payload(result))
            if include_usage:
                usage = _usage(result)
                body = {"id": completion_id, "object": "chat.completion.chunk", "created": created,
                        "model": model, "choices": [], "usage": usage}
                yield f"data: {json.dumps(body)}\n\n"
    yield "data: [DONE]\n\n"


def _usage(result) -> dict:
    return {
        "prompt_tokens": result.prompt_tokens,
        "completion_tokens": result.completion_tokens,
        "total_tokens": result.prompt_tokens + result.completion_tokens,
    }


@router.post(
    "/chat/completions",
    responses={**ERRORS, 200: {"content": {SSE_MEDIA_TYPE: {"schema": {"type": "string"}}}}},
)
async def chat_completions(
    body: ChatCompletionRequest, request: Request, user: ApiUser, services: ServicesDep, s: SessionDep
):
    """Answer the last user message with the tutor pipeline (OpenAI chat completions format)."""
    model = services.model.model_id
    if body.model and body.model not in available_models(services):
        return unknown_model(request, services, body.model)
    tutor = tutor_for_options(services, body)
    lang = request_lang(request)

    def build():
        nonlocal lang
        tutor_request, lang = _tutor_request(body, services, user, s)
        return tutor_request

    async def whole(job, _prepared):
        result = await whole_answer(job, request.receive)
        return JSONResponse({
            "id": f"chatcmpl-{uuid.uuid4().hex}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [{
                "index": 0,
                "message": {"role": "assistant", "content": result.answer + sources_section(result.citations, lang)},
                "finish_reason": "stop",
            }],
            "usage": _usage(result),
            "precepteur": result_payload(result),
        })

    include_usage = bool((body.stream_options or {}).get("include_usage"))
    return await answer(
        request, services, user, build=build, tutor=tutor, stream=body.stream,
        rendering=Rendering(
            whole=whole, stream=lambda job, _prepared: _stream(job, model, lang, include_usage),
            wait=_waiting_comment, error=_error_chunk,
        ),
    )


def _waiting_comment(update: dict) -> str:
    """A waiting update as an SSE comment: OpenAI clients skip it, a Précepteur client can read it."""
    return f": precepteur-queue {json.dumps({k: v for k, v in update.items() if k != 'lang'})}\n\n"


def _error_chunk(error, lang: str) -> str:
    payload = {"error": {"message": t(error.key, lang, **error.params), "type": "server_error", "code": error.key}}
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"


@router.get("/models", responses={401: {"model": ErrorOut}})
def list_models(user: ApiUser, services: ServicesDep):
    """The model behind the tutor, in the OpenAI list format."""
    return {
        "object": "list",
        "data": [{"id": name, "object": "model", "created": 0, "owned_by": "precepteur"}
                 for name in available_models(services)],
    }
