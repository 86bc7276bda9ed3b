"""The gate's rows: who is in which cohort, which invitations were used, switches, incidents."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..gate.cohorts import KILL_RETRY_SECONDS, Switch, Switches
from .gate_models import SWITCH_MESSAGE_CHARS, CohortMember, Incident, KillSwitch, UsedInvitation

INCIDENT_DAYS = 7


class InvitationUsed(Exception):
    """This invitation's nonce was already redeemed."""


def cohort_of(s: Session, user_id: int, default: str) -> str:
    """The cohort of an account (the default cohort when it joined none)."""
    member = s.get(CohortMember, user_id)
    return member.cohort if member is not None else default


def redeem(s: Session, user_id: int, cohort: str, nonce: str) -> None:
    """Record the invitation as used and put the account in `cohort`; InvitationUsed the second time."""
    if s.get(UsedInvitation, nonce) is not None:
        raise InvitationUsed(nonce)
    try:
        with s.begin_nested():
            s.add(UsedInvitation(nonce=nonce, cohort=cohort, user_id=user_id))
            s.flush()
    except IntegrityError:  # redeemed at the same moment elsewhere
        raise InvitationUsed(nonce) from None
    set_cohort(s, user_id, cohort)


def set_cohort(s: Session, user_id: int, cohort: str) -> None:
    member = s.get(CohortMember, user_id)
    if member is None:
        s.add(CohortMember(user_id=user_id, cohort=cohort))
    else:
        member.cohort = cohort
    s.flush()


def load_switches(s: Session) -> Switches:
    rows = s.scalars(select(KillSwitch))
    return Switches({row.scope: Switch(row.scope, row.killed, row.message, row.retry_after,
                                       row.updated_at.timestamp()) for row in rows})


def set_switch(s: Session, scope: str, killed: bool, message: str = "",
               retry_after: int = KILL_RETRY_SECONDS) -> None:
    row = s.get(KillSwitch, scope)
    if row is None:
        row = KillSwitch(scope=scope)
        s.add(row)
    row.killed, row.message, row.retry_after = killed, message[:SWITCH_MESSAGE_CHARS], max(1, int(retry_after))
    row.updated_at = datetime.now(timezone.utc)
    s.flush()


def add_incident(s: Session, title: str, body: str = "") -> Incident:
    incident = Incident(title=title, body=body)
    s.add(incident)
    s.flush()
    return incident


def end_incident(s: Session, incident_id: int) -> bool:
    """Mark the incident over; False when there is no such incident."""
    incident = s.get(Incident, incident_id)
    if incident is None:
        return False
    if incident.ended_at is None:
        incident.ended_at = datetime.now(timezone.utc)
        s.flush()
    return True


def recent_incidents(s: Session, now: datetime | None = None) -> list[Incident]:
    """Open incidents, and those ended in the last INCIDENT_DAYS days, newest first."""
    since = (now or datetime.now(timezone.utc)) - timedelta(days=INCIDENT_DAYS)
    query = select(Incident).where(or_(Incident.ended_at.is_(None), Incident.ended_at >= since))
    return list(s.scalars(query.order_by(Incident.started_at.desc())))
