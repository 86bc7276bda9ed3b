"""Administration: accounts and API tokens, as a page and as JSON (admins only).

A created token is shown once, in the response to its creation, and is never
stored in clear; revoking is immediate. Setting a password, disabling an account
and "sign out everywhere" end the account's sign-in sessions at once. Page actions redirect back to /admin
with a notice so a reload does not repeat them, except token creation, whose
page must show the token.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from ...errors import InputError
from ...gate.accounts import (
    create_token,
    create_user,
    get_user,
    list_tokens,
    list_users,
    revoke_token,
    set_disabled,
    set_password,
)
from ...gate.sessions import end_all_sessions
from ...i18n import t
from ...store.models import ApiToken, User
from ..deps import AdminUser, PageLang, SessionDep
from ..errors import WebError
from ..render import render
from ..schemas import (
    ErrorOut,
    DisabledSet,
    PasswordSet,
    RecordId,
    TokenCreate,
    TokenCreated,
    TokenOut,
    UserCreate,
    UserOut,
)
from ..transactions import CommitRoute

router = APIRouter(route_class=CommitRoute, prefix="/admin", tags=["admin"], include_in_schema=False)
api_router = APIRouter(route_class=CommitRoute, prefix="/api", tags=["admin"])

ERRORS = {401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 422: {"model": ErrorOut}}
NOTICES = ("user_created", "password_set", "token_revoked", "signed_out", "disabled", "enabled")


def _user_or_404(s, user_id: int) -> User:
    user = s.get(User, user_id)
    if user is None:
        raise WebError(404, "web.error.user_not_found")
    return user


def _token_owner(s, admin: User, name: str | None) -> User:
    if not name:
        return admin
    owner = get_user(s, name)
    if owner is None:
        raise WebError(422, "web.error.user_unknown", name=name)
    return owner


def _admin_page(request: Request, lang: str, admin: User, s, *, status_code=200, error=None, new_token=None):
    notice = request.query_params.get("done")
    users = list_users(s)
    return render(
        request, "admin.html", lang=lang, user=admin, status_code=status_code,
        users=users, names={u.id: u.name for u in users},
        teachers=[u for u in users if u.role == "teacher"],
        tokens=list_tokens(s), error=error, new_token=new_token,
        notice=notice if notice in NOTICES else None,
    )


@router.get("")
def admin_page(request: Request, lang: PageLang, admin: AdminUser, s: SessionDep):
    """Accounts and tokens."""
    return _admin_page(request, lang, admin, s)


@router.post("/users")
def admin_create_user(
    request: Request, lang: PageLang, admin: AdminUser, s: SessionDep,
    name: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=20)] = "learner",
    password: Annotated[str, Form(max_length=1024)] = "",
    level: Annotated[str, Form(max_length=100)] = "",
    teacher: Annotated[str, Form(max_length=200)] = "",
    user_lang: Annotated[str, Form(max_length=8)] = "fr",
):
    """Create an account."""
    try:
        create_user(
            s, name, role, level=level or None, password=password or None,
            teacher=teacher or None, lang=user_lang,
        )
    except InputError as exc:
        s.rollback()
        return _admin_page(request, lang, admin, s, status_code=422, error=exc.message(lang))
    return RedirectResponse("/admin?done=user_created", status_code=303)


@router.post("/users/{user_id}/password")
def admin_set_password(
    user_id: RecordId, request: Request, lang: PageLang, admin: AdminUser, s: SessionDep,
    password: Annotated[str, Form(max_length=1024)] = "",
):
    """Set someone's password."""
    try:
        set_password(s, _user_or_404(s, user_id), password)
    except InputError as exc:
        s.rollback()
        return _admin_page(request, lang, admin, s, status_code=422, error=exc.message(lang))
    return RedirectResponse("/admin?done=password_set", status_code=303)


@router.post("/users/{user_id}/signout")
def admin_sign_out_everywhere(user_id: RecordId, admin: AdminUser, s: SessionDep):
    """End every sign-in session of an account."""
    end_all_sessions(s, _user_or_404(s, user_id).id)
    return RedirectResponse("/admin?done=signed_out", status_code=303)


@router.post("/users/{user_id}/{action}")
def admin_set_disabled(user_id: RecordId, action: Literal["disable", "enable"], admin: AdminUser, s: SessionDep):
    """Disable an account (its sessions end at once) or enable it again."""
    target = _user_or_404(s, user_id)
    if target.id == admin.id:
        raise WebError(422, "web.error.disable_self")
    set_disabled(s, target, action == "disable")
    return RedirectResponse(f"/admin?done={action}d", status_code=303)


@router.post("/tokens")
def admin_create_token(
    request: Request, lang: PageLang, admin: AdminUser, s: SessionDep,
    owner: Annotated[str, Form(max_length=200)] = "",
    name: Annotated[str, Form(max_length=200)] = "",
):
    """Create a token and show it, this once."""
    try:
        _token, plaintext = create_token(s, _token_owner(s, admin, owner), name)
    except InputError as exc:
        s.rollback()
        return _admin_page(request, lang, admin, s, status_code=422, error=exc.message(lang))
    except WebError as exc:
        return _admin_page(request, lang, admin, s, status_code=422, error=t(exc.key, lang, **exc.params))
    return _admin_page(request, lang, admin, s, new_token=plaintext)


@router.post("/tokens/{token_id}/revoke")
def admin_revoke_token(token_id: RecordId, admin: AdminUser, s: SessionDep):
    """Revoke a token."""
    try:
        revoke_token(s, token_id)
    except InputError as exc:
        raise WebError(404, "web.error.token_not_found") from exc
    return RedirectResponse("/admin?done=token_revoked", status_code=303)


@api_router.get("/users", response_model=list[UserOut], responses=ERRORS)
def api_list_users(admin: AdminUser, s: SessionDep):
    """Every account."""
    return list_users(s)


@api_router.post("/users", status_code=201, response_model=UserOut, responses=ERRORS)
def api_create_user(body: UserCreate, admin: AdminUser, s: SessionDep):
    """Create an account (a learner may name her teacher)."""
    return create_user(
        s, body.name, body.role, level=body.level, password=body.password, teacher=body.teacher, lang=body.lang
    )


@api_router.put("/users/{user_id}/password", status_code=204, responses={**ERRORS, 404: {"model": ErrorOut}})
def api_set_password(user_id: RecordId, body: PasswordSet, admin: AdminUser, s: SessionDep):
    """Set someone's password."""
    set_password(s, _user_or_404(s, user_id), body.password)


@api_router.delete("/users/{user_id}/sessions", status_code=204, responses={**ERRORS, 404: {"model": ErrorOut}})
def api_sign_out_everywhere(user_id: RecordId, admin: AdminUser, s: SessionDep):
    """Sign someone out everywhere: every browser session of the account ends now."""
    end_all_sessions(s, _user_or_404(s, user_id).id)


@api_router.put("/users/{user_id}/disabled", status_code=204, responses={**ERRORS, 404: {"model": ErrorOut}})
def api_set_disabled(user_id: RecordId, body: DisabledSet, admin: AdminUser, s: SessionDep):
    """Disable an account (its sessions end, its tokens stop working) or enable it again."""
    target = _user_or_404(s, user_id)
    if target.id == admin.id:
        raise WebError(422, "web.error.disable_self")
    set_disabled(s, target, body.disabled)


@api_router.get("/tokens", response_model=list[TokenOut], responses=ERRORS)
def api_list_tokens(admin: AdminUser, s: SessionDep):
    """Every token (never the secret itself)."""
    return list_tokens(s)


@api_router.post("/tokens", status_code=201, response_model=TokenCreated, responses=ERRORS)
def api_create_token(body: TokenCreate, admin: AdminUser, s: SessionDep):
    """Create a token for someone (default: yourself); the secret is in this answer only."""
    token, plaintext = create_token(s, _token_owner(s, admin, body.user), body.name)
    return TokenCreated(**TokenOut.model_validate(token).model_dump(), token=plaintext)


@api_router.delete("/tokens/{token_id}", status_code=204, responses={**ERRORS, 404: {"model": ErrorOut}})
def api_revoke_token(token_id: RecordId, admin: AdminUser, s: SessionDep):
    """Revoke a token for good."""
    if s.get(ApiToken, token_id) is None:
        raise WebError(404, "web.error.token_not_found")
    revoke_token(s, token_id)
