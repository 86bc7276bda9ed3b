"""Generation jobs: a run of `generate.Generator` written to the database as it goes.

`run_job(db, library_service, model, job_id)` runs one job in the calling thread (the
CLI does this): accepted items are stored one by one (draft, or approved when the
library's auto-approval is on), the job's cursor, counts and statistics after every
unit, so a stopped run is resumed from where it was. `ItemJobs` runs jobs in one
background thread, one at a time (the model has one worker anyway), with cancel
and resume, so a web request only ever starts, polls or cancels a job.

Constants: SHUTDOWN_JOIN_SECONDS.
"""

from __future__ import annotations

import logging
import queue
import threading

from ...errors import InputError, PrecepteurError
from ...i18n import t
from ...store.curriculum import library_settings, topic_settings
from ...store.item_jobs import RESUMABLE, JobInfo, create_job, get_job, update_job
from ...store.items import add_item, known_items
from ..topics import library_topics
from .checks import KnownItem
from .generate import GenerationRequest, Generator, Progress, Stats

log = logging.getLogger("precepteur.items")

SHUTDOWN_JOIN_SECONDS = 10.0


def new_job(db, request: GenerationRequest, user_id: int | None = None) -> JobInfo:
    """Record a generation request as a queued job."""
    with db.session() as s:
        return create_job(s, request.library, request.to_dict(), request.count, user_id)


def _final(progress: Progress, request: GenerationRequest, lang: str) -> tuple[str, str]:
    if progress.state == "cancelled":
        return "cancelled", t("items.job.cancelled", lang, accepted=progress.accepted, wanted=request.count)
    if progress.accepted >= request.count:
        return "done", t("items.job.done", lang, accepted=progress.accepted, candidates=progress.candidates)
    key = "items.job.budget" if progress.state == "budget" else "items.job.exhausted"
    return "done", t(key, lang, accepted=progress.accepted, wanted=request.count, candidates=progress.candidates)


def run_job(db, library_service, model, job_id: int, *, cancel: threading.Event | None = None,
            on_progress=None, lang: str = "fr") -> JobInfo:
    """Run (or resume) job `job_id` to its end; returns the job as stored at the end."""
    with db.session() as s:
        job = get_job(s, job_id)
        if job is None:
            raise InputError("items.error.unknown_job", job=job_id)
        request = GenerationRequest.from_dict(job.params)
        settings = topic_settings(s, request.library)
        teaching = library_settings(s, request.library)
        known = [KnownItem(*row) for row in known_items(s, request.library)]
        update_job(s, job_id, state="running", message="")
    status = "approved" if teaching.auto_approve else "draft"

    def accept(item):
        with db.session() as s:
            return add_item(s, item.copy(status=status), user_id=job.created_by, action="generate", job_id=job_id)

    def progress(p: Progress) -> None:
        with db.session() as s:
            update_job(s, job_id, accepted=p.accepted, candidates=p.candidates, cursor=p.cursor,
                       stats=p.stats.to_dict() | {"units": p.units})
        if on_progress is not None:
            on_progress(p)

    try:
        topics = library_topics(library_service, request.library, settings)
        generator = Generator(model, request, topics, known=known, on_accept=accept, on_progress=progress,
                              document_text=lambda name: library_service.document_text(request.library, name),
                              cancel=cancel)
        result = generator.run(job.cursor, Stats.from_dict(job.stats))
        state, message = _final(result, request, lang)
    except PrecepteurError as exc:
        state, message = "error", exc.message(lang)
    except Exception as exc:  # keep the job honest about a crash; the server stays up
        log.exception("generation failed", extra={"job": job_id})
        state, message = "error", f"{type(exc).__name__}: {exc}"
    with db.session() as s:
        return update_job(s, job_id, state=state, message=message)


class ItemJobs:
    """The background generation jobs of one app: one worker thread, a queue, cancel and resume."""

    def __init__(self, db, library_service, model, lang: str = "fr"):
        self.db, self.library, self.model, self.lang = db, library_service, model, lang
        self._queue: queue.Queue[int | None] = queue.Queue()
        self._cancels: dict[int, threading.Event] = {}
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None

    def _ensure_worker(self) -> None:
        with self._lock:
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._run, name="item-jobs", daemon=True)
                self._worker.start()

    def _run(self) -> None:
        while True:
            job_id = self._queue.get()
            if job_id is None:
                return
            cancel = self._cancels.setdefault(job_id, threading.Event())
            if cancel.is_set():
                continue
            try:
                run_job(self.db, self.library, self.model, job_id, cancel=cancel, lang=self.lang)
            finally:
                with self._lock:
                    self._cancels.pop(job_id, None)

    def start(self, request: GenerationRequest, user_id: int | None = None) -> JobInfo:
        """Queue a new job; returns it (state "queued")."""
        job = new_job(self.db, request, user_id)
        self._enqueue(job.id)
        return job

    def _enqueue(self, job_id: int) -> None:
        with self._lock:
            self._cancels[job_id] = threading.Event()
        self._ensure_worker()
        self._queue.put(job_id)

    def resume(self, job_id: int) -> JobInfo | None:
        """Queue a cancelled, interrupted or failed job again, from where it stopped."""
        with self.db.session() as s:
            job = get_job(s, job_id)
            if job is None or job.state not in RESUMABLE:
                return job
            job = update_job(s, job_id, state="queued", message="")
        self._enqueue(job_id)
        return job

    def cancel(self, job_id: int) -> JobInfo | None:
        """Stop a queued or running job at the next unit; it keeps what it accepted."""
        with self._lock:
            event = self._cancels.get(job_id)
        with self.db.session() as s:
            job = get_job(s, job_id)
            if job is None or job.finished:
                return job
            if event is not None:
                event.set()
            if job.state == "queued":
                job = update_job(s, job_id, state="cancelled",
                                 message=t("items.job.cancelled", self.lang, accepted=job.accepted, wanted=job.wanted))
        return job

    def shutdown(self, timeout: float = SHUTDOWN_JOIN_SECONDS) -> None:
        """Cancel every job and stop the worker (a running job stops after its current unit)."""
        with self._lock:
            events = list(self._cancels.values())
            worker = self._worker
        for event in events:
            event.set()
        self._queue.put(None)
        if worker is not None:
            worker.join(timeout)


__all__ = ["ItemJobs", "new_job", "run_job"]
