"""Signing in and out: the sign-in page (cookie session) and its JSON twin under /api/session.

A wrong name or password gets the same message, on the page and as a 401 from
the API, so neither tells which names exist. Signing in renews the CSRF token
and opens a server-side session (`gate.sessions`); signing out ends it, so a
copy of the cookie stops working. Wrong passwords slow further tries down
(`gate.throttle`): a throttled try is a 429 with Retry-After and a message
saying how long to wait, checked before the password. A browser in which an
account has signed in is remembered as trusted for it (TRUSTED_SESSION_KEY:
salted hashes of at most MAX_TRUSTED names, so a shared computer's cookie does
not list who used it), and failures elsewhere never keep its owner out.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from ...gate.accounts import authenticate
from ...gate.bootstrap import first_start_message
from ...gate.sessions import end_session, open_session
from ...i18n import t
from ..deps import (
    SESSION_SECRET_KEY,
    USER_SESSION_KEY,
    CurrentUser,
    OptionalUser,
    PageLang,
    ServicesDep,
    SessionDep,
    verify_csrf,
)
from ..errors import WebError
from ..i18n import LANG_SESSION_KEY, request_lang
from ..render import render
from ..schemas import ErrorOut, Me, SignIn, UserOut
from ..security import CSRF_SESSION_KEY, csrf_token
from ..transactions import CommitRoute

router = APIRouter(route_class=CommitRoute, tags=["auth"], include_in_schema=False)
api_router = APIRouter(route_class=CommitRoute, prefix="/api", tags=["auth"])

ERRORS = {401: {"model": ErrorOut}}
SIGNIN_ERRORS = {401: {"model": ErrorOut}, 429: {"model": ErrorOut, "description": "Too many tries; see Retry-After."}}
TRUSTED_SESSION_KEY = "trusted"
MAX_TRUSTED = 30


class Throttled(Exception):
    """This sign-in must wait `seconds` before its password is checked."""

    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def safe_next(target: str | None) -> str:
    """Only local paths are followed after sign-in (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/chat"


def _client(request: Request) -> str:
    return request.client.host if request.client else "?"


def _trust_mark(request: Request, name: str) -> str:
    """A salted hash of an account name, for this browser's list of trusted accounts."""
    trust = request.session.setdefault(TRUSTED_SESSION_KEY, {"salt": secrets.token_hex(8), "names": []})
    return hashlib.sha256(f"{trust['salt']}:{(name or '').strip().lower()}".encode()).hexdigest()[:16]


def _device(request: Request, name: str) -> str | None:
    """This browser's id when `name` has signed in here before (then it is trusted for her)."""
    trust = request.session.get(TRUSTED_SESSION_KEY)
    if isinstance(trust, dict) and _trust_mark(request, name) in trust.get("names", []):
        return trust["salt"]
    return None


def _trust(request: Request, name: str) -> None:
    mark = _trust_mark(request, name)
    trust = request.session[TRUSTED_SESSION_KEY]
    names = [n for n in trust.get("names", []) if n != mark]
    request.session[TRUSTED_SESSION_KEY] = {"salt": trust["salt"], "names": (names + [mark])[-MAX_TRUSTED:]}


def _attempt(request: Request, s, services, name: str, password: str):
    """The user when name and password are right; None when wrong; Throttled when too soon."""
    device = _device(request, name)
    client = _client(request)
    wait = services.throttle.wait(name, client, device=device)
    if wait:
        raise Throttled(wait)
    user = authenticate(s, name, password)
    if user is None:
        services.throttle.failed(name, client, device=device)
        return None
    services.throttle.succeeded(name, client, device=device)
    return user


def _sign_in(request: Request, s, user) -> None:
    end_session(s, request.session.get(SESSION_SECRET_KEY))
    request.session.pop(CSRF_SESSION_KEY, None)
    request.session[USER_SESSION_KEY] = user.id
    request.session[SESSION_SECRET_KEY] = open_session(s, user)
    request.session.setdefault(LANG_SESSION_KEY, user.lang or "fr")
    _trust(request, user.name)


def _sign_out(request: Request, s) -> None:
    end_session(s, request.session.get(SESSION_SECRET_KEY))
    keep = {k: request.session[k] for k in (LANG_SESSION_KEY, TRUSTED_SESSION_KEY) if k in request.session}
    request.session.clear()
    request.session.update(keep)


def _throttled_message(request: Request, seconds: int) -> str:
    return t("signin.throttled", request_lang(request), seconds=seconds)


@router.get("/signin")
def signin_page(request: Request, lang: PageLang, user: OptionalUser, services: ServicesDep, next: str = "/chat"):
    """The sign-in form (and first-start help while no account exists)."""
    if user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(
        request, "signin.html", lang=lang, next=safe_next(next), error=None, name="",
        first_start=first_start_message(services.db, lang),
    )


@router.post("/signin", dependencies=[Depends(verify_csrf)])
def signin(
    request: Request,
    lang: PageLang,
    s: SessionDep,
    services: ServicesDep,
    name: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/chat",
):
    """Check the name and password; on success open the session and go on."""
    try:
        user = _attempt(request, s, services, name, password)
    except Throttled as exc:
        return render(
            request, "signin.html", lang=lang, status_code=429, headers={"Retry-After": str(exc.seconds)},
            next=safe_next(next), error=_throttled_message(request, exc.seconds), name=name,
            first_start=None,
        )
    if user is None:
        return render(
            request, "signin.html", lang=lang, status_code=401, next=safe_next(next),
            error="web.signin.failed", name=name,
            first_start=first_start_message(services.db, lang),
        )
    _sign_in(request, s, user)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/signout")
def signout(request: Request, user: CurrentUser, s: SessionDep):
    """Close the session (on the server too: a copy of the cookie no longer works)."""
    _sign_out(request, s)
    return RedirectResponse("/signin", status_code=303)


def me_payload(request: Request, user) -> Me:
    token = csrf_token(request) if getattr(request.state, "auth", None) == "session" else None
    return Me(**UserOut.model_validate(user).model_dump(), csrf_token=token)


@api_router.post("/session", response_model=Me, responses=SIGNIN_ERRORS)
def api_signin(body: SignIn, request: Request, s: SessionDep, services: ServicesDep):
    """Sign in with a name and password; sets the session cookie and returns the CSRF token."""
    try:
        user = _attempt(request, s, services, body.name, body.password)
    except Throttled as exc:
        raise WebError(429, "signin.throttled", headers={"Retry-After": str(exc.seconds)},
                       seconds=exc.seconds) from None
    if user is None:
        raise WebError(401, "web.signin.failed")
    _sign_in(request, s, user)
    request.state.auth = "session"
    return me_payload(request, user)


@api_router.delete("/session", status_code=204, responses=ERRORS)
def api_signout(request: Request, user: CurrentUser, s: SessionDep):
    """Sign out (needs the X-CSRF-Token header); the session ends on the server too."""
    _sign_out(request, s)


@api_router.get("/me", response_model=Me, responses=ERRORS)
def me(request: Request, user: CurrentUser):
    """Who you are; with a cookie session, also the CSRF token for changes."""
    return me_payload(request, user)
