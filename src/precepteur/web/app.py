"""The web application factory: `create_app(settings)` builds everything, nothing happens at import.

It opens and migrates the database, registers this process as a worker (marking
the answers of dead workers interrupted), loads the model (unless one is given),
builds the tutor, the library service, the metrics registry, the admission
limit and the answer runner, then mounts the routes. On shutdown, answers still
streaming are stopped and saved with what they had (`complete=False`,
`error="stopped"`), and the worker is removed.

Request body limits live in `limits.py` (checked by a middleware before anything
is parsed); SESSION_MAX_AGE_SECONDS bounds the signed session cookie.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from ..config import Settings
from ..llm import get_model
from ..store import Database
from ..tutor import Tutor
from .admission import Admission
from .answers import AnswerRunner
from .errors import install_error_handlers
from .limits import BodyLimitMiddleware
from .liveness import WorkerLease
from .overload import LoadShedding
from .routes import (
    admin, arena, arena_pages, auth, chat, classes, conversations, health, item_pages, items, library, library_api,
    metrics, models, openai, pages, practice, practice_pages, safety, safety_pages,
)
from .security import load_secret_key
from .services import STATIC_DIR, Services, build_templates
from .telemetry import AccessMiddleware, Metrics
from .textclean import CleanTextMiddleware
from .uploads import UploadJobs

log = logging.getLogger("precepteur.web")

SESSION_COOKIE = "precepteur_session"
SESSION_MAX_AGE_SECONDS = 14 * 24 * 3600
ROUTERS = (
    pages.router, auth.router, auth.api_router, chat.router, conversations.router,
    models.router, models.api_router, admin.router, admin.api_router,
    library.router, library.api_router, library_api.router, openai.router, health.router, metrics.router,
    safety.router, safety_pages.router, items.router, item_pages.router, practice.router, classes.router,
    practice_pages.router, arena.router, arena.page_json, arena_pages.router,
)


def build_services(settings: Settings, *, model=None, tutor=None, library_service=None) -> Services:
    """Open the database and build the model, tutor and helpers of one app."""
    settings.ensure_home()
    db = Database(settings)
    db.migrate()
    lease = WorkerLease(db)
    interrupted = lease.open()
    if interrupted:
        log.warning("answers interrupted by a previous stop", extra={"count": interrupted})
    if tutor is not None:
        model = tutor.model
    if model is None:
        model = get_model(settings.model, settings)
    if library_service is None:
        from ..library.service import LibraryService, open_store

        library_service = LibraryService(settings, store=open_store(settings, db))
    if tutor is None:
        tutor = Tutor(settings, model, library_service)
    metrics_ = Metrics()
    admission = Admission(settings.max_queue, metrics_)
    from ..learning.items.jobs import ItemJobs
    from ..store.item_jobs import interrupt_running

    with db.session() as s:
        stale = interrupt_running(s)
    if stale:
        log.warning("generation jobs interrupted by a previous stop", extra={"count": stale})
    return Services(
        settings=settings,
        db=db,
        model=model,
        tutor=tutor,
        library=library_service,
        metrics=metrics_,
        admission=admission,
        answers=AnswerRunner(db, tutor, admission, metrics_),
        uploads=UploadJobs(library_service, settings.home / "uploads"),
        templates=build_templates(),
        items=ItemJobs(db, library_service, model, settings.language),
        lease=lease,
    )


def create_app(settings: Settings, *, model=None, tutor=None, library_service=None) -> FastAPI:
    """The whole web app (pages, JSON API, OpenAI-compatible API, health, metrics)."""
    services = build_services(settings, model=model, tutor=tutor, library_service=library_service)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        log.info("started", extra={"model": services.model.model_id, "database": repr(services.db),
                                   "vectors": services.library.store.vector_search})
        services.lease.start()
        services.uploads.resume()
        try:
            yield
        finally:
            services.answers.shutdown()
            services.uploads.shutdown()
            services.items.shutdown()
            services.lease.close()
            services.db.dispose()
            log.info("stopped")

    app = FastAPI(
        title="Précepteur",
        version=_version(),
        summary="Open, learner-centred tutor: pages, a JSON API and an OpenAI-compatible API.",
        lifespan=lifespan,
        # The interactive docs load their scripts from a CDN, which an offline school has not.
        docs_url=None,
        redoc_url=None,
    )
    app.state.services = services
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    # Last added is outermost: access log > session > load shedding > body limit (their error
    # pages need the session) > text cleaning (reads only bodies the limit let through).
    app.add_middleware(CleanTextMiddleware)
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(LoadShedding, limit=settings.max_in_flight, metrics=services.metrics)
    app.add_middleware(
        SessionMiddleware,
        secret_key=load_secret_key(settings),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE_SECONDS,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(AccessMiddleware, metrics=services.metrics)
    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("precepteur")
    except PackageNotFoundError:
        return "0"
