"""What the gate keeps in the database: cohort membership, used invitations, kill switches, incidents.

- `CohortMember`: the cohort an account belongs to (none: `settings.default_cohort`).
- `UsedInvitation`: the nonce of every redeemed invitation, so each serves once.
- `KillSwitch`: the global switch (scope "*") and one per cohort: on, message, Retry-After.
- `Incident`: what the status page lists (title, text, start, end).

The queue itself is not here: it lives in the `GateStore` (memory or Redis).

Limits: COHORT_CHARS, NONCE_CHARS, SWITCH_MESSAGE_CHARS, INCIDENT_TITLE_CHARS.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ._types import UTCDateTime, utcnow
from .models import Base

COHORT_CHARS = 32
NONCE_CHARS = 64
SWITCH_MESSAGE_CHARS = 500
INCIDENT_TITLE_CHARS = 200


class CohortMember(Base):
    __tablename__ = "gate_members"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    cohort: Mapped[str] = mapped_column(String(COHORT_CHARS))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class UsedInvitation(Base):
    __tablename__ = "gate_used_invitations"

    nonce: Mapped[str] = mapped_column(String(NONCE_CHARS), primary_key=True)
    cohort: Mapped[str] = mapped_column(String(COHORT_CHARS))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    redeemed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class KillSwitch(Base):
    __tablename__ = "gate_switches"

    scope: Mapped[str] = mapped_column(String(COHORT_CHARS), primary_key=True)
    killed: Mapped[bool] = mapped_column(Boolean, default=False)
    message: Mapped[str] = mapped_column(String(SWITCH_MESSAGE_CHARS), default="")
    retry_after: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Incident(Base):
    __tablename__ = "gate_incidents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(INCIDENT_TITLE_CHARS))
    body: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
