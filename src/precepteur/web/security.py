"""Secrets of the web app: the session signing key and per-session CSRF tokens.

The signing key comes from `settings.secret_key`; when unset, a random key is
generated once and kept in `home/secret_key` (mode 0600) so sessions survive a
restart. Every signed-in session carries a CSRF token: forms send it in a hidden
`csrf_token` field, JavaScript in the `X-CSRF-Token` header (CSRF_HEADER).
Requests authenticated with a bearer token need no CSRF token.
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

from starlette.requests import Request

from ..config import Settings

SECRET_KEY_FILE = "secret_key"
SECRET_KEY_BYTES = 32
CSRF_SESSION_KEY = "csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def load_secret_key(settings: Settings) -> str:
    """The key that signs session cookies: configured, else read or created in `home`."""
    if settings.secret_key:
        return settings.secret_key
    path = Path(settings.ensure_home()) / SECRET_KEY_FILE
    if path.exists():
        key = path.read_text(encoding="utf-8").strip()
        if key:
            return key
    key = secrets.token_urlsafe(SECRET_KEY_BYTES)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    os.chmod(path, 0o600)
    return key


def csrf_token(request: Request) -> str:
    """This session's CSRF token, created on first use."""
    token = request.session.get(CSRF_SESSION_KEY)
    if not token:
        token = secrets.token_urlsafe(SECRET_KEY_BYTES)
        request.session[CSRF_SESSION_KEY] = token
    return token


def csrf_matches(request: Request, supplied: str | None) -> bool:
    """Whether `supplied` is this session's CSRF token (constant-time comparison)."""
    expected = request.session.get(CSRF_SESSION_KEY)
    if not expected or not supplied:
        return False
    return hmac.compare_digest(str(expected), str(supplied))


async def supplied_csrf(request: Request) -> str | None:
    """The CSRF token the request carries: header first, else the form field."""
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None
