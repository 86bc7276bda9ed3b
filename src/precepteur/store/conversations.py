"""Conversations and messages: how a question and its streamed answer are kept.

The flow for one question: `add_message(s, conv, "user", question)` and an empty
assistant placeholder `add_message(s, conv, "assistant", "", complete=False,
model=...)` are committed BEFORE generation starts; while tokens stream, a worker
thread calls `update_message(s, id, content=...)` in its own short session every
few tokens, and once more at the end with `complete=True` and the citations. If
the process dies, the partial answer stays stored with `complete=False`, and
`mark_incomplete_on_startup` stamps it with `error=INTERRUPTED` at the next start.
Leave the session block that stored the placeholder before the worker starts:
on SQLite an open write transaction holds the one writer lock.

Visibility is that of `gate.access`: a learner sees her own conversations, a
teacher hers and her learners', an admin all. `get_conversation` answers None both
for a missing id and for one the viewer may not see, so callers cannot leak which
ids exist.

Constants: MAX_HISTORY_TURNS (user turns given back to the model), INTERRUPTED
(the error code of an answer cut by a crash), STALE_AFTER (how old an unfinished
answer must be before startup calls it interrupted: another worker may still be
streaming it), ROLES.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from ..errors import InputError
from ..gate.access import ADMIN, TEACHER, can_see_conversation
from ._types import utcnow
from .models import TITLE_CHARS, Conversation, Message, User

MAX_HISTORY_TURNS = 6
INTERRUPTED = "interrupted"
STALE_AFTER = timedelta(seconds=60)
ROLES = ("user", "assistant")


def create_conversation(
    s: Session,
    user: User,
    *,
    title: str,
    level: str,
    mode: str,
    library: str | None = None,
    model: str,
) -> Conversation:
    """A new, empty conversation owned by `user`."""
    now = utcnow()
    conversation = Conversation(
        user_id=user.id,
        title=" ".join((title or "").split())[:TITLE_CHARS],
        level=level,
        mode=mode,
        library=library,
        model=model,
        created_at=now,
        updated_at=now,
    )
    s.add(conversation)
    s.flush()
    return conversation


def add_message(
    s: Session,
    conversation: Conversation,
    role: str,
    content: str,
    *,
    complete: bool = True,
    model: str | None = None,
) -> Message:
    """Append one message and bump the conversation's `updated_at`."""
    if role not in ROLES:
        raise InputError("store.message_role", role=role)
    now = utcnow()
    message = Message(
        conversation_id=conversation.id,
        role=role,
        content=content,
        complete=complete,
        model=model,
        created_at=now,
        updated_at=now,
    )
    s.add(message)
    conversation.updated_at = now
    s.flush()
    return message


def update_message(
    s: Session,
    message_id: int,
    *,
    content: str | None = None,
    complete: bool | None = None,
    citations: list | None = None,
    skills: list | None = None,
    declined: bool | None = None,
    error: str | None = None,
) -> None:
    """Overwrite the given fields of one message with a single UPDATE (None: unchanged)."""
    fields = {
        "content": content,
        "complete": complete,
        "citations": citations,
        "skills": skills,
        "declined": declined,
        "error": error,
    }
    values = {name: value for name, value in fields.items() if value is not None}
    values["updated_at"] = utcnow()
    result = s.execute(
        update(Message).where(Message.id == message_id).values(**values),
        execution_options={"synchronize_session": "evaluate"},
    )
    if result.rowcount == 0:
        raise InputError("store.message_unknown", id=message_id)


def _visible_owner_ids(viewer: User):
    """The SQL condition on Conversation.user_id for what `viewer` may see."""
    if viewer.role == TEACHER:
        learners = select(User.id).where(User.teacher_id == viewer.id)
        return or_(Conversation.user_id == viewer.id, Conversation.user_id.in_(learners))
    return Conversation.user_id == viewer.id


def list_conversations(s: Session, viewer: User) -> list[Conversation]:
    """The conversations `viewer` may see, most recently active first."""
    if viewer.disabled:
        return []
    query = select(Conversation).order_by(Conversation.updated_at.desc(), Conversation.id.desc())
    if viewer.role != ADMIN:
        query = query.where(_visible_owner_ids(viewer))
    return list(s.scalars(query))


def get_conversation(s: Session, viewer: User, conversation_id: int) -> Conversation | None:
    """The conversation, or None when it does not exist or `viewer` may not see it."""
    conversation = s.get(Conversation, conversation_id)
    if conversation is None or not can_see_conversation(viewer, conversation):
        return None
    return conversation


def messages_of(s: Session, conversation: Conversation) -> list[Message]:
    """All messages of a conversation, in the order they were written."""
    query = select(Message).where(Message.conversation_id == conversation.id).order_by(Message.id)
    return list(s.scalars(query))


def history_for_model(
    s: Session, conversation: Conversation, max_turns: int = MAX_HISTORY_TURNS
) -> list[dict]:
    """Earlier turns as `{"role", "content"}` for `TutorRequest.history`.

    Partial answers count (what the learner saw); empty placeholders do not. A
    trailing unanswered question is the one being answered now, so it is left
    out whether or not it was already stored. Only the last `max_turns` user
    turns are kept, and only the newest messages are read (a window that grows
    until it holds them), so a conversation of a thousand turns costs what a
    short one does.
    """
    if max_turns <= 0:
        return []
    window = 4 * (max_turns + 1)
    while True:
        newest = select(Message).where(Message.conversation_id == conversation.id)
        rows = list(s.scalars(newest.order_by(Message.id.desc()).limit(window)))[::-1]
        turns = [m for m in rows if m.content.strip()]
        if turns and turns[-1].role == "user":
            turns.pop()
        user_positions = [i for i, m in enumerate(turns) if m.role == "user"]
        if len(rows) < window or len(user_positions) > max_turns:
            break
        window *= 2
    if len(user_positions) > max_turns:
        turns = turns[user_positions[-max_turns]:]
    return [{"role": m.role, "content": m.content} for m in turns]


def mark_incomplete_on_startup(
    s: Session, *, now: datetime | None = None, stale_after: timedelta = STALE_AFTER
) -> int:
    """Flag answers left unfinished by a crash (`error=INTERRUPTED`); return how many.

    They keep their partial content and `complete=False`.
    """
    cutoff = (now or utcnow()) - stale_after
    result = s.execute(
        update(Message)
        .where(
            Message.complete.is_(False),
            Message.error.is_(None),
            Message.updated_at <= cutoff,
        )
        .values(error=INTERRUPTED),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount
