"""Request transactions end in the thread that wrote them.

FastAPI runs a plain `def` route in a worker thread, then validates its return
value in *another* worker thread, and only then closes the request's session
(the `SessionDep` teardown). On SQLite the one-writer lock is taken by the
route's first INSERT/UPDATE and given back at commit, so between the route and
its teardown the lock was held by a request that waited for a free worker
thread, while every worker thread was busy waiting for the lock: 45 requests
at once stalled for the full lock timeout (issue 10, defect 1).

`CommitRoute` is the route class of every router: it wraps a synchronous
endpoint so that the request's sessions are committed (or rolled back when it
raises) before the worker thread is given back. The teardown still commits
whatever a later step changes, but no write lock ever waits for a thread.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute
from sqlalchemy.orm import Session


def _sessions(arguments: dict[str, Any]) -> list[Session]:
    return [value for value in arguments.values() if isinstance(value, Session)]


def commit_in_thread(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """`endpoint`, committing its sessions before returning (rolling back when it raises)."""
    if inspect.iscoroutinefunction(endpoint) or getattr(endpoint, "__commits_in_thread__", False):
        return endpoint

    @functools.wraps(endpoint)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            result = endpoint(*args, **kwargs)
        except BaseException:
            for session in _sessions(kwargs):
                session.rollback()
            raise
        for session in _sessions(kwargs):
            session.commit()
        return result

    run.__commits_in_thread__ = True  # type: ignore[attr-defined]
    return run


class CommitRoute(APIRoute):
    """An APIRoute whose synchronous endpoint commits its sessions in its own thread."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, commit_in_thread(endpoint), **kwargs)
