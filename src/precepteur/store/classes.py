"""Repository of classes: a teacher's class, its libraries and learners, and the join
codes that let a learner create a pseudonymous account in it.

A join code is CODE_LENGTH characters from CODE_ALPHABET (no 0/O, 1/I/L, no vowel
that could spell a word), valid CODE_DAYS days unless given otherwise, revocable;
people may type it in lower case, with spaces or a dash. Joining asks a nickname
and a password only (no e-mail, no real name); the account is a learner attached
to the class's teacher, at the class's level.

Who sees a class: its teacher and admins (`visible_class`); a learner sees the
libraries of her classes (`learner_libraries`).

Training (issue 14's privacy rule): a learner's data is never used for training
without an explicit opt-in at class level. `training_allowed` is True for a learner
only when she is in at least one class and every class she is in has
`training_opt_in` on; for a teacher or an admin in no class, True.

Constants: CODE_ALPHABET, CODE_LENGTH, CODE_DAYS, MAX_CODE_DAYS, MAX_CLASS_ID.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..errors import InputError
from ..gate.access import ADMIN, LEARNER, TEACHER
from ..gate.accounts import create_user, get_user, set_password
from ..learning.levels import parse_level
from .learning_models import CLASS_NAME_CHARS, ClassLibrary, ClassMember, JoinCode, SchoolClass
from .models import User

CODE_ALPHABET = "BCDFGHJKMNPQRSTVWXZ23456789"
CODE_LENGTH = 8
CODE_DAYS = 14
MAX_CODE_DAYS = 365
MAX_CLASS_ID = 2**63 - 1  # a larger id cannot exist, and would overflow SQLite


def normalize_code(text: str) -> str:
    """"bcdf-ghjk " -> "BCDFGHJK"."""
    return "".join(c for c in (text or "").upper() if c.isalnum())


def _aware(when: datetime) -> datetime:
    if when.tzinfo is None:
        raise ValueError("naive datetime: pass an aware UTC datetime")
    return when


def create_class(s: Session, name: str, teacher: User, *, level: str | None = None,
                 libraries: Iterable[str] = (), points: bool = True, weekly_goal: int = 3) -> SchoolClass:
    """A new class of `teacher` (a teacher or an admin); a name she already uses is refused."""
    name = " ".join((name or "").split())
    if not name or len(name) > CLASS_NAME_CHARS:
        raise InputError("learning.class.name_invalid", max=CLASS_NAME_CHARS)
    if teacher.role not in (TEACHER, ADMIN):
        raise InputError("accounts.not_a_teacher", name=teacher.name)
    code = None
    if level:
        parsed = parse_level(level)
        if parsed is None:
            raise InputError("accounts.level_invalid", level=level)
        code = parsed.code
    if s.scalar(select(SchoolClass).where(SchoolClass.teacher_id == teacher.id, SchoolClass.name == name)):
        raise InputError("learning.class.name_taken", name=name)
    row = SchoolClass(name=name, teacher_id=teacher.id, level=code, points=points, weekly_goal=max(1, weekly_goal))
    s.add(row)
    s.flush()
    for library in dict.fromkeys(libraries):
        s.add(ClassLibrary(class_id=row.id, library=library))
    s.flush()
    return row


def get_class(s: Session, class_id: int | str) -> SchoolClass | None:
    """The class, or None for an id that is not one (a number past SQL's integers included)."""
    if not str(class_id).isdigit() or int(class_id) > MAX_CLASS_ID:
        return None
    return s.get(SchoolClass, int(class_id))


def visible_class(s: Session, user: User, class_id: int | str) -> SchoolClass | None:
    """The class if `user` is its teacher or an admin; None otherwise (answered 404)."""
    row = get_class(s, class_id)
    if row is None or user.disabled:
        return None
    return row if user.role == ADMIN or row.teacher_id == user.id else None


def find_class(s: Session, name_or_id: str) -> SchoolClass | None:
    """A class by id, or by name when only one class has it."""
    by_id = get_class(s, name_or_id)
    if by_id is not None:
        return by_id
    rows = s.scalars(select(SchoolClass).where(SchoolClass.name == name_or_id)).all()
    if len(rows) > 1:
        raise InputError("learning.class.ambiguous", name=name_or_id)
    return rows[0] if rows else None


def classes_for(s: Session, user: User) -> list[SchoolClass]:
    """The classes a person sees: an admin all, a teacher hers, a learner those she belongs to."""
    query = select(SchoolClass).order_by(SchoolClass.id)
    if user.role == LEARNER:
        query = query.join(ClassMember, ClassMember.class_id == SchoolClass.id).where(ClassMember.user_id == user.id)
    elif user.role != ADMIN:
        query = query.where(SchoolClass.teacher_id == user.id)
    return list(s.scalars(query))


def libraries_of(s: Session, class_id: int) -> list[str]:
    return list(s.scalars(select(ClassLibrary.library).where(ClassLibrary.class_id == class_id)
                          .order_by(ClassLibrary.library)))


def learner_libraries(s: Session, user_id: int) -> set[str]:
    """The libraries assigned to the classes a learner belongs to."""
    query = (select(ClassLibrary.library).join(ClassMember, ClassMember.class_id == ClassLibrary.class_id)
             .where(ClassMember.user_id == user_id))
    return set(s.scalars(query))


def members(s: Session, class_id: int) -> list[User]:
    query = (select(User).join(ClassMember, ClassMember.user_id == User.id)
             .where(ClassMember.class_id == class_id).order_by(User.name))
    return list(s.scalars(query))


def classes_of_learner(s: Session, user_id: int) -> list[SchoolClass]:
    query = (select(SchoolClass).join(ClassMember, ClassMember.class_id == SchoolClass.id)
             .where(ClassMember.user_id == user_id).order_by(SchoolClass.id))
    return list(s.scalars(query))


def new_code(s: Session, school_class: SchoolClass, now: datetime, days: int = CODE_DAYS) -> JoinCode:
    """A fresh join code for the class, valid `days` days from `now`."""
    if not 1 <= days <= MAX_CODE_DAYS:
        raise InputError("learning.code.bad_days", max=MAX_CODE_DAYS)
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if s.scalar(select(JoinCode.id).where(JoinCode.code == code)) is None:
            break
    row = JoinCode(class_id=school_class.id, code=code, created_at=_aware(now), expires_at=now + timedelta(days=days))
    s.add(row)
    s.flush()
    return row


def codes_of(s: Session, class_id: int) -> list[JoinCode]:
    return list(s.scalars(select(JoinCode).where(JoinCode.class_id == class_id).order_by(JoinCode.id)))


def revoke_code(s: Session, class_id: int, code: str, now: datetime) -> JoinCode | None:
    row = s.scalar(select(JoinCode).where(JoinCode.class_id == class_id, JoinCode.code == normalize_code(code)))
    if row is not None and row.revoked_at is None:
        row.revoked_at = _aware(now)
        s.flush()
    return row


def code_state(row: JoinCode, now: datetime) -> str:
    """"valid", "expired" or "revoked"."""
    if row.revoked_at is not None:
        return "revoked"
    return "expired" if row.expires_at <= _aware(now) else "valid"


def join(s: Session, code: str, nickname: str, password: str, now: datetime, *, lang: str = "fr") -> User:
    """Create a learner's pseudonymous account in the class of a valid code (nothing is created otherwise)."""
    row = s.scalar(select(JoinCode).where(JoinCode.code == normalize_code(code)))
    if row is None:
        raise InputError("learning.code.unknown")
    state = code_state(row, now)
    if state != "valid":
        raise InputError(f"learning.code.{state}")
    school_class = s.get(SchoolClass, row.class_id)
    teacher = s.get(User, school_class.teacher_id)
    if get_user(s, (nickname or "").strip()) is not None:
        raise InputError("accounts.name_taken", name=(nickname or "").strip())
    user = create_user(s, nickname, LEARNER, level=school_class.level, password=password,
                       teacher=teacher if teacher.role == TEACHER else None, lang=lang)
    s.add(ClassMember(class_id=school_class.id, user_id=user.id, joined_at=_aware(now)))
    row.uses += 1
    s.flush()
    return user


def reset_password(s: Session, school_class: SchoolClass, learner_name: str, password: str) -> User | None:
    """A new password for a learner of the class; None when she is not in it."""
    user = get_user(s, learner_name)
    if user is None or user.id not in {m.id for m in members(s, school_class.id)}:
        return None
    set_password(s, user, password)
    s.flush()
    return user


def remove_library(s: Session, class_id: int, library: str) -> None:
    s.execute(delete(ClassLibrary).where(ClassLibrary.class_id == class_id, ClassLibrary.library == library))


def training_allowed(s: Session, user_id: int) -> bool:
    """Whether this person's data may be used for training (see the module docstring); False for no such person."""
    user = s.get(User, user_id)
    if user is None:
        return False
    flags = list(s.scalars(select(SchoolClass.training_opt_in).join(ClassMember, ClassMember.class_id == SchoolClass.id)
                           .where(ClassMember.user_id == user_id)))
    if flags:
        return all(flags)
    return user.role != LEARNER


__all__ = ["CODE_ALPHABET", "CODE_DAYS", "CODE_LENGTH", "classes_for", "classes_of_learner", "code_state", "codes_of",
           "create_class", "find_class", "get_class", "join", "learner_libraries", "libraries_of", "members",
           "new_code", "normalize_code", "reset_password", "revoke_code", "training_allowed", "visible_class"]

