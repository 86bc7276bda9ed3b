"""How the web app says no: one JSON error shape for machines, a page for people.

Every refusal under `/api/` and `/v1/` is `{"error": {"code", "type", "message"}}`
(the shape the OpenAI clients read), with a translated message; pages get a
readable error page, and a page that needs a signed-in person redirects to the
sign-in form instead of answering 401. A busy database (writer lock, a lock held
by another process, no free pooled connection) is a 503 with Retry-After
(BUSY_RETRY_SECONDS), never a 400 or a 500.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import InputError, ModelError, PrecepteurError
from ..i18n import t
from ..store._sqlite import WRITE_WAIT_S, StoreBusy
from .i18n import request_lang
from .render import render

log = logging.getLogger("precepteur.web")

BUSY_RETRY_SECONDS = 2
# What the drivers say when the database is momentarily unable to take a write.
BUSY_MARKERS = ("database is locked", "database table is locked", "too many connections",
                "could not serialize access", "deadlock detected", "lock timeout")
JSON_PREFIXES = ("/api/", "/v1/", "/healthz", "/metrics", "/openapi.json")
# A status without its own message falls back to this key.
STATUS_KEYS = {
    400: "web.error.bad_request",
    401: "web.error.unauthorized",
    403: "web.error.forbidden",
    404: "web.error.not_found",
    405: "web.error.method_not_allowed",
    413: "web.error.too_large",
    415: "web.error.bad_request",
    422: "web.error.invalid",
    503: "web.error.unavailable",
}
STATUS_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
    422: "invalid_request", 429: "rate_limited", 500: "internal_error", 503: "unavailable",
}


class WebError(Exception):
    """A refusal with a status, a catalogue key and optional headers (Retry-After...)."""

    def __init__(self, status: int, key: str, *, headers: dict[str, str] | None = None, **params: object):
        self.status = status
        self.key = key
        self.params = params
        self.headers = headers or {}
        super().__init__(key)


class SignInRequired(WebError):
    """No signed-in person (pages redirect to the sign-in form, the API answers 401)."""

    def __init__(self) -> None:
        super().__init__(401, "web.error.unauthorized", headers={"WWW-Authenticate": "Bearer"})


def wants_json(request: Request) -> bool:
    """Machines (API paths, or clients that accept JSON but not HTML) get JSON errors."""
    if request.url.path.startswith(JSON_PREFIXES):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def error_response(
    request: Request, status: int, message: str, *, headers: dict[str, str] | None = None, details=None
) -> Response:
    """A JSON error or an error page saying `message`."""
    code = STATUS_CODES.get(status, "error")
    if wants_json(request):
        body: dict = {"error": {"code": code, "type": code, "message": message}}
        if details is not None:
            body["error"]["details"] = details
        return JSONResponse(body, status_code=status, headers=headers)
    return render(
        request, "error.html", lang=request_lang(request), status_code=status, headers=headers,
        status=status, message=message,
    )


def _clean_details(errors) -> list[dict]:
    return [
        {
            "loc": [str(part) for part in err.get("loc", ())],
            "msg": str(err.get("msg", "")),
            "type": str(err.get("type", "")),
        }
        for err in errors
    ]


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn every refusal into the shapes above."""

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> Response:
        if wants_json(request):
            return error_response(request, 401, t(exc.key, request_lang(request)), headers=exc.headers)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/signin?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(WebError)
    async def _web_error(request: Request, exc: WebError) -> Response:
        message = t(exc.key, request_lang(request), **exc.params)
        return error_response(request, exc.status, message, headers=exc.headers)

    @app.exception_handler(InputError)
    async def _input_error(request: Request, exc: InputError) -> Response:
        status = 413 if exc.key == "input.question_too_long" else 422
        return error_response(request, status, exc.message(request_lang(request)))

    @app.exception_handler(ModelError)
    async def _model_error(request: Request, exc: ModelError) -> Response:
        return error_response(request, 503, exc.message(request_lang(request)))

    def _busy(request: Request) -> Response:
        message = t("store.busy", request_lang(request), seconds=int(WRITE_WAIT_S))
        return error_response(request, 503, message, headers={"Retry-After": str(BUSY_RETRY_SECONDS)})

    @app.exception_handler(StoreBusy)
    async def _store_busy(request: Request, exc: StoreBusy) -> Response:
        return _busy(request)

    @app.exception_handler(PoolTimeout)
    async def _pool_timeout(request: Request, exc: PoolTimeout) -> Response:
        log.warning("no free database connection", extra={"path": request.url.path})
        return _busy(request)

    @app.exception_handler(OperationalError)
    async def _operational(request: Request, exc: OperationalError) -> Response:
        if any(marker in str(exc.orig).lower() for marker in BUSY_MARKERS):
            return _busy(request)
        log.exception("database error", extra={"path": request.url.path})
        return error_response(request, 503, t("web.error.unavailable", request_lang(request)),
                              headers={"Retry-After": str(BUSY_RETRY_SECONDS)})

    @app.exception_handler(PrecepteurError)
    async def _precepteur_error(request: Request, exc: PrecepteurError) -> Response:
        return error_response(request, 400, exc.message(request_lang(request)))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        details = _clean_details(exc.errors())
        key = "web.error.malformed_json" if any(d["type"] == "json_invalid" for d in details) else "web.error.invalid"
        return error_response(request, 422, t(key, request_lang(request)), details=details)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        lang = request_lang(request)
        key = STATUS_KEYS.get(exc.status_code)
        message = t(key, lang) if key else str(exc.detail)
        return error_response(request, exc.status_code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error", extra={"path": request.url.path})
        return error_response(request, 500, t("web.error.internal", request_lang(request)))
