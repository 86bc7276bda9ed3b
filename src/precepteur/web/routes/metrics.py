"""Prometheus metrics: requests, latency, queue length, answers and tokens per second.

Off by default (404): metrics tell who uses the service when, so an operator
opts in by setting PRECEPTEUR_METRICS_TOKEN, and the scraper sends it as a
bearer token (`authorization: {type: Bearer, credentials: ...}` in Prometheus).
"""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from ..deps import BEARER_CHALLENGE, ServicesDep, bearer_token
from ..errors import WebError
from ..schemas import ErrorOut
from ..transactions import CommitRoute

router = APIRouter(route_class=CommitRoute, tags=["operations"])


@router.get("/metrics", response_class=Response,
            responses={200: {"content": {"text/plain": {}}}, 401: {"model": ErrorOut}, 404: {"model": ErrorOut}})
def metrics(request: Request, services: ServicesDep):
    """The app's metrics in Prometheus text format (needs the metrics bearer token)."""
    expected = services.settings.metrics_token
    if not expected:
        raise WebError(404, "web.error.metrics_off")
    supplied = bearer_token(request) or ""
    if not hmac.compare_digest(supplied.encode("utf-8"), expected.encode("utf-8")):
        raise WebError(401, "web.error.metrics_token", headers=BEARER_CHALLENGE)
    services.metrics.queue_length.set(services.gate.waiting_count())
    return Response(generate_latest(services.metrics.registry), media_type=CONTENT_TYPE_LATEST)
