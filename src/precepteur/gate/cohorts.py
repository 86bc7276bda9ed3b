"""Cohorts, invitations and kill switches: opening the service step by step.

Cohorts open in PHASES order, `redteam -> alpha -> beta -> public`. Each one sets
the model (None: the installation's), the prompt version, its weight in the
fair queue, its quotas, its token caps (prompt and answer) and its feature
flags. An installation may override them in `$PRECEPTEUR_HOME/cohorts.json`
(`load_cohorts`); a learner without an invitation belongs to
`settings.default_cohort`.

Invitations are single-use HMAC tokens: `inv_<cohort>.<nonce>.<expiry>.<mac>`,
the mac being HMAC-SHA256(secret, "cohort.nonce.expiry") in URL-safe base64.
`verify_invitation` checks the mac and the expiry (pure); single use is the
store's part: the nonce is recorded when redeemed (`store.gate`), and a second
redemption is refused.

Kill switches: a global one and one per cohort; `Switches.blocking(cohort)`
says which switch (if any) stops new requests, with its message and
Retry-After.

Constants: PHASES, MATURITIES, INVITATION_PREFIX, DEFAULT_INVITATION_DAYS, GLOBAL.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path

from .quota import Quota

PHASES = ("redteam", "alpha", "beta", "public")
MATURITIES = ("expérimental", "alpha", "bêta", "stable")
INVITATION_PREFIX = "inv_"
DEFAULT_INVITATION_DAYS = 14
GLOBAL = "*"
KILL_RETRY_SECONDS = 300


@dataclass(frozen=True)
class Cohort:
    """What one cohort gets: model, prompt version, weight, quotas, caps and features."""

    name: str
    weight: float = 1.0
    model: str | None = None
    prompt_version: str | None = None
    quota: Quota = field(default_factory=Quota)
    max_prompt_tokens: int | None = None
    max_answer_tokens: int | None = None
    features: frozenset[str] = frozenset()

    def to_dict(self) -> dict:
        return {
            "name": self.name, "weight": self.weight, "model": self.model, "prompt_version": self.prompt_version,
            "quota": self.quota.to_dict(), "max_prompt_tokens": self.max_prompt_tokens,
            "max_answer_tokens": self.max_answer_tokens, "features": sorted(self.features),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Cohort:
        weight = float(data.get("weight", 1.0))
        if weight <= 0:
            raise ValueError(f"cohort {data.get('name')!r}: weight must be positive")
        return cls(
            name=str(data["name"]), weight=weight, model=data.get("model"),
            prompt_version=data.get("prompt_version"), quota=Quota.from_dict(data.get("quota")),
            max_prompt_tokens=data.get("max_prompt_tokens"), max_answer_tokens=data.get("max_answer_tokens"),
            features=frozenset(data.get("features", ())),
        )


DEFAULT_COHORTS: dict[str, Cohort] = {
    "redteam": Cohort("redteam", weight=1.0, features=frozenset({"debug"})),
    "alpha": Cohort("alpha", weight=1.0, quota=Quota(requests_per_minute=20, requests_per_day=500)),
    "beta": Cohort("beta", weight=1.0, quota=Quota(requests_per_minute=10, requests_per_day=300)),
    "public": Cohort("public", weight=1.0, quota=Quota(requests_per_minute=6, requests_per_day=200),
                     max_prompt_tokens=6000),
}


def load_cohorts(path: Path | None) -> dict[str, Cohort]:
    """The built-in cohorts, each replaced by the one of the same name in `path` (JSON list)."""
    cohorts = dict(DEFAULT_COHORTS)
    if path is not None and path.is_file():
        for entry in json.loads(path.read_text(encoding="utf-8")):
            cohort = Cohort.from_dict(entry)
            cohorts[cohort.name] = cohort
    return cohorts


def phase_index(name: str) -> int:
    """Where a cohort stands in the opening order (unknown names after `public`)."""
    return PHASES.index(name) if name in PHASES else len(PHASES)


# -- invitations ----------------------------------------------------------------------


class InvalidInvitation(ValueError):
    """The invitation is malformed, forged or expired (`reason` says which)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Invitation:
    cohort: str
    nonce: str
    expires: int  # Unix seconds


def _mac(secret: str, body: str) -> str:
    digest = hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def make_invitation(secret: str, cohort: str, now: float, *, days: int = DEFAULT_INVITATION_DAYS,
                    nonce: str | None = None) -> str:
    """A signed invitation to `cohort`, valid `days` days."""
    if "." in cohort or not cohort:
        raise ValueError("a cohort name has no dot")
    nonce = nonce or secrets.token_urlsafe(12).replace(".", "_")
    body = f"{cohort}.{nonce}.{int(now) + days * 86_400}"
    return f"{INVITATION_PREFIX}{body}.{_mac(secret, body)}"


def verify_invitation(secret: str, token: str, now: float) -> Invitation:
    """The invitation's cohort, nonce and expiry; InvalidInvitation when it does not hold."""
    if not token.startswith(INVITATION_PREFIX):
        raise InvalidInvitation("malformed")
    parts = token[len(INVITATION_PREFIX):].split(".")
    if len(parts) != 4:
        raise InvalidInvitation("malformed")
    cohort, nonce, expires, mac = parts
    if not hmac.compare_digest(mac, _mac(secret, f"{cohort}.{nonce}.{expires}")):
        raise InvalidInvitation("forged")
    try:
        expiry = int(expires)
    except ValueError:
        raise InvalidInvitation("malformed") from None
    if now >= expiry:
        raise InvalidInvitation("expired")
    return Invitation(cohort, nonce, expiry)


# -- kill switches --------------------------------------------------------------------


@dataclass(frozen=True)
class Switch:
    """One kill switch: on or off, the message shown, the Retry-After given."""

    scope: str  # GLOBAL or a cohort name
    killed: bool = False
    message: str = ""
    retry_after: int = KILL_RETRY_SECONDS
    updated_at: float = 0.0


@dataclass(frozen=True)
class Switches:
    """Every switch set, by scope."""

    by_scope: dict[str, Switch] = field(default_factory=dict)

    def blocking(self, cohort: str) -> Switch | None:
        """The switch that stops `cohort`'s new requests (the global one first), or None."""
        for scope in (GLOBAL, cohort):
            switch = self.by_scope.get(scope)
            if switch is not None and switch.killed:
                return switch
        return None

    def with_switch(self, switch: Switch) -> Switches:
        return replace(self, by_scope={**self.by_scope, switch.scope: switch})
