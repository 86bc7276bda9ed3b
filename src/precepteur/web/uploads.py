"""Library uploads ingested in the background, with progress a page or a script can poll.

The upload request only saves the files (under `home/uploads/<job>/`, with a
MANIFEST naming the library and the files, written last) and starts a job; a
thread runs `LibraryService.add` (read + full-text index, then embeddings),
recording phase, done and total from its progress callback. Pages poll
`/library/jobs/<id>`, scripts `/api/libraries/<name>/jobs/<id>`. Finished jobs
are forgotten after KEEP_FINISHED_JOBS newer ones; the saved files are deleted
once ingested.

At shutdown (`stop`) a job stops at its next step and keeps its folder; at the
next start `resume` runs it again under the same id (files already indexed are
skipped by their SHA-256, embedding continues where it stopped), and deletes
what cannot be resumed: folders without a manifest (an upload cut short) and
jobs whose library was removed. A job never recreates a removed library.
While a job runs, its folder's LOCK_FILE is locked, so two processes sharing a
home never run the same job.

Constants: KEEP_FINISHED_JOBS, MAX_FILENAME_CHARS, SHUTDOWN_JOIN_SECONDS, MANIFEST, LOCK_FILE.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
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
SHUTDOWN_JOIN_SECONDS = 1.0
MANIFEST = "job.json"
LOCK_FILE = ".lock"
_UNSAFE = re.compile(r"[^\w.\- ()]+")
_JOB_ID = re.compile(r"^[\w-]{1,64}$")


def safe_filename(name: str) -> str:
    """A file name with no path and no odd characters (`../x.pdf` -> `x.pdf`)."""
    base = unicodedata.normalize("NFC", Path((name or "").replace("\\", "/")).name)
    base = _UNSAFE.sub("_", base).strip(" .")
    base = base[-MAX_FILENAME_CHARS:] or "document"
    return "_" + base if base in (MANIFEST, LOCK_FILE) else base


class JobStopped(Exception):
    """Raised from the progress callback to stop a job at its next step (shutdown)."""


@dataclass
class UploadJob:
    """What a progress bar needs: phase, done/total, and the outcome per file."""

    id: str
    library: str
    files: list[str]
    phase: str = "queued"  # queued | read | embed | done | error | stopped
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
        self._stopping = threading.Event()

    def save(self, library: str, files: list[tuple[str, object]], lang: str | None = None) -> UploadJob:
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
        _write_manifest(folder, {"library": library, "files": names, "lang": lang})
        self._remember(job)
        return job

    def _remember(self, job: UploadJob) -> None:
        with self._lock:
            self._jobs[job.id] = job
            self._forget_old()

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
        keep = False

        def progress(phase: str, done: int, total: int, item: str) -> None:
            if self._stopping.is_set():
                raise JobStopped()
            job.phase, job.done, job.total, job.item = phase, done, total, item

        try:
            with _job_lock(folder) as locked:
                if not locked:  # another process runs it
                    keep, job.phase = True, "queued"
                    return
                if self._stopping.is_set():
                    raise JobStopped()
                job.phase = "read"
                report = self.library.add(job.library, [folder / name for name in job.files],
                                          progress=progress, create=False)
                job.added, job.updated, job.unchanged = list(report.added), list(report.updated), list(report.unchanged)
                job.errors = [f"{Path(e.path).name}: {e.message}" for e in report.errors]
                job.phase = "done"
        except JobStopped:
            keep, job.phase = True, "stopped"
            log.info("upload stopped, to resume at the next start", extra={"job": job.id})
        except PrecepteurError as exc:
            job.message, job.phase = exc.message(lang), "error"
        except Exception as exc:  # a reader or the embedder crashed: say so, keep the server up
            log.exception("upload failed", extra={"job": job.id, "library": job.library})
            job.message, job.phase = f"{type(exc).__name__}: {exc}", "error"
        finally:
            if not keep:
                shutil.rmtree(folder, ignore_errors=True)
            with self._lock:
                self._threads.pop(job.id, None)

    def resume(self) -> list[UploadJob]:
        """Restart the jobs a previous run left unfinished; delete the folders that cannot be."""
        if not self.folder.is_dir():
            return []
        resumed = []
        for folder in sorted(p for p in self.folder.iterdir() if p.is_dir()):
            manifest = _read_manifest(folder)
            usable = (
                manifest is not None and _JOB_ID.match(folder.name)
                and self.library.exists(manifest["library"])
                and all((folder / name).is_file() for name in manifest["files"])
            )
            if not usable:
                with _job_lock(folder) as locked:
                    if locked:
                        shutil.rmtree(folder, ignore_errors=True)
                continue
            if folder.name in self._jobs:
                continue
            job = UploadJob(id=folder.name, library=manifest["library"], files=manifest["files"],
                            total=len(manifest["files"]))
            self._remember(job)
            self.start(job, manifest.get("lang"))
            resumed.append(job)
        if resumed:
            log.info("uploads resumed", extra={"count": len(resumed)})
        return resumed

    def _forget_old(self) -> None:
        finished = [job_id for job_id, job in self._jobs.items() if job.finished]
        for job_id in finished[: max(0, len(finished) - KEEP_FINISHED_JOBS)]:
            del self._jobs[job_id]

    def stop(self) -> None:
        """Ask every job to stop at its next step (returns at once)."""
        self._stopping.set()

    def shutdown(self, timeout: float = SHUTDOWN_JOIN_SECONDS) -> None:
        """Stop the jobs and wait a little; each document is written atomically, and a job
        still reading is resumed at the next start."""
        self.stop()
        with self._lock:
            threads = list(self._threads.values())
        for thread in threads:
            thread.join(timeout / max(1, len(threads)))


def _write_manifest(folder: Path, data: dict) -> None:
    """Write the manifest last and atomically: a folder without one was never complete."""
    temporary = folder / f".{MANIFEST}.tmp"
    temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, folder / MANIFEST)


def _read_manifest(folder: Path) -> dict | None:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("library"), str):
        return None
    files = data.get("files")
    if not isinstance(files, list) or not files or not all(
        isinstance(n, str) and n == safe_filename(n) for n in files
    ):
        return None
    return data


class _job_lock:
    """An exclusive, non-blocking lock on a job folder; `as` gives whether it was taken."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / LOCK_FILE
        self.handle = None

    def __enter__(self) -> bool:
        try:
            self.handle = open(self.path, "a")
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            if self.handle is not None:
                self.handle.close()
                self.handle = None
            return False

    def __exit__(self, *_exc) -> None:
        if self.handle is not None:
            self.handle.close()
