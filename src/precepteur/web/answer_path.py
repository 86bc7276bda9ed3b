"""The one answer path: every entry that makes the tutor answer goes through `answer()`.

The chat pages, `/api/conversations/{id}/messages` and `/v1/chat/completions`
(and later the arena and practice sessions) differ only in what they check,
what they store and how they render; the sequence is the same and lives here:

1. `build()` (in a worker thread) checks the request and returns the
   `TutorRequest`; a 4xx here stores nothing and takes no place.
2. `Gate.admit` takes the place (413 / 429 / 503 with Retry-After, see
   `web.gate`): the only place a place is taken.
3. `store(request)` (optional) stores the question and an empty answer and
   commits, before any generation; if it fails the place is given back.
4. Streamed: the response starts at once; while waiting it carries the place
   and the wait (`rendering.wait`) every 2 s, then the answer
   (`rendering.stream`). Whole: the request waits (a client that leaves,
   leaves the queue), then `rendering.whole` renders the finished job.
5. The place is given back once, by the `Turn`, when the answer's thread ends
   or when the learner leaves before it started (page closed, client gone,
   `DELETE /api/gate/tickets/{id}`).

Every answer carries X-Model-Version, X-Prompt-Version, X-Cohort and
X-Gate-Ticket. docs/answer-path.md shows how a new entry plugs in.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from starlette.responses import Response

from ..store import workers
from ..tutor import Tutor, TutorRequest
from .answers import AnswerJob, _departure
from .asking import Prepared
from .errors import WebError
from .gate import Turn, estimate_prompt_tokens
from .i18n import request_lang
from .overload import leave
from .services import Services
from .sse import SSE_MEDIA_TYPE, AnswerStream


@dataclass
class Rendering:
    """How one entry shows an answer: streamed chunks, waiting updates, errors, or the whole."""

    whole: Callable[[AnswerJob, Prepared], Awaitable[Response]]
    stream: Callable[[AnswerJob, Prepared], AsyncIterator[str]] | None = None
    wait: Callable[[dict], str] | None = None  # a waiting update, in the stream
    error: Callable[[WebError, str], str] | None = None  # a refusal after the stream started
    media_type: str = SSE_MEDIA_TYPE


def cohort_tutor(services: Services, turn: Turn, tutor: Tutor | None) -> Tutor | None:
    """The tutor for this cohort: its answer-token cap applied (None: the runner's own)."""
    cap = turn.cohort.max_answer_tokens
    base = tutor or services.tutor
    if cap is None or base.settings.max_tokens <= cap:
        return tutor
    settings = base.settings.model_copy(update={"max_tokens": cap})
    return Tutor(settings, base.model, services.library)


async def answer(
    request: Request,
    services: Services,
    user,
    *,
    build: Callable[[], TutorRequest],
    rendering: Rendering,
    store: Callable[[TutorRequest], Prepared] | None = None,
    tutor: Tutor | None = None,
    stream: bool = True,
) -> Response:
    """Check, admit, store, wait, answer: the sequence every entry shares."""
    gate = services.gate
    gate.ensure_pump()

    def admit_and_store() -> tuple[Turn, Prepared]:
        tutor_request = build()
        turn = gate.admit(user, estimate_prompt_tokens(tutor_request.question, tutor_request.history))
        try:
            prepared = store(tutor_request) if store is not None else Prepared(None, None, tutor_request)
        except BaseException:
            turn.leave()
            raise
        turn.message_id = prepared.message_id
        return turn, prepared

    turn, prepared = await run_in_threadpool(admit_and_store)
    answering = cohort_tutor(services, turn, tutor)
    headers = {**gate.headers(turn.cohort), "X-Gate-Ticket": turn.id}
    if stream and rendering.stream is not None:
        body = _streamed(services, turn, prepared, rendering, answering, request_lang(request))
        return AnswerStream(body, turn, media_type=rendering.media_type, headers=headers)
    leave(request)  # waiting for a whole answer must not hold a load-shedding place
    await _wait_or_leave(turn, request)
    job = turn.start(services.answers, prepared.request, tutor=answering)
    response = await rendering.whole(job, prepared)
    response.headers.update(headers)
    return response


async def _streamed(services, turn: Turn, prepared: Prepared, rendering: Rendering, tutor,
                    lang: str) -> AsyncIterator[str]:
    try:
        async for update in turn.waiting():
            if rendering.wait is not None:
                yield rendering.wait({**update, "lang": lang})
    except WebError as refusal:
        if rendering.error is not None:
            yield rendering.error(refusal, lang)
        turn.leave(workers.CANCELLED)
        return
    job = turn.start(services.answers, prepared.request, tutor=tutor)
    async for chunk in rendering.stream(job, prepared):
        yield chunk


async def _wait_or_leave(turn: Turn, request: Request) -> None:
    """Wait for the slot; a client that leaves first gives its place back."""
    waiting = asyncio.ensure_future(turn.wait())
    departure = asyncio.ensure_future(_departure(request.receive))
    try:
        await asyncio.wait({waiting, departure}, return_when=asyncio.FIRST_COMPLETED)
        if not waiting.done():
            waiting.cancel()
            turn.leave(workers.CANCELLED)
            raise WebError(503, "gate.error.dropped", headers={"Retry-After": "1"})
        try:
            waiting.result()
        except WebError:
            turn.leave(workers.CANCELLED)
            raise
    finally:
        departure.cancel()
