"""The guard's flags for a learner's teacher, and graded work, as repositories.

A teacher sees the flags of her own learners (an admin all of them), marks them seen,
and never sees another teacher's. Graded work belongs to the teacher who set it; the
tutor looks up what applies to a learner (her teacher's exercises, the library's).
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..gate.access import ADMIN
from ._types import utcnow
from .guard_models import GradedWork, GuardFlag
from .models import User


def record_flag(s: Session, learner_id: int, category: str, layer: str, message_id: int | None) -> GuardFlag:
    flag = GuardFlag(learner_id=learner_id, category=category[:32], layer=layer[:16], message_id=message_id)
    s.add(flag)
    s.flush()
    return flag


def flags_for(s: Session, viewer: User, unseen_only: bool = False) -> list[tuple[GuardFlag, User]]:
    """(flag, learner) pairs the viewer may see, newest first."""
    query = select(GuardFlag, User).join(User, User.id == GuardFlag.learner_id)
    if viewer.role != ADMIN:
        query = query.where(User.teacher_id == viewer.id)
    if unseen_only:
        query = query.where(GuardFlag.seen_at.is_(None))
    return [tuple(row) for row in s.execute(query.order_by(GuardFlag.created_at.desc(), GuardFlag.id.desc()))]


def mark_seen(s: Session, viewer: User, flag_id: int) -> GuardFlag | None:
    """Mark one visible flag seen; None when the viewer may not see it (or it does not exist)."""
    for flag, _learner in flags_for(s, viewer):
        if flag.id == flag_id:
            if flag.seen_at is None:
                flag.seen_at, flag.seen_by = utcnow(), viewer.id
            return flag
    return None


def graded_work_for(s: Session, learner: User | None, library: str | None) -> list[GradedWork]:
    """The active graded work that applies to a learner: her teacher's, or set on the library."""
    clauses = []
    if learner is not None and learner.teacher_id is not None:
        clauses.append(GradedWork.teacher_id == learner.teacher_id)
    if library:
        clauses.append(GradedWork.library == library)
    if not clauses:
        return []
    return list(s.scalars(select(GradedWork).where(GradedWork.active.is_(True), or_(*clauses))))
