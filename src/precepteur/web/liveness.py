"""This process as a worker: registered at start, beating while it serves, forgotten at a clean stop.

`WorkerLease.open()` registers the worker and sweeps: the unfinished answers of
workers that died (`kill -9`, power cut) are marked interrupted before the first
request. While the app serves, a daemon thread beats every HEARTBEAT_SECONDS
and sweeps again, so on a shared PostgreSQL a worker that dies on another host
is noticed within `store.workers.DEAD_AFTER`. `close()` stops the thread and
removes the worker (its answers were saved as stopped by then).

Constants: HEARTBEAT_SECONDS.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading

from ..store import workers
from ..store.runtime_models import HOST_CHARS

log = logging.getLogger("precepteur.web.liveness")

HEARTBEAT_SECONDS = 10.0


class WorkerLease:
    """One registered worker and its heartbeat thread."""

    def __init__(self, db, *, interval: float = HEARTBEAT_SECONDS) -> None:
        self.db = db
        self.id = secrets.token_hex(workers.WORKER_ID_BYTES)
        self.host = socket.gethostname()[:HOST_CHARS]
        self.pid = os.getpid()
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def open(self) -> int:
        """Register and sweep once; returns how many dead workers' answers were marked."""
        with self.db.session() as s:
            workers.register(s, self.id, self.host, self.pid)
        with self.db.session() as s:
            return workers.sweep(s, self.id, self.host)

    def start(self) -> None:
        """Beat and sweep in the background until `close()`."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._beat, name="worker-heartbeat", daemon=True)
            self._thread.start()

    def _beat(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                with self.db.session() as s:
                    workers.heartbeat(s, self.id, self.host, self.pid)
                with self.db.session() as s:
                    marked = workers.sweep(s, self.id, self.host)
                if marked:
                    log.warning("answers of a dead worker marked interrupted", extra={"count": marked})
            except Exception:  # a busy or unreachable database: try again at the next beat
                log.exception("heartbeat failed")

    def close(self) -> None:
        """Stop beating and remove this worker."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(self.interval)
        try:
            with self.db.session() as s:
                workers.unregister(s, self.id)
        except Exception:
            log.exception("could not unregister the worker")
