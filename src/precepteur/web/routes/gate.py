"""The gate's routes: leaving the queue, invitations, kill switches, incidents, the public status.

- `DELETE /api/gate/tickets/{id}`: leave the queue, or stop the answer (own tickets only).
- `POST /api/gate/invitations` (admin): a single-use invitation to a cohort;
  `POST /api/gate/invitations/redeem`: join the cohort it names (once).
- `GET|PUT /api/gate/switches[/{scope}]` (admin): kill switches ("*" is the global one);
  new requests are refused within SWITCHES_EVERY_S on every worker.
- `POST /api/gate/incidents`, `POST /api/gate/incidents/{id}/end` (admin).
- `/status` and `/status.json` (no sign-in): see `web.status`.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from ...gate.cohorts import GLOBAL, InvalidInvitation, make_invitation, verify_invitation
from ...store import gate as gate_rows
from ...store.gate_models import INCIDENT_TITLE_CHARS, SWITCH_MESSAGE_CHARS
from ..deps import AdminUser, CurrentUser, PageLang, ServicesDep, SessionDep
from ..errors import WebError
from ..render import render
from ..schemas import ErrorOut, RecordId
from ..security import load_secret_key
from ..status import status_payload
from ..transactions import CommitRoute

router = APIRouter(route_class=CommitRoute, prefix="/api/gate", tags=["gate"])
admin_router = APIRouter(route_class=CommitRoute, prefix="/api/gate", tags=["gate"])
status_router = APIRouter(route_class=CommitRoute, tags=["status"])
ERRORS = {401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 404: {"model": ErrorOut}, 422: {"model": ErrorOut}}


class InvitationIn(BaseModel):
    cohort: str = Field(max_length=32)
    days: int = Field(default=14, ge=1, le=365)


class RedeemIn(BaseModel):
    invitation: str = Field(max_length=300)


class SwitchIn(BaseModel):
    killed: bool
    message: str = Field(default="", max_length=SWITCH_MESSAGE_CHARS)
    retry_after: int = Field(default=300, ge=1, le=86_400)


class IncidentIn(BaseModel):
    title: str = Field(min_length=1, max_length=INCIDENT_TITLE_CHARS)
    body: str = Field(default="", max_length=5000)


@router.delete("/tickets/{ticket_id}", responses=ERRORS)
def leave_ticket(ticket_id: str, user: CurrentUser, services: ServicesDep):
    """Leave the queue (or stop the answer being generated) for one of your tickets."""
    gate = services.gate
    turn = gate.turn(ticket_id)
    if turn is not None:
        if turn.ticket.learner != f"u{user.id}":
            raise WebError(404, "gate.error.ticket_not_found")
        turn.stop()
        return {"ticket": ticket_id, "left": True}
    snapshot = gate.snapshot(fresh=True)  # another worker's ticket: release it in the shared store
    tickets = [*snapshot.waiting, *(r.ticket for r in snapshot.running)]
    ticket = next((t for t in tickets if t.id == ticket_id and t.learner == f"u{user.id}"), None)
    if ticket is None:
        raise WebError(404, "gate.error.ticket_not_found")
    gate.store.release(ticket_id)
    return {"ticket": ticket_id, "left": True}


@admin_router.post("/invitations", status_code=201, responses=ERRORS)
def invite(body: InvitationIn, _admin: AdminUser, services: ServicesDep):
    """A single-use invitation to a cohort."""
    cohorts = services.gate.cohorts
    if body.cohort not in cohorts:
        raise WebError(422, "gate.error.unknown_cohort", cohort=body.cohort, cohorts=", ".join(cohorts))
    token = make_invitation(load_secret_key(services.settings), body.cohort, time.time(), days=body.days)
    invitation = verify_invitation(load_secret_key(services.settings), token, time.time())
    return {"invitation": token, "cohort": body.cohort,
            "expires": datetime.fromtimestamp(invitation.expires, timezone.utc).isoformat()}


@router.post("/invitations/redeem", responses=ERRORS)
def redeem(body: RedeemIn, user: CurrentUser, s: SessionDep, services: ServicesDep):
    """Join the cohort of an invitation (each invitation serves once)."""
    try:
        invitation = verify_invitation(load_secret_key(services.settings), body.invitation.strip(), time.time())
    except InvalidInvitation as exc:
        raise WebError(422, f"gate.error.invitation_{exc.reason}") from None
    if invitation.cohort not in services.gate.cohorts:
        raise WebError(422, "gate.error.unknown_cohort", cohort=invitation.cohort,
                       cohorts=", ".join(services.gate.cohorts))
    try:
        gate_rows.redeem(s, user.id, invitation.cohort, invitation.nonce)
    except gate_rows.InvitationUsed:
        raise WebError(409, "gate.error.invitation_used") from None
    services.gate.forget_member(user.id)
    return {"cohort": invitation.cohort}


@admin_router.get("/switches", responses=ERRORS)
def switches(_admin: AdminUser, s: SessionDep):
    """Every kill switch set ("*": the global one)."""
    return {scope: {"killed": sw.killed, "message": sw.message, "retry_after": sw.retry_after}
            for scope, sw in gate_rows.load_switches(s).by_scope.items()}


@admin_router.put("/switches/{scope}", responses=ERRORS)
def set_switch(scope: str, body: SwitchIn, _admin: AdminUser, s: SessionDep, services: ServicesDep):
    """Turn a kill switch on or off ("*" for everyone, or a cohort's name)."""
    if scope != GLOBAL and scope not in services.gate.cohorts:
        raise WebError(422, "gate.error.unknown_cohort", cohort=scope, cohorts=", ".join(services.gate.cohorts))
    gate_rows.set_switch(s, scope, body.killed, body.message, body.retry_after)
    s.commit()
    services.gate.refresh_switches()
    return {"scope": scope, "killed": body.killed, "message": body.message, "retry_after": body.retry_after}


@admin_router.post("/incidents", status_code=201, responses=ERRORS)
def open_incident(body: IncidentIn, _admin: AdminUser, s: SessionDep):
    """Say on the status page that something is wrong."""
    incident = gate_rows.add_incident(s, body.title, body.body)
    return {"id": incident.id, "title": incident.title}


@admin_router.post("/incidents/{incident_id}/end", responses=ERRORS)
def close_incident(incident_id: RecordId, _admin: AdminUser, s: SessionDep):
    """Mark an incident over (it stays listed a week)."""
    if not gate_rows.end_incident(s, incident_id):
        raise WebError(404, "gate.error.incident_not_found")
    return {"id": incident_id, "ended": True}


@status_router.get("/status.json")
def status_json(s: SessionDep, services: ServicesDep):
    """The public status: model, maturity, known limits, phase, queue, waits, switches, incidents."""
    return status_payload(s, services)


@status_router.get("/status", include_in_schema=False)
def status_page(request: Request, lang: PageLang, s: SessionDep, services: ServicesDep):
    """The public status page."""
    return render(request, "status.html", lang=lang, user=None, status=status_payload(s, services))
