"""Answers that are never lost: the tutor runs in a worker thread that saves as it streams.

The route stores the learner's question and an empty assistant message before
generation starts; `AnswerRunner.start` then runs `Tutor.stream` in a thread
that forwards each event to the waiting response and writes the text so far
with its own database session every FLUSH_EVERY_CHUNKS chunks or
FLUSH_EVERY_SECONDS seconds. When the browser goes away or the server stops,
`AnswerJob.stop(reason)` sets the cancel event and what was streamed is kept
with `complete=False` and `error` saying why (`store.workers.CANCELLED` or
`STOPPED`); a stream stopped by a shutdown ends with an `error` event
`web.answer.stopped` so the page can tell the learner to ask again. The final
save also releases the answer's ownership (`store.workers.release`), retrying
SAVE_ATTEMPTS times when the database is busy.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from starlette.types import Receive

from ..errors import PrecepteurError
from ..store import workers
from ..store._sqlite import StoreBusy
from ..store.conversations import update_message
from ..store.flags import record_flag
from ..tutor.types import TutorRequest, TutorResult
from .admission import Admission
from .errors import WebError
from .telemetry import Metrics

log = logging.getLogger("precepteur.web.answers")

FLUSH_EVERY_CHUNKS = 20
FLUSH_EVERY_SECONDS = 1.0
SHUTDOWN_JOIN_SECONDS = 2.0
SAVE_ATTEMPTS = 3
STOPPED_RETRY_SECONDS = 10
_END = {"type": "end"}


@dataclass
class AnswerJob:
    """One answer being generated: its events, its text so far and its outcome."""

    id: int
    request: TutorRequest
    message_id: int | None
    loop: asyncio.AbstractEventLoop
    tutor: object | None = None  # None: the runner's own tutor
    cancel: threading.Event = field(default_factory=threading.Event)
    finished: threading.Event = field(default_factory=threading.Event)
    parts: list[str] = field(default_factory=list)
    skills: list = field(default_factory=list)
    result: TutorResult | None = None
    error: PrecepteurError | None = None
    saved: bool = False
    reason: str | None = None  # why it was stopped: workers.CANCELLED or workers.STOPPED
    lock: threading.Lock = field(default_factory=threading.Lock)
    queue: asyncio.Queue = field(default_factory=asyncio.Queue)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def stop(self, reason: str) -> None:
        """Stop generating; the first reason given is the one recorded."""
        with self.lock:
            if self.reason is None:
                self.reason = reason
        self.cancel.set()

    def emit(self, event: dict) -> None:
        """Hand an event to the response waiting in the event loop (if it still runs)."""
        try:
            self.loop.call_soon_threadsafe(self.queue.put_nowait, event)
        except RuntimeError:  # the loop is closed: nobody is listening any more
            pass

    async def events(self) -> AsyncIterator[dict]:
        """The tutor's events as they come, then an `error` event if generation failed."""
        while True:
            event = await self.queue.get()
            if event is _END:
                return
            yield event

    async def wait(self) -> TutorResult | None:
        """Wait for the end of generation; the result, or None when it failed."""
        async for _event in self.events():
            pass
        return self.result

    async def wait_for(self, receive: Receive) -> TutorResult | None:
        """Like `wait`, but a client that leaves first cancels the generation.

        `receive` is the request's ASGI receive, whose body was already read: its
        next message is `http.disconnect`, when the client goes away.
        """
        answer = asyncio.ensure_future(self.wait())
        departure = asyncio.ensure_future(_departure(receive))
        try:
            await asyncio.wait({answer, departure}, return_when=asyncio.FIRST_COMPLETED)
            if not answer.done():
                self.stop(workers.CANCELLED)
            return await answer
        finally:
            departure.cancel()


async def whole_answer(job: AnswerJob, receive: Receive) -> TutorResult:
    """The finished answer of a request that does not stream; 503 when it failed, or when the
    server stopped it (Retry-After: the service is back in a few seconds)."""
    result = await job.wait_for(receive)
    if job.reason == workers.STOPPED:
        raise WebError(503, "web.answer.stopped", headers={"Retry-After": str(STOPPED_RETRY_SECONDS)})
    if result is None:
        if job.error is not None:
            raise WebError(503, job.error.key, **job.error.params)
        raise WebError(503, "web.error.answer_failed", error="?")
    return result


async def _departure(receive: Receive) -> None:
    """Return when the client has disconnected."""
    while (await receive())["type"] != "http.disconnect":
        pass


class AnswerRunner:
    """Starts answer threads, saves their text while they stream, stops them at shutdown."""

    def __init__(
        self,
        db,
        tutor,
        admission: Admission,
        metrics: Metrics,
        *,
        flush_chunks: int = FLUSH_EVERY_CHUNKS,
        flush_seconds: float = FLUSH_EVERY_SECONDS,
    ) -> None:
        self.db = db
        self.tutor = tutor
        self.admission = admission
        self.metrics = metrics
        self.flush_chunks = flush_chunks
        self.flush_seconds = flush_seconds
        self._ids = itertools.count(1)
        self._jobs: dict[int, tuple[AnswerJob, threading.Thread]] = {}
        self._lock = threading.Lock()

    @property
    def active(self) -> int:
        return len(self._jobs)

    def start(self, request: TutorRequest, *, message_id: int | None, tutor=None) -> AnswerJob:
        """Run the tutor (default: the runner's) on `request` in a thread; the caller already
        holds an admission place."""
        job = AnswerJob(id=next(self._ids), request=request, message_id=message_id,
                        loop=asyncio.get_running_loop(), tutor=tutor)
        thread = threading.Thread(target=self._run, args=(job,), name=f"answer-{job.id}", daemon=True)
        with self._lock:
            self._jobs[job.id] = (job, thread)
        thread.start()
        return job

    def _run(self, job: AnswerJob) -> None:
        started = time.monotonic()
        last_flush, pending = started, 0
        try:
            for event in (job.tutor or self.tutor).stream(job.request, job.cancel):
                kind = event.get("type")
                if kind == "delta":
                    job.parts.append(event["text"])
                    pending += 1
                elif kind == "replace":
                    job.parts[:] = [event["text"]]
                    pending += 1
                elif kind == "skill":
                    job.skills.append(event["skill"])
                elif kind == "done":
                    job.result = event["result"]
                job.emit(event)
                now = time.monotonic()
                if pending and (pending >= self.flush_chunks or now - last_flush >= self.flush_seconds):
                    self._flush(job)
                    last_flush, pending = now, 0
        except PrecepteurError as exc:
            job.error = exc
            log.warning("answer failed", extra={"job": job.id, "error": exc.key})
        except Exception as exc:  # the model or pipeline broke: keep the text, report honestly
            job.error = PrecepteurError("web.error.answer_failed", error=type(exc).__name__)
            log.exception("answer crashed", extra={"job": job.id})
        finally:
            self._finish(job)
            self.admission.leave(time.monotonic() - started)
            with self._lock:
                self._jobs.pop(job.id, None)
            job.finished.set()
            if job.error is not None:
                job.emit({"type": "error", "error": job.error})
            elif job.reason == workers.STOPPED:
                job.emit({"type": "error", "error": PrecepteurError("web.answer.stopped")})
            job.emit(_END)

    def _flush(self, job: AnswerJob) -> None:
        """Write the text so far (still incomplete)."""
        if job.message_id is None:
            return
        try:
            with self.db.session() as s:
                update_message(s, job.message_id, content=job.text, complete=False)
        except Exception:  # a busy database must not stop the answer; the final save retries
            log.exception("partial save failed", extra={"message_id": job.message_id})

    def _finish(self, job: AnswerJob) -> None:
        """Save the final state once: complete only if the tutor finished and nobody cancelled."""
        with job.lock:
            if job.saved:
                return
            job.saved = True
        result = job.result
        complete = (
            result is not None and not result.incomplete and not result.error
            and job.error is None and not job.cancel.is_set()
        )
        outcome = "complete" if complete else ("error" if job.error or (result and result.error) else "incomplete")
        if result is not None:
            self.metrics.record_answer(outcome, result.completion_tokens, result.prompt_tokens, result.seconds)
        else:
            self.metrics.record_answer(outcome, 0, 0, 0.0)
        if result is not None:
            self._flag(job, result)
        if job.message_id is None:
            return
        fields: dict = {"content": result.answer if result is not None else job.text, "complete": complete}
        if result is not None:
            fields["citations"] = [c.to_dict() for c in result.citations]
            fields["skills"] = [skill_dict(s) for s in result.skills]
            fields["declined"] = result.declined
            if result.error:
                fields["error"] = result.error
        elif job.skills:
            fields["skills"] = [skill_dict(s) for s in job.skills]
        if job.error is not None:
            fields["error"] = job.error.key
        elif not complete and "error" not in fields and job.cancel.is_set():
            fields["error"] = job.reason or workers.CANCELLED
        for attempt in range(1, SAVE_ATTEMPTS + 1):
            try:
                with self.db.session() as s:
                    update_message(s, job.message_id, **fields)
                    workers.release(s, job.message_id)
                return
            except StoreBusy:
                log.warning("final save waited for a busy database", extra={"attempt": attempt})
            except Exception:
                log.exception("final save failed", extra={"message_id": job.message_id})
                return

    def stop_all(self, reason: str = workers.STOPPED) -> int:
        """Tell every answer in flight to stop now (returns at once); how many there were."""
        with self._lock:
            jobs = [job for job, _thread in self._jobs.values()]
        for job in jobs:
            job.stop(reason)
        return len(jobs)

    def _flag(self, job: AnswerJob, result: TutorResult) -> None:
        """Tell the learner's teacher when the guard flagged the message (category and time only)."""
        verdict = result.guard
        if verdict is None or not getattr(verdict, "flag", False) or job.request.user_id is None:
            return
        try:
            with self.db.session() as s:
                record_flag(s, job.request.user_id, verdict.category or "?", verdict.layer, job.message_id)
                s.commit()
        except Exception:  # a lost flag must not lose the answer; the log says so
            log.exception("guard flag not saved", extra={"message_id": job.message_id})

    def shutdown(self, timeout: float = SHUTDOWN_JOIN_SECONDS) -> None:
        """Stop every answer in flight; each keeps what it streamed, marked incomplete."""
        with self._lock:
            jobs = list(self._jobs.values())
        for job, _thread in jobs:
            job.stop(workers.STOPPED)
        deadline = time.monotonic() + timeout
        for job, thread in jobs:
            thread.join(max(0.0, deadline - time.monotonic()))
            if thread.is_alive():  # a model that ignores cancel: save from here
                self._finish(job)
        if jobs:
            log.info("answers stopped at shutdown", extra={"count": len(jobs)})


def skill_dict(skill) -> dict:
    """A verified fact as stored and sent to pages: name, result and its sentence."""
    payload = {"name": skill.name, "result": skill.result, "statement": getattr(skill, "statement", "")}
    if getattr(skill, "detail", ""):
        payload["detail"] = skill.detail  # a program-aided fact's program ("voir le calcul")
    return payload
