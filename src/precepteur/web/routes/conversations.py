"""JSON API for conversations: list, create, read, and ask (streamed or whole).

A learner sees her own conversations, a teacher hers and her learners', an
admin all; anything else is a 404 that does not say whether the id exists.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from ...store.conversations import get_conversation, list_conversations, messages_of
from ..answer_path import Rendering, answer
from ..answers import whole_answer
from ..asking import answer_events, audit_read, new_conversation, owned_conversation, question_request, store_question
from ..deps import CurrentUser, ServicesDep, SessionDep
from ..errors import WebError
from ..i18n import request_lang
from ..schemas import AnswerOut, Ask, ConversationCreate, ConversationDetail, ConversationOut, ErrorOut, RecordId
from ..sse import SSE_MEDIA_TYPE, error_event, queue_event, skill_payload
from ..transactions import CommitRoute

router = APIRouter(route_class=CommitRoute, prefix="/api/conversations", tags=["conversations"])

ERRORS = {401: {"model": ErrorOut}, 404: {"model": ErrorOut}}
ASK_RESPONSES = {
    **ERRORS,
    200: {
        "model": AnswerOut,
        "content": {SSE_MEDIA_TYPE: {"schema": {"type": "string"}}},
        "description": "Server-sent events (start, skill, delta, replace, citations, done, error), "
        "or the whole answer as JSON with `?stream=false`.",
    },
    413: {"model": ErrorOut},
    429: {"model": ErrorOut, "description": "This learner's quota, or one running and one waiting already; "
          "see Retry-After."},
    503: {"model": ErrorOut, "description": "The queue is full or closed; see Retry-After."},
}


@router.get("", response_model=list[ConversationOut], responses=ERRORS)
def list_(user: CurrentUser, s: SessionDep):
    """The conversations you may see, most recent first."""
    return list_conversations(s, user)


@router.post("", status_code=201, response_model=ConversationOut, responses=ERRORS)
def create(body: ConversationCreate, user: CurrentUser, s: SessionDep, services: ServicesDep):
    """Start an empty conversation with a level, a mode and an optional library."""
    conversation = new_conversation(
        s, services, user, title=body.title, level=body.level, mode=body.mode, library=body.library
    )
    return conversation


@router.get("/{conversation_id}", response_model=ConversationDetail, responses=ERRORS)
def read(conversation_id: RecordId, user: CurrentUser, s: SessionDep):
    """One conversation with all its messages (partial answers included)."""
    conversation = get_conversation(s, user, conversation_id)
    if conversation is None:
        raise WebError(404, "web.error.conversation_not_found")
    audit_read(s, user, conversation)
    detail = ConversationDetail.model_validate(
        {**ConversationOut.model_validate(conversation).model_dump(), "messages": messages_of(s, conversation)}
    )
    return detail


@router.post("/{conversation_id}/messages", responses=ASK_RESPONSES)
async def ask(
    conversation_id: RecordId,
    body: Ask,
    request: Request,
    user: CurrentUser,
    s: SessionDep,
    services: ServicesDep,
    stream: bool = Query(True, description="Stream server-sent events (default) or answer once as JSON."),
):
    """Ask a question; the question is stored before the answer starts, the answer while it streams.
    While it waits for its turn the stream carries `queue` events (place, wait estimate)."""
    lang = request_lang(request)
    conversation = None

    def build():
        nonlocal conversation
        conversation = owned_conversation(s, user, conversation_id)
        return question_request(
            s, services, user, conversation,
            question=body.question, level=body.level, mode=body.mode, library=body.library,
        )

    async def whole(job, prepared):
        result = await whole_answer(job, request.receive)
        return JSONResponse(AnswerOut(
            conversation_id=prepared.conversation_id,
            message_id=prepared.message_id,
            answer=result.answer,
            citations=[c.to_dict() for c in result.citations],
            skills=[skill_payload(skill, lang) for skill in result.skills],
            model=result.model,
            declined=result.declined,
            incomplete=result.incomplete,
            corrected=result.corrected,
            general=result.general,
            error=result.error,
        ).model_dump())

    return await answer(
        request, services, user,
        build=build, store=lambda tutor_request: store_question(s, services, conversation, tutor_request),
        stream=stream,
        rendering=Rendering(whole=whole, stream=lambda job, prepared: answer_events(job, prepared, lang),
                            wait=queue_event, error=error_event),
    )
