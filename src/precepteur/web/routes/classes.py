"""The classes JSON API: create and list classes, join codes, password resets, the
teacher's dashboard, and `POST /api/join` (a learner's pseudonymous account from a code).

A class is its teacher's and the admins'; another teacher's class is 404 as if it
did not exist, and learners get 403 on the teacher's routes.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ...errors import InputError
from ...gate.accounts import MAX_PASSWORD_CHARS
from ...store import classes as rooms
from ...store._types import utcnow
from ...store.learning_models import CLASS_NAME_CHARS, CODE_CHARS, ClassLibrary
from ...store.models import LIBRARY_CHARS, NAME_CHARS
from .. import practice as glue
from ..deps import CurrentUser, ServicesDep, SessionDep, TeacherUser
from ..errors import WebError
from ..i18n import request_lang
from ..transactions import CommitRoute
from .library import can_manage

router = APIRouter(route_class=CommitRoute, prefix="/api", tags=["classes"])


class ClassIn(BaseModel):
    name: str = Field(min_length=1, max_length=CLASS_NAME_CHARS)
    level: str | None = Field(default=None, max_length=20)
    libraries: list[Annotated[str, Field(max_length=LIBRARY_CHARS)]] = Field(default_factory=list, max_length=50)
    points: bool = True
    weekly_goal: int = Field(default=3, ge=1, le=14)
    training_opt_in: bool = False  # learners' data for training: off unless the teacher opts in


class ClassPatch(BaseModel):
    points: bool | None = None
    training_opt_in: bool | None = None
    weekly_goal: int | None = Field(default=None, ge=1, le=14)
    libraries: list[Annotated[str, Field(max_length=LIBRARY_CHARS)]] | None = Field(default=None, max_length=50)


class CodeIn(BaseModel):
    days: int = Field(default=rooms.CODE_DAYS, ge=1, le=rooms.MAX_CODE_DAYS)


class JoinIn(BaseModel):
    code: str = Field(min_length=1, max_length=CODE_CHARS * 2)
    nickname: str = Field(min_length=1, max_length=NAME_CHARS)
    password: str = Field(min_length=1, max_length=MAX_PASSWORD_CHARS)


class PasswordIn(BaseModel):
    password: str = Field(min_length=1, max_length=MAX_PASSWORD_CHARS)


def _libraries(services, user, names: list[str]) -> list[str]:
    """The libraries a teacher may assign: her own ones, or any open one (admins: all)."""
    known = {lib.name: lib for lib in services.library.list()}
    for name in names:
        info = known.get(name)
        if info is None or not (can_manage(user, info) or not info.restricted):
            raise WebError(422, "learning.class.unknown_library", name=name[:80])
    return list(dict.fromkeys(names))


def _class(s, user, class_id: str):
    room = rooms.visible_class(s, user, class_id)
    if room is None:
        raise WebError(404, "learning.class.not_found")
    return room


def code_dict(row, now) -> dict:
    return {"code": row.code, "class": row.class_id, "expires_at": row.expires_at.isoformat(),
            "state": rooms.code_state(row, now), "uses": row.uses}


@router.post("/classes", status_code=201)
def create_class(body: ClassIn, user: TeacherUser, services: ServicesDep, s: SessionDep):
    """Create a class (name, level, libraries assigned)."""
    room = rooms.create_class(s, body.name, user, level=body.level, libraries=_libraries(services, user, body.libraries),
                              points=body.points, weekly_goal=body.weekly_goal)
    room.training_opt_in = body.training_opt_in
    s.flush()
    return glue.class_dict(s, room)


@router.get("/classes")
def list_classes(user: CurrentUser, s: SessionDep):
    """The classes you teach (admins: all; learners: theirs)."""
    return [glue.class_dict(s, room) for room in rooms.classes_for(s, user)]


@router.get("/classes/{class_id}")
def read_class(class_id: str, user: TeacherUser, s: SessionDep):
    """One class with its learners and join codes."""
    room = _class(s, user, class_id)
    now = utcnow()
    return glue.class_dict(s, room) | {"codes": [code_dict(c, now) for c in rooms.codes_of(s, room.id)]}


@router.patch("/classes/{class_id}")
def edit_class(class_id: str, body: ClassPatch, user: TeacherUser, services: ServicesDep, s: SessionDep):
    """Turn points or the training opt-in on or off, change the weekly goal or the libraries."""
    room = _class(s, user, class_id)
    if body.points is not None:
        room.points = body.points
    if body.training_opt_in is not None:
        room.training_opt_in = body.training_opt_in
    if body.weekly_goal is not None:
        room.weekly_goal = body.weekly_goal
    if body.libraries is not None:
        wanted = _libraries(services, user, body.libraries)
        for name in rooms.libraries_of(s, room.id):
            if name not in wanted:
                rooms.remove_library(s, room.id, name)
        for name in wanted:
            if name not in rooms.libraries_of(s, room.id):
                s.add(ClassLibrary(class_id=room.id, library=name))
    s.flush()
    return glue.class_dict(s, room)


@router.post("/classes/{class_id}/codes", status_code=201)
def new_code(class_id: str, user: TeacherUser, s: SessionDep, body: CodeIn | None = None):
    """A new join code for the class (valid 14 days unless told otherwise)."""
    room = _class(s, user, class_id)
    now = utcnow()
    return code_dict(rooms.new_code(s, room, now, (body or CodeIn()).days), now)


@router.post("/classes/{class_id}/codes/{code}/revoke")
def revoke_code(class_id: str, code: str, user: TeacherUser, s: SessionDep):
    """Revoke a join code: it lets no one else in."""
    room = _class(s, user, class_id)
    now = utcnow()
    row = rooms.revoke_code(s, room.id, code[:40], now)
    if row is None:
        raise WebError(404, "learning.code.not_found")
    return code_dict(row, now)


@router.post("/classes/{class_id}/learners/{name}/password")
def reset_password(class_id: str, name: str, body: PasswordIn, user: TeacherUser, s: SessionDep):
    """Give a learner of the class a new password."""
    room = _class(s, user, class_id)
    learner = rooms.reset_password(s, room, name[:NAME_CHARS], body.password)
    if learner is None:
        raise WebError(404, "learning.class.learner_not_found")
    return {"name": learner.name}


@router.get("/classes/{class_id}/dashboard")
def class_dashboard(class_id: str, user: TeacherUser, services: ServicesDep, s: SessionDep):
    """Learner × skill mastery, skills the class struggles with, items that behave badly, recent sessions."""
    return glue.class_dashboard(services, s, _class(s, user, class_id))


@router.post("/join", status_code=201)
def join(body: JoinIn, request: Request, s: SessionDep):
    """Create your pseudonymous account with a class's join code (a nickname and a password, nothing else)."""
    try:
        user = rooms.join(s, body.code, body.nickname, body.password, utcnow(), lang=request_lang(request))
    except InputError as exc:
        if exc.key == "accounts.name_taken":
            raise WebError(409, "accounts.name_taken", name=body.nickname.strip()[:NAME_CHARS]) from exc
        if exc.key.startswith("learning.code."):
            raise WebError(422, exc.key) from exc
        raise
    return JSONResponse({"name": user.name}, status_code=201)
