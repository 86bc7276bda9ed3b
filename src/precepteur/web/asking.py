"""One question in a conversation, from the request to the stored, streamed answer.

`question_request` validates the question; once the answer path
(`web.answer_path`) has admitted it, `store_question` commits the learner's
message and an empty assistant message BEFORE generation starts;
`answer_events` turns the running job into server-sent events. Used by the JSON
API and by the chat page's form (which works without JavaScript).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..errors import InputError
from ..gate.access import LEARNER
from ..guard.pii import scrub
from ..store.privacy import audit
from ..learning.levels import DEFAULT_LEVEL, level_codes, parse_level
from ..store import classes as rooms
from ..store import workers
from ..store.conversations import add_message, create_conversation, get_conversation, history_for_model
from ..store.models import TITLE_CHARS, Conversation, User
from ..tutor import MAX_QUESTION_CHARS, TutorRequest
from .answers import AnswerJob
from .errors import WebError
from .services import Services
from .sse import event_payload, sse


@dataclass
class Prepared:
    """What the route needs after the question is stored."""

    conversation_id: int | None
    message_id: int | None
    request: TutorRequest


def account_names(s: Session, user: User) -> tuple[str, ...]:
    """Names the PII scrubber masks in this person's messages: hers, her classmates', her teacher's."""
    from sqlalchemy import or_, select

    teacher_id = user.teacher_id if user.role == "learner" else user.id
    if teacher_id is None:
        return (user.name,)
    rows = s.scalars(select(User.name).where(or_(User.teacher_id == teacher_id, User.id == teacher_id)))
    return tuple(dict.fromkeys([user.name, *rows]))


def mask_personal_data(s: Session, user: User, text: str) -> tuple[str, tuple[str, ...]]:
    """The text as it may be stored (personal data masked), and the names used."""
    names = account_names(s, user)
    return scrub(text, names).text, names


def graded_work(s: Session, user: User, library: str | None) -> tuple:
    """The graded work that applies to this learner's question (hint mode, never the solution)."""
    from ..store.flags import graded_work_for
    from ..tutor.homework import GradedWork

    if user.role != "learner":
        return ()
    return tuple(GradedWork.from_record(record) for record in graded_work_for(s, user, library))


def audit_read(s: Session, user: User, conversation: Conversation) -> None:
    """A teacher's or admin's read of someone else's conversation goes to the audit log."""
    if conversation.user_id != user.id:
        audit(s, user, "read_conversation", conversation.user_id, "conversation", conversation.id)


def check_question(question: str | None) -> str:
    """The trimmed question, or a clear InputError (empty: 422, too long: 413)."""
    question = (question or "").strip()
    if not question:
        raise InputError("input.empty_question")
    if len(question) > MAX_QUESTION_CHARS:
        raise InputError("input.question_too_long", chars=len(question), limit=MAX_QUESTION_CHARS)
    return question


def level_code(level: str | None, default: str = DEFAULT_LEVEL) -> str:
    """The level's code (`6e`, `Terminale`...), or 422 for an unknown level."""
    if level is None or not level.strip():
        return default
    parsed = parse_level(level)
    if parsed is None:
        raise InputError("tutor.unknown_level", level=level, levels=", ".join(level_codes()))
    return parsed.code


def visible_libraries(services: Services, user: User, s: Session | None = None) -> list:
    """The libraries `user` may search (in the chat, the API and practice alike): open ones, restricted
    ones she or her teacher owns, and, for a learner, those assigned to her classes."""
    mine: set[str] = set()
    if user.role == LEARNER:
        if s is None:
            with services.db.session() as own:
                mine = rooms.learner_libraries(own, user.id)
        else:
            mine = rooms.learner_libraries(s, user.id)
    return [lib for lib in services.library.list()
            if lib.name in mine or lib.visible_to(user.id, user.role, user.teacher_id)]


def library_name(services: Services, user: User, library: str | None, s: Session | None = None) -> str | None:
    """The library to search, None for none; 422 when the person may not use it."""
    if library is None or not library.strip():
        return None
    name = library.strip()
    if name not in {lib.name for lib in visible_libraries(services, user, s)}:
        raise WebError(422, "web.error.library_unknown", name=name)
    return name


def new_conversation(
    s: Session, services: Services, user: User, *, title: str, level: str | None, mode: str, library: str | None
) -> Conversation:
    """A conversation with checked settings, under the current model."""
    return create_conversation(
        s, user,
        title=" ".join(title.split())[:TITLE_CHARS],
        level=level_code(level, user.level or DEFAULT_LEVEL),
        mode=mode,
        library=library_name(services, user, library, s),
        model=services.model.model_id,
    )


def owned_conversation(s: Session, user: User, conversation_id: int) -> Conversation:
    """The conversation `user` may add to: 404 when unseen, 403 when only readable."""
    conversation = get_conversation(s, user, conversation_id)
    if conversation is None:
        raise WebError(404, "web.error.conversation_not_found")
    if conversation.user_id != user.id:
        raise WebError(403, "web.error.read_only")
    return conversation


def question_request(
    s: Session, services: Services, user: User, conversation: Conversation, *,
    question: str | None, level: str | None = None, mode: str | None = None, library: str | None = None,
) -> TutorRequest:
    """Check the question and the conversation's new settings; the request the tutor will answer.
    Nothing is stored yet: the answer path admits the request first (`web.answer_path`)."""
    text, names = mask_personal_data(s, user, check_question(question))
    if level is not None and level.strip():
        conversation.level = level_code(level)
    if mode is not None:
        conversation.mode = mode
    if library is not None:
        conversation.library = library_name(services, user, library, s)
    return TutorRequest(
        question=text, level=conversation.level, mode=conversation.mode,
        library=conversation.library, history=history_for_model(s, conversation), names=names, user_id=user.id,
        graded=graded_work(s, user, conversation.library),
        libraries=tuple(lib.name for lib in visible_libraries(services, user, s)),
    )


def store_question(s: Session, services: Services, conversation: Conversation, request: TutorRequest) -> Prepared:
    """Store the admitted question and an empty answer, and commit, before generation starts."""
    if not conversation.title:
        conversation.title = " ".join(request.question.split())[:TITLE_CHARS]
    add_message(s, conversation, "user", request.question)
    answer = add_message(s, conversation, "assistant", "", complete=False, model=services.model.model_id)
    if services.lease is not None:
        workers.claim(s, answer.id, services.lease.id)
    prepared = Prepared(conversation_id=conversation.id, message_id=answer.id, request=request)
    s.commit()
    return prepared


async def answer_events(job: AnswerJob, prepared: Prepared, lang: str) -> AsyncIterator[str]:
    """The answer as server-sent events, starting with the stored ids."""
    yield sse("start", {"conversation_id": prepared.conversation_id, "message_id": prepared.message_id})
    async for event in job.events():
        payload = event_payload(event, lang)
        if payload is not None:
            yield sse(*payload)
