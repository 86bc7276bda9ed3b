"""The practice JSON API: `/api/sessions` (start, read, answer, hint, key) and `/api/me/progress`.

Practice sessions, not login sessions (`gate.sessions`). The shapes are the
issue's: a new session is `{"id", "items": [{"id", "kind", "prompt", "choices"?,
"source": {"document", "locator", "quote"}}]}` with no key in it; an answer is
`{"correct", "expected", "feedback"}` (plus where the session stands); the key is
`{"items": [{"id", "answer"}]}` for the learner's teacher or an admin. Ids that are
not yours are 404 as if missing (see `web.practice`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ...store.items_models import TOPIC_CHARS
from ...store.models import LIBRARY_CHARS
from .. import practice as glue
from ..deps import CurrentUser, ServicesDep, SessionDep
from ..i18n import request_lang
from ..schemas import MAX_ID
from ..transactions import CommitRoute

router = APIRouter(route_class=CommitRoute, prefix="/api", tags=["practice"])

MAX_ANSWER_CHARS = 1000
SessionId = Annotated[str, Field(max_length=64)]


class SessionIn(BaseModel):
    library: str = Field(min_length=1, max_length=LIBRARY_CHARS)
    size: int = Field(ge=-(2**31), le=2**31)  # the range is checked by the route, with a clear message
    skill: str | None = Field(default=None, max_length=TOPIC_CHARS)


class AnswerIn(BaseModel):
    item_id: int = Field(ge=1, le=MAX_ID)
    answer: str = Field(max_length=MAX_ANSWER_CHARS)


class HintIn(BaseModel):
    item_id: int = Field(ge=1, le=MAX_ID)


@router.post("/sessions", status_code=201)
def start_session(body: SessionIn, user: CurrentUser, services: ServicesDep, s: SessionDep):
    """Start a practice session: due reviews first, then items fitted to your level."""
    session = glue.start(services, s, user, body.library.strip(), body.size, (body.skill or "").strip() or None)
    return {"id": session.id, "items": [item.public_dict() for item in glue.session_items(s, session)]}


class ChatIn(BaseModel):
    text: str = Field(max_length=4000)
    library: str | None = Field(default=None, max_length=LIBRARY_CHARS)


@router.post("/sessions/from-chat")
def from_chat(body: ChatIn, user: CurrentUser, services: ServicesDep, s: SessionDep):
    """A practice request written in the chat ("entraîne-moi sur les piles"): 201 with the session's page,
    or 200 `{"id": null}` when the message is a question for the tutor."""
    session = glue.session_from_chat(services, s, user, body.text, body.library)
    if session is None:
        return {"id": None, "url": None}
    return JSONResponse({"id": session.id, "url": f"/practice/{session.id}", "skill": session.skill}, status_code=201)


@router.get("/sessions/{session_id}")
def read_session(session_id: str, user: CurrentUser, s: SessionDep):
    """A session: its items (no key), what is left to answer, progress, and the summary once finished."""
    return glue.state(s, glue.visible_session(s, user, session_id))


@router.get("/sessions/{session_id}/key")
def session_key(session_id: str, user: CurrentUser, s: SessionDep):
    """The answers that grade right (the learner's teacher or an admin)."""
    return glue.key_of(s, user, session_id)


@router.post("/sessions/{session_id}/answers")
def answer(session_id: str, body: AnswerIn, request: Request, user: CurrentUser, services: ServicesDep,
           s: SessionDep):
    """Answer one item of your session: graded at once, with the expected answer and why."""
    return glue.answer(s, user, session_id, body.item_id, body.answer, request_lang(request),
                       judge=glue.session_judge(services))


@router.post("/sessions/{session_id}/hint")
def hint(session_id: str, body: HintIn, request: Request, user: CurrentUser, s: SessionDep):
    """A hint for an item not answered yet (a right answer after it counts as Hard for review)."""
    return glue.hint(s, user, session_id, body.item_id, request_lang(request))


@router.get("/me/progress")
def my_progress(user: CurrentUser, services: ServicesDep, s: SessionDep):
    """Your skills: mastery with its answers, the next review due, reviews done; your week."""
    return JSONResponse(glue.progress(services, s, user))
