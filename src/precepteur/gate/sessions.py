"""Server-side sign-in sessions: a cookie works only while its session row exists.

The signed session cookie carries a random secret (SECRET_BYTES); only its
sha256 is stored, in `WebSession`, with an expiry LIFETIME after sign-in (the
cookie's own max age). Signing out deletes the row; a password change, a
disabled account and an admin's "sign out everywhere" delete every row of the
account, so a copied or stolen cookie stops working at once instead of for up
to 14 days (issue 10, defect 5).

Constants: SECRET_BYTES, LIFETIME.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..store._types import utcnow
from ..store.models import User
from ..store.runtime_models import WebSession

SECRET_BYTES = 32
LIFETIME = timedelta(days=14)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def open_session(s: Session, user: User, *, now: datetime | None = None) -> str:
    """A new session for `user`; returns the secret to keep in the signed cookie."""
    now = now or utcnow()
    secret = secrets.token_urlsafe(SECRET_BYTES)
    s.add(WebSession(user_id=user.id, token_hash=_hash(secret), created_at=now, expires_at=now + LIFETIME))
    s.flush()
    return secret


def session_user(s: Session, secret: object, user_id: object, *, now: datetime | None = None) -> User | None:
    """The enabled user of a live session whose secret is `secret` and whose account is
    `user_id`; None for anything else (ended, expired, another account, disabled)."""
    if not isinstance(secret, str) or not secret or len(secret) > 2 * SECRET_BYTES:
        return None
    row = s.scalars(select(WebSession).where(WebSession.token_hash == _hash(secret))).first()
    if row is None or str(row.user_id) != str(user_id) or row.expires_at <= (now or utcnow()):
        return None
    user = s.get(User, row.user_id)
    return None if user is None or user.disabled else user


def end_session(s: Session, secret: object) -> None:
    """Sign this session out (nothing happens for an unknown secret)."""
    if isinstance(secret, str) and secret:
        s.execute(delete(WebSession).where(WebSession.token_hash == _hash(secret)))


def end_all_sessions(s: Session, user_id: int) -> int:
    """Sign an account out everywhere; returns how many sessions were ended."""
    result = s.execute(delete(WebSession).where(WebSession.user_id == user_id))
    return result.rowcount


def forget_expired(s: Session, *, now: datetime | None = None) -> int:
    """Delete the sessions past their expiry; returns how many."""
    result = s.execute(delete(WebSession).where(WebSession.expires_at <= (now or utcnow())))
    return result.rowcount
