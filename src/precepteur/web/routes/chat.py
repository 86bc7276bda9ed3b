"""The chat pages: the history list, one conversation, and the question form.

With JavaScript, static/chat.js streams the answer from the JSON API; without
it, the form posts here, the answer is generated whole, and the page reloads
on the conversation. Either way the question is stored before the answer.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from ...learning.levels import DEFAULT_LEVEL
from ...store.conversations import get_conversation, list_conversations, messages_of
from ...tutor import MAX_QUESTION_CHARS
from ..answer_path import Rendering, answer
from ..asking import audit_read, new_conversation, owned_conversation, question_request, store_question, visible_libraries
from ..deps import CurrentUser, PageLang, ServicesDep, SessionDep
from ..errors import WebError
from ..render import render
from ..schemas import MAX_ID, RecordId
from ..transactions import CommitRoute

router = APIRouter(route_class=CommitRoute, prefix="/chat", tags=["chat"], include_in_schema=False)


def _chat_page(request: Request, lang: str, user, s, services, conversation=None):
    history = list_conversations(s, user)
    owners = {c.user_id: c.user.name for c in history if c.user_id != user.id}
    return render(
        request, "chat.html", lang=lang, user=user,
        history=history, owners=owners,
        conversation=conversation,
        messages=messages_of(s, conversation) if conversation is not None else [],
        can_ask=conversation is None or conversation.user_id == user.id,
        level=(conversation.level if conversation else None) or user.level or DEFAULT_LEVEL,
        mode=conversation.mode if conversation else "explain",
        library=conversation.library if conversation else None,
        libraries=visible_libraries(services, user, s),
        max_question_chars=MAX_QUESTION_CHARS,
        feedback_thanks=request.query_params.get("feedback") == "thanks",
    )


@router.get("")
def new_chat(request: Request, lang: PageLang, user: CurrentUser, s: SessionDep, services: ServicesDep):
    """The chat page, ready for a new conversation."""
    return _chat_page(request, lang, user, s, services)


@router.get("/{conversation_id}")
def show(
    conversation_id: RecordId, request: Request, lang: PageLang, user: CurrentUser, s: SessionDep, services: ServicesDep
):
    """One conversation with its answers, citations and verified facts."""
    conversation = get_conversation(s, user, conversation_id)
    if conversation is None:
        raise WebError(404, "web.error.conversation_not_found")
    audit_read(s, user, conversation)
    return _chat_page(request, lang, user, s, services, conversation)


@router.post("")
async def ask(
    request: Request,
    user: CurrentUser,
    s: SessionDep,
    services: ServicesDep,
    question: Annotated[str, Form()] = "",
    level: Annotated[str, Form(max_length=100)] = "",
    mode: Annotated[str, Form(pattern="^(explain|socratic)$")] = "explain",
    library: Annotated[str, Form(max_length=100)] = "",
    conversation_id: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
):
    """Ask without JavaScript: store the question, wait for the whole answer, show the conversation;
    a practice request ("entraîne-moi sur les piles") opens a session on that skill instead."""
    from ..practice import session_from_chat

    def practice_request():
        started = session_from_chat(services, s, user, question, library or None)
        s.commit()  # in this thread, like every write (see transactions.py)
        return started

    practice = await run_in_threadpool(practice_request)
    if practice is not None:
        return RedirectResponse(f"/practice/{practice.id}", status_code=303)
    conversation = None

    def build():
        nonlocal conversation
        if conversation_id is None:
            conversation = new_conversation(
                s, services, user, title=question, level=level, mode=mode, library=library
            )
        else:
            conversation = owned_conversation(s, user, conversation_id)
        return question_request(
            s, services, user, conversation, question=question, level=level, mode=mode, library=library
        )

    async def whole(job, prepared):
        await job.wait_for(request.receive)
        return RedirectResponse(f"/chat/{prepared.conversation_id}", status_code=303)

    return await answer(
        request, services, user, build=build, stream=False, rendering=Rendering(whole=whole),
        store=lambda tutor_request: store_question(s, services, conversation, tutor_request),
    )
