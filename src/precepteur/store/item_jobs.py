"""Repository of generation jobs: what was asked, progress, state, and where to resume.

A job is written after every passage it works through (`cursor`, counts, stats), so
a stopped process leaves it `interrupted` and resumable from there; jobs still
`running` when an app starts were stopped by the previous process
(`interrupt_running`).

Constants: RESUMABLE (states a job can be resumed from), ACTIVE.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ._types import utcnow
from .items_models import ItemJob

RESUMABLE = ("cancelled", "interrupted", "error")
ACTIVE = ("queued", "running")


@dataclass
class JobInfo:
    id: int
    library: str
    state: str
    wanted: int
    accepted: int
    candidates: int
    cursor: int
    params: dict = field(default_factory=dict)
    stats: dict = field(default_factory=dict)
    message: str = ""
    created_by: int | None = None
    created_at: str = ""
    updated_at: str = ""

    @property
    def finished(self) -> bool:
        return self.state not in ACTIVE

    def to_dict(self) -> dict:
        return {
            "id": self.id, "library": self.library, "state": self.state, "wanted": self.wanted,
            "accepted": self.accepted, "candidates": self.candidates, "cursor": self.cursor,
            "params": dict(self.params), "stats": dict(self.stats), "message": self.message,
            "finished": self.finished, "resumable": self.state in RESUMABLE,
            "created_at": self.created_at, "updated_at": self.updated_at,
        }


def _info(row: ItemJob) -> JobInfo:
    return JobInfo(row.id, row.library, row.state, row.wanted, row.accepted, row.candidates, row.cursor,
                   dict(row.params or {}), dict(row.stats or {}), row.message or "", row.created_by,
                   row.created_at.isoformat(), row.updated_at.isoformat())


def create_job(s: Session, library: str, params: dict, wanted: int, user_id: int | None = None) -> JobInfo:
    row = ItemJob(library=library, params=dict(params), wanted=int(wanted), created_by=user_id, state="queued")
    s.add(row)
    s.flush()
    return _info(row)


def get_job(s: Session, job_id: int) -> JobInfo | None:
    row = s.get(ItemJob, int(job_id)) if str(job_id).isdigit() else None
    return _info(row) if row is not None else None


def update_job(s: Session, job_id: int, **fields) -> JobInfo:
    """Set some of: state, accepted, candidates, cursor, stats, message."""
    row = s.get(ItemJob, int(job_id))
    for name, value in fields.items():
        if name not in ("state", "accepted", "candidates", "cursor", "stats", "message"):
            raise ValueError(f"not a job field: {name}")
        setattr(row, name, value)
    row.updated_at = utcnow()
    s.flush()
    return _info(row)


def jobs_for(s: Session, library: str, limit: int = 20) -> list[JobInfo]:
    """The newest jobs of a library first."""
    rows = s.scalars(select(ItemJob).where(ItemJob.library == library).order_by(ItemJob.id.desc()).limit(limit)).all()
    return [_info(r) for r in rows]


def interrupt_running(s: Session) -> int:
    """Mark jobs left queued or running by a stopped process as interrupted; returns how many."""
    result = s.execute(update(ItemJob).where(ItemJob.state.in_(ACTIVE)).values(state="interrupted", updated_at=utcnow()))
    return result.rowcount or 0


__all__ = ["ACTIVE", "RESUMABLE", "JobInfo", "create_job", "get_job", "interrupt_running", "jobs_for", "update_job"]
