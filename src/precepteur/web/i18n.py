"""Which language a request is answered in: French by default, English on request.

Order: an explicit `?lang=` (remembered in the session), the session, the
signed-in person's preference (copied into the session at sign-in), then
`settings.language`. The browser's Accept-Language is deliberately ignored:
the product speaks French unless someone asks otherwise.
"""

from __future__ import annotations

from starlette.requests import HTTPConnection

from ..i18n import LANGUAGES, normalize_language

LANG_SESSION_KEY = "lang"
LANG_QUERY = "lang"


def explicit_lang(request: HTTPConnection) -> str | None:
    """The language asked for with `?lang=`, when it is one we speak."""
    value = request.query_params.get(LANG_QUERY)
    if value and value.strip().lower()[:2] in LANGUAGES:
        return normalize_language(value)
    return None


def request_lang(request: HTTPConnection) -> str:
    """The language to answer this request in."""
    asked = explicit_lang(request)
    if asked:
        return asked
    session = request.scope.get("session") or {}
    if session.get(LANG_SESSION_KEY) in LANGUAGES:
        return session[LANG_SESSION_KEY]
    services = getattr(request.app.state, "services", None)
    return normalize_language(services.settings.language if services else None)
