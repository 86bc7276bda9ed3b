"""The teacher's safety page: her learners' flags (to act on, then mark seen) and her graded work."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from ...gate.access import ADMIN
from ...store.flags import flags_for, mark_seen
from ...store.guard_models import GradedWork
from ..deps import PageLang, ServicesDep, SessionDep, TeacherUser
from ..errors import WebError
from ..render import render
from ..schemas import RecordId
from ..transactions import CommitRoute
from .safety import graded_library

router = APIRouter(route_class=CommitRoute, prefix="/safety", tags=["safety-pages"], include_in_schema=False)


@router.get("")
def page(request: Request, lang: PageLang, user: TeacherUser, s: SessionDep):
    """Flags first (unseen on top), then graded work with a form to add one."""
    flags = sorted(flags_for(s, user), key=lambda pair: pair[0].seen_at is not None)
    query = select(GradedWork).order_by(GradedWork.id.desc())
    if user.role != ADMIN:
        query = query.where(GradedWork.teacher_id == user.id)
    return render(request, "safety.html", lang=lang, user=user, flags=flags, works=list(s.scalars(query)),
                  notice=request.query_params.get("notice"))


@router.post("/flags/{flag_id}/seen")
def seen(flag_id: RecordId, user: TeacherUser, s: SessionDep):
    if mark_seen(s, user, flag_id) is None:
        raise WebError(404, "web.error.flag_not_found")
    return RedirectResponse("/safety?notice=seen", status_code=303)


@router.post("/homework")
def add(
    user: TeacherUser, services: ServicesDep, s: SessionDep,
    title: Annotated[str, Form(max_length=200)] = "",
    statement: Annotated[str, Form(max_length=10_000)] = "",
    solution: Annotated[str, Form(max_length=10_000)] = "",
    answer: Annotated[str, Form(max_length=200)] = "",
    library: Annotated[str, Form(max_length=100)] = "",
):
    library = graded_library(services, user, library)
    if not statement.strip() and not library:
        raise WebError(422, "web.error.homework_empty")
    s.add(GradedWork(teacher_id=user.id, title=title.strip(), statement=statement.strip(),
                     solution=solution.strip() or None, answer=answer.strip() or None, library=library))
    return RedirectResponse("/safety?notice=added", status_code=303)


@router.post("/homework/{work_id}/delete")
def remove(work_id: RecordId, user: TeacherUser, s: SessionDep):
    work = s.get(GradedWork, work_id)
    if work is None or (user.role != ADMIN and work.teacher_id != user.id):
        raise WebError(404, "web.error.homework_not_found")
    s.delete(work)
    return RedirectResponse("/safety?notice=removed", status_code=303)
