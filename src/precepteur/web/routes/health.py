"""Liveness for load balancers and operators: is the database reachable, which model answers."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from ..deps import ServicesDep
from ..schemas import Health
from ..transactions import CommitRoute

router = APIRouter(route_class=CommitRoute, tags=["operations"])
log = logging.getLogger("precepteur.web")


@router.get("/healthz", response_model=Health, responses={503: {"model": Health}})
def healthz(request: Request, services: ServicesDep):
    """200 when the database answers, 503 (same body) when it does not."""
    try:
        with services.db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        database = True
    except Exception:
        log.exception("health check: database unreachable")
        database = False
    body = Health(
        status="ok" if database else "degraded",
        database=database,
        model=services.model.model_id,
        queue=services.admission.length,
        version=request.app.version,
        library=services.library.store.backend,
        vectors=services.library.store.vector_search,
    )
    return JSONResponse(body.model_dump(), status_code=200 if database else 503)

