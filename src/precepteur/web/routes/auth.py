"""Signing in and out: the sign-in page (cookie session) and its JSON twin under /api/session.

A wrong name or password gets the same message, on the page and as a 401 from
the API, so neither tells which names exist. Signing in renews the CSRF token.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from ...gate.accounts import authenticate
from ...gate.bootstrap import first_start_message
from ..deps import USER_SESSION_KEY, CurrentUser, OptionalUser, PageLang, ServicesDep, SessionDep, verify_csrf
from ..errors import WebError
from ..i18n import LANG_SESSION_KEY
from ..render import render
from ..schemas import ErrorOut, Me, SignIn, UserOut
from ..security import CSRF_SESSION_KEY, csrf_token

router = APIRouter(tags=["auth"], include_in_schema=False)
api_router = APIRouter(prefix="/api", tags=["auth"])

ERRORS = {401: {"model": ErrorOut}}


def safe_next(target: str | None) -> str:
    """Only local paths are followed after sign-in (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/chat"


def _sign_in(request: Request, user) -> None:
    request.session.pop(CSRF_SESSION_KEY, None)
    request.session[USER_SESSION_KEY] = user.id
    request.session.setdefault(LANG_SESSION_KEY, user.lang or "fr")


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
    user = authenticate(s, name, password)
    if user is None:
        return render(
            request, "signin.html", lang=lang, status_code=401, next=safe_next(next),
            error="web.signin.failed", name=name,
            first_start=first_start_message(services.db, lang),
        )
    _sign_in(request, user)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/signout")
async def signout(request: Request, user: CurrentUser):
    """Close the session."""
    lang = request.session.get(LANG_SESSION_KEY)
    request.session.clear()
    if lang:
        request.session[LANG_SESSION_KEY] = lang
    return RedirectResponse("/signin", status_code=303)


def me_payload(request: Request, user) -> Me:
    token = csrf_token(request) if getattr(request.state, "auth", None) == "session" else None
    return Me(**UserOut.model_validate(user).model_dump(), csrf_token=token)


@api_router.post("/session", response_model=Me, responses=ERRORS)
def api_signin(body: SignIn, request: Request, s: SessionDep):
    """Sign in with a name and password; sets the session cookie and returns the CSRF token."""
    user = authenticate(s, body.name, body.password)
    if user is None:
        raise WebError(401, "web.signin.failed")
    _sign_in(request, user)
    request.state.auth = "session"
    return me_payload(request, user)


@api_router.delete("/session", status_code=204, responses=ERRORS)
async def api_signout(request: Request, user: CurrentUser):
    """Sign out (needs the X-CSRF-Token header)."""
    request.session.clear()


@api_router.get("/me", response_model=Me, responses=ERRORS)
def me(request: Request, user: CurrentUser):
    """Who you are; with a cookie session, also the CSRF token for changes."""
    return me_payload(request, user)
