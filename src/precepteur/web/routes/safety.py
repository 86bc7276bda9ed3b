"""Safety and privacy over the JSON API: the guard's flags, graded work, the audit log,
a learner's export and erasure.

- `GET /api/flags`, `POST /api/flags/{id}/seen`: a teacher sees her own learners' flags
  (category and time, never the text), an admin all; anyone else's flag is a 404.
- `GET|POST /api/homework`, `DELETE /api/homework/{id}`: a teacher's graded work (a library
  only one she manages: the mark applies to every learner who searches it).
- `GET /api/audit`: the append-only log of reads of learners' conversations (admins).
- `GET /api/me/export`: everything stored about me, table by table (every account).
- `GET /api/users/{id}/export`, `DELETE /api/users/{id}/data`: an admin exports or
  erases a learner's data (the erasure is audited).
"""

from __future__ import annotations

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from ...gate.access import ADMIN, LEARNER
from ...store.flags import flags_for, mark_seen
from ...store.guard_models import GRADED_TITLE_CHARS, AuditEntry, GradedWork
from ...store.models import LIBRARY_CHARS, User
from ...store.privacy import delete_learner, export_learner
from ..deps import AdminUser, CurrentUser, ServicesDep, SessionDep, TeacherUser
from ..errors import WebError
from ..schemas import ErrorOut, RecordId
from ..transactions import CommitRoute
from .library import library_to_manage

router = APIRouter(route_class=CommitRoute, prefix="/api", tags=["safety"])

ERRORS = {401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 404: {"model": ErrorOut}}
MAX_STATEMENT_CHARS = 10_000
MAX_AUDIT_ROWS = 1000


class FlagOut(BaseModel):
    id: int
    learner: str
    category: str
    layer: str
    created_at: str
    seen: bool
    conversation_message: int | None = None


class HomeworkIn(BaseModel):
    title: str = Field(default="", max_length=GRADED_TITLE_CHARS)
    statement: str = Field(default="", max_length=MAX_STATEMENT_CHARS)
    solution: str | None = Field(default=None, max_length=MAX_STATEMENT_CHARS)
    answer: str | None = Field(default=None, max_length=200)
    library: str | None = Field(default=None, max_length=LIBRARY_CHARS)


class HomeworkOut(HomeworkIn):
    id: int
    active: bool


class AuditOut(BaseModel):
    id: int
    at: str
    actor: str
    role: str
    action: str
    subject_id: int | None
    object_type: str
    object_id: int | None


def _flag_out(flag, learner: User) -> FlagOut:
    return FlagOut(id=flag.id, learner=learner.name, category=flag.category, layer=flag.layer,
                   created_at=flag.created_at.isoformat(), seen=flag.seen_at is not None,
                   conversation_message=flag.message_id)


@router.get("/flags", response_model=list[FlagOut], responses=ERRORS)
def list_flags(user: TeacherUser, s: SessionDep, unseen: bool = Query(False)):
    """Your learners' messages the guard flagged (distress, danger), newest first."""
    return [_flag_out(flag, learner) for flag, learner in flags_for(s, user, unseen_only=unseen)]


@router.post("/flags/{flag_id}/seen", response_model=FlagOut, responses=ERRORS)
def see_flag(flag_id: RecordId, user: TeacherUser, s: SessionDep):
    """Mark a flag seen (you have talked to the learner, or passed it on)."""
    flag = mark_seen(s, user, flag_id)
    if flag is None:
        raise WebError(404, "web.error.flag_not_found")
    return _flag_out(flag, s.get(User, flag.learner_id))


def _homework_out(work: GradedWork) -> HomeworkOut:
    return HomeworkOut(id=work.id, title=work.title, statement=work.statement, solution=work.solution,
                       answer=work.answer, library=work.library, active=work.active)


@router.get("/homework", response_model=list[HomeworkOut], responses=ERRORS)
def list_homework(user: TeacherUser, s: SessionDep):
    """Your graded work (an admin sees everyone's)."""
    query = select(GradedWork).order_by(GradedWork.id)
    if user.role != ADMIN:
        query = query.where(GradedWork.teacher_id == user.id)
    return [_homework_out(work) for work in s.scalars(query)]


def graded_library(services, user: User, name: str | None) -> str | None:
    """The library to mark as graded work: one she manages, since the mark applies to every
    learner who searches it (404 when she may not see it, 403 when it is not hers)."""
    name = (name or "").strip() or None
    if name is not None:
        library_to_manage(services, user, name)
    return name


@router.post("/homework", status_code=201, response_model=HomeworkOut, responses={**ERRORS, 422: {"model": ErrorOut}})
def add_homework(body: HomeworkIn, user: TeacherUser, services: ServicesDep, s: SessionDep):
    """Mark an exercise (statement, optional solution and final value) or a library you manage as graded work."""
    statement = body.statement.strip()
    library = graded_library(services, user, body.library)
    if not statement and not library:
        raise WebError(422, "web.error.homework_empty")
    work = GradedWork(teacher_id=user.id, title=body.title.strip(), statement=statement,
                      solution=(body.solution or "").strip() or None, answer=(body.answer or "").strip() or None,
                      library=library)
    s.add(work)
    s.flush()
    return _homework_out(work)


@router.delete("/homework/{work_id}", status_code=204, responses=ERRORS)
def remove_homework(work_id: RecordId, user: TeacherUser, s: SessionDep):
    """Stop treating this exercise as graded work."""
    work = s.get(GradedWork, work_id)
    if work is None or (user.role != ADMIN and work.teacher_id != user.id):
        raise WebError(404, "web.error.homework_not_found")
    s.delete(work)


@router.get("/audit", response_model=list[AuditOut], responses=ERRORS)
def read_audit(user: AdminUser, s: SessionDep, limit: int = Query(200, ge=1, le=MAX_AUDIT_ROWS)):
    """Who read which learner's conversation, and when (newest first)."""
    rows = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
    return [AuditOut(id=r.id, at=r.at.isoformat(), actor=r.actor_name, role=r.actor_role, action=r.action,
                     subject_id=r.subject_id, object_type=r.object_type, object_id=r.object_id) for r in rows]


@router.get("/me/export", responses=ERRORS)
def export_me(user: CurrentUser, s: SessionDep) -> dict:
    """Everything stored about you, table by table."""
    return {"user": user.name, "tables": export_learner(s, user.id)}


def _learner_or_404(s, user_id: int) -> User:
    learner = s.get(User, user_id)
    if learner is None or learner.role != LEARNER:
        raise WebError(404, "web.error.user_not_found")
    return learner


@router.get("/users/{user_id}/export", responses=ERRORS)
def export_user(user_id: RecordId, admin: AdminUser, s: SessionDep) -> dict:
    """Everything stored about one learner (admins)."""
    learner = _learner_or_404(s, user_id)
    return {"user": learner.name, "tables": export_learner(s, learner.id)}


@router.delete("/users/{user_id}/data", responses=ERRORS)
def erase_user(user_id: RecordId, admin: AdminUser, s: SessionDep) -> dict:
    """Erase a learner and every row that refers to her (admins); audited."""
    learner = _learner_or_404(s, user_id)
    return {"deleted": delete_learner(s, learner.id, actor=admin)}
