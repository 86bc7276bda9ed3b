"""Rendering a page: the template plus what every page needs (language, person, CSRF token)."""

from __future__ import annotations

from functools import partial

from fastapi import Request
from fastapi.responses import HTMLResponse

from ..gate.access import ADMIN, TEACHER
from ..i18n import LANGUAGES, t
from .security import CSRF_FIELD, csrf_token


def nav_items(user) -> list[tuple[str, str]]:
    """(path, catalogue key) of the navigation links this person may follow."""
    if user is None:
        return [("/model", "web.nav.model")]
    items = [("/chat", "web.nav.chat"), ("/practice", "learning.nav.practice"), ("/progress", "learning.nav.progress"),
             ("/arena", "web.nav.arena"), ("/model", "web.nav.model")]
    if user.role in (TEACHER, ADMIN):
        items.append(("/classes", "learning.nav.classes"))
        items.append(("/library", "web.nav.library"))
        items.append(("/safety", "web.nav.safety"))
    if user.role == ADMIN:
        items.append(("/admin", "web.nav.admin"))
    return items


def render(
    request: Request, template: str, *, lang: str, user=None, status_code: int = 200,
    headers: dict[str, str] | None = None, **context,
) -> HTMLResponse:
    """The page `template` in `lang` for `user`."""
    templates = request.app.state.services.templates
    base = {
        "lang": lang,
        "other_langs": [code for code in LANGUAGES if code != lang],
        "user": user,
        "tr": partial(t, lang=lang),
        "csrf_field": CSRF_FIELD,
        "csrf_token": csrf_token(request),
        "path": request.url.path,
        "nav": nav_items(user),
    }
    return templates.TemplateResponse(request, template, base | context, status_code=status_code, headers=headers)
