"""Library uploads ingested in the background, with progress a page can poll.

The upload request only saves the files (under `home/uploads/<job>/`) and
starts a job; a thread runs `LibraryService.add` (read + full-text index, then
embeddings), recording phase, done and total from its progress callback. The
page polls `/library/jobs/<id>` as JSON. Finished jobs are forgotten after
KEEP_FINISHED_JOBS newer ones; the saved files are deleted once ingested.
"""

from __future__ import annotations

import logging
import re
import secrets
import shutil
import threading
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import PrecepteurError

log = logging.getLogger("precepteur.web.uploads")

KEEP_FINISHED_JOBS = 50
MAX_FILENAME_CHARS = 120
SHUTDOWN_JOIN_SECONDS = 5.0
_UNSAFE = re.compile(r"[^\w.\- ()]+")


def safe_filename(name: str) -> str:
    """A file name with no path and no odd characters (`../x.pdf` -> `x.pdf`)."""
    base = unicodedata.normalize("NFC", Path((name or "").replace("\\", "/")).name)
    base = _UNSAFE.sub("_", base).strip(" .")
    return base[-MAX_FILENAME_CHARS:] or "document"


@dataclass
class UploadJob:
    """What a progress bar needs: phase, done/total, and the outcome per file."""

    id: str
    library: str
    files: list[str]
    phase: str = "queued"  # queued | read | embed | done | error
    done: int = 0
    total: int = 0
    item: str = ""
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    message: str = ""

    @property
    def finished(self) -> bool:
        return self.phase in ("done", "error")

    def to_dict(self) -> dict:
        data = asdict(self)
        data["finished"] = self.finished
        return data


class UploadJobs:
    """The background ingestion jobs of one app."""

    def __init__(self, library_service, folder: Path) -> None:
        self.library = library_service
        self.folder = Path(folder)
        self._jobs: dict[str, UploadJob] = {}
        self._threads: dict[str, threading.Thread] = {}
        self._lock = threading.Lock()

    def save(self, library: str, files: list[tuple[str, object]]) -> UploadJob:
        """Save uploaded (name, binary file) pairs for a new job; returns the job, not started."""
        job_id = secrets.token_urlsafe(8)
        folder = self.folder / job_id
        folder.mkdir(parents=True, exist_ok=True)
        names: list[str] = []
        for raw_name, handle in files:
            name = safe_filename(raw_name)
            while name in names:
                name = f"_{name}"
            with open(folder / name, "wb") as out:
                shutil.copyfileobj(handle, out)
            names.append(name)
        job = UploadJob(id=job_id, library=library, files=names, total=len(names))
        with self._lock:
            self._jobs[job_id] = job
            self._forget_old()
        return job

    def start(self, job: UploadJob, lang: str | None = None) -> None:
        """Ingest the job's files in a background thread."""
        thread = threading.Thread(target=self._run, args=(job, lang), name=f"upload-{job.id}", daemon=True)
        with self._lock:
            self._threads[job.id] = thread
        thread.start()

    def get(self, job_id: str) -> UploadJob | None:
        return self._jobs.get(job_id)

    def _run(self, job: UploadJob, lang: str | None) -> None:
        folder = self.folder / job.id

        def progress(phase: str, done: int, total: int, item: str) -> None:
            job.phase, job.done, job.total, job.item = phase, done, total, item

        try:
            job.phase = "read"
            report = self.library.add(job.library, [folder / name for name in job.files], progress=progress)
            job.added, job.updated, job.unchanged = list(report.added), list(report.updated), list(report.unchanged)
            job.errors = [f"{Path(e.path).name}: {e.message}" for e in report.errors]
            job.phase = "done"
        except PrecepteurError as exc:
            job.message, job.phase = exc.message(lang), "error"
        except Exception as exc:  # a reader or the embedder crashed: say so, keep the server up
            log.exception("upload failed", extra={"job": job.id, "library": job.library})
            job.message, job.phase = f"{type(exc).__name__}: {exc}", "error"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            with self._lock:
                self._threads.pop(job.id, None)

    def _forget_old(self) -> None:
        finished = [job_id for job_id, job in self._jobs.items() if job.finished]
        for job_id in finished[: max(0, len(finished) - KEEP_FINISHED_JOBS)]:
            del self._jobs[job_id]

    def shutdown(self, timeout: float = SHUTDOWN_JOIN_SECONDS) -> None:
        """Wait a little for running ingestions (each document is written atomically)."""
        with self._lock:
            threads = list(self._threads.values())
        for thread in threads:
            thread.join(timeout / max(1, len(threads)))
