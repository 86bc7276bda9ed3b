"""Prometheus metrics: requests, latency, queue length, answers and tokens per second."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from ..deps import ServicesDep

router = APIRouter(tags=["operations"])


@router.get("/metrics", response_class=Response, responses={200: {"content": {"text/plain": {}}}})
def metrics(services: ServicesDep):
    """The app's metrics in Prometheus text format."""
    services.metrics.queue_length.set(services.admission.length)
    return Response(generate_latest(services.metrics.registry), media_type=CONTENT_TYPE_LATEST)
