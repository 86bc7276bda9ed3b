"""Typed dependency shortcuts for routes: the services, a database session, who is asking.

- `SessionDep`: one session per request, committed when the route returns
  (before the response is sent, so no write lock outlives the route).
- `OptionalUser`: the person behind a bearer token or the session cookie, or None.
  A bearer token that is unknown or revoked is a 401, never an anonymous request.
  A cookie counts only while its server-side session lives (`gate.sessions`).
- `CurrentUser`: the same, required; a cookie-authenticated POST/PUT/DELETE must
  also carry the session's CSRF token (form field or `X-CSRF-Token` header).
- `ApiUser`: bearer tokens only (the OpenAI-compatible `/v1`).
- `AdminUser`, `TeacherUser`: role checks (a teacher's pages are open to admins).
- `PageLang`: the page language, remembering `?lang=` in the session and the account.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from ..gate.access import ADMIN, TEACHER
from ..gate.accounts import user_for_token
from ..gate.sessions import session_user
from ..store.models import User
from .errors import SignInRequired, WebError
from .i18n import LANG_SESSION_KEY, explicit_lang, request_lang
from .security import SAFE_METHODS, csrf_matches, supplied_csrf
from .services import Services

USER_SESSION_KEY = "user_id"
SESSION_SECRET_KEY = "sid"
BEARER_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def get_services(request: Request) -> Services:
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_session(services: ServicesDep) -> Iterator[Session]:
    with services.db.session() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer ...` header, or None without one."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip()


def _user_from_token(request: Request, s: Session, token: str) -> User:
    if not token:
        raise WebError(401, "web.error.token_missing", headers=BEARER_CHALLENGE)
    user = user_for_token(s, token)
    # user_for_token may note `last_used_at`: commit now so no write lock is held meanwhile.
    s.commit()
    if user is None:
        raise WebError(401, "web.error.token_invalid", headers=BEARER_CHALLENGE)
    request.state.auth = "bearer"
    return user


def optional_user(request: Request, s: SessionDep) -> User | None:
    """Who is asking: bearer token first, then the session cookie; None when nobody."""
    token = bearer_token(request)
    if token is not None:
        return _user_from_token(request, s, token)
    user_id = request.session.get(USER_SESSION_KEY)
    if user_id is None:
        return None
    user = session_user(s, request.session.get(SESSION_SECRET_KEY), user_id)
    # End the read now: a connection held while the request waits for its next
    # worker thread is one the writer may be waiting for (see transactions.py).
    s.commit()
    if user is None:  # signed out elsewhere, password changed, disabled, expired
        request.session.pop(USER_SESSION_KEY, None)
        request.session.pop(SESSION_SECRET_KEY, None)
        return None
    request.state.auth = "session"
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]


async def verify_csrf(request: Request) -> None:
    """Refuse a cookie-authenticated change that does not carry the session's CSRF token."""
    if request.method in SAFE_METHODS or getattr(request.state, "auth", None) == "bearer":
        return
    if not csrf_matches(request, await supplied_csrf(request)):
        raise WebError(403, "web.error.csrf")


async def current_user(request: Request, user: OptionalUser) -> User:
    """The signed-in person (CSRF-checked for changes), or 401 / a redirect to sign in."""
    if user is None:
        raise SignInRequired()
    await verify_csrf(request)
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def api_user(request: Request, s: SessionDep) -> User:
    """The owner of the bearer token; 401 with a JSON error without a valid one."""
    token = bearer_token(request)
    if token is None:
        raise WebError(401, "web.error.token_missing", headers=BEARER_CHALLENGE)
    return _user_from_token(request, s, token)


ApiUser = Annotated[User, Depends(api_user)]


def _require(*roles: str):
    def check(user: CurrentUser) -> User:
        if user.role not in roles:
            raise WebError(403, "web.error.forbidden")
        return user

    return check


AdminUser = Annotated[User, Depends(_require(ADMIN))]
TeacherUser = Annotated[User, Depends(_require(TEACHER, ADMIN))]


def page_lang(request: Request, user: OptionalUser) -> str:
    """The page language; an explicit `?lang=` is remembered in the session and the account."""
    asked = explicit_lang(request)
    if asked:
        request.session[LANG_SESSION_KEY] = asked
        if user is not None and user.lang != asked:
            user.lang = asked
        return asked
    if LANG_SESSION_KEY not in request.session and user is not None and user.lang:
        request.session[LANG_SESSION_KEY] = user.lang
    return request_lang(request)


PageLang = Annotated[str, Depends(page_lang)]
