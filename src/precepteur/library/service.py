"""Teacher libraries: create, fill, search and remove, on the installation's backend.

On one PC each library is one SQLite index file; when the database is PostgreSQL,
every library lives in it (`pg_index.py`), so every web worker sees every library.

`LibraryService(settings)` is what the CLI, the tutor and the web app use. Adding runs
in two phases so a caller can answer questions early: reading + full-text indexing
(fast), then embedding (`embed_pending`, slower, resumable, can run in a background
thread). A file is identified in a library by its name (its path relative to the
folder that was added, or its file name); an unchanged file (same SHA-256) is skipped,
a changed one re-indexed alone, and a file that fails leaves the index as it was.

A document is refused with a clear message when its extracted text is longer
than MAX_DOCUMENT_CHARS or cuts into more than MAX_DOCUMENT_PASSAGES passages
(a textbook of 500 pages is about 1.5 million characters and 2,500 passages).
Embedding runs on the background embedder (`embeddings.background_embedder`),
one passage at a time in turn with every other library, so questions (on their
own embedder) and other teachers' uploads never wait behind a large document.

Constants: NAME_PATTERN, MAX_NAME_CHARS, MAX_QUERY_CHARS, EMBED_BATCH, CACHE_DIR,
MAX_DOCUMENT_CHARS, MAX_DOCUMENT_PASSAGES.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from ..config import Settings
from ..errors import InputError
from .background import background_similarity
from .embeddings import background_embedder, get_embedder, representation
from .errors import DocumentError, LibraryError
from .index import LibraryStore, SearchIndex
from .passages import split_passages
from .readers import check_file, file_sha256, is_supported, read_document
from .sqlite_index import SqliteLibraries
from .types import AddReport, DocumentInfo, FileError, LibraryInfo, Passage, SearchHit

MAX_NAME_CHARS = 64
NAME_PATTERN = re.compile(r"^[^\W][\w.-]{0,%d}$" % (MAX_NAME_CHARS - 1))
MAX_QUERY_CHARS = 2_000
EMBED_BATCH = 16
MAX_DOCUMENT_CHARS = 8_000_000
MAX_DOCUMENT_PASSAGES = 12_000
CACHE_DIR = "cache"  # under settings.home: vectors of the coverage background

Progress = Callable[[str, int, int, str], None]  # (phase "read"|"embed", done, total, item)


def _count(number: int) -> str:
    """A count with thin spaces between thousands (50 000 000), readable in French and English."""
    return f"{number:,}".replace(",", "\u202f")


def _walk(root: Path) -> Iterable[Path]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for file in sorted(files):
            if not file.startswith((".", "~$")):
                yield Path(folder) / file


def open_store(settings: Settings, database=None) -> LibraryStore:
    """PostgreSQL when the installation's database is PostgreSQL, else files in the home.

    A migrated `store.Database` may be given (the web app's, whose pool is then shared);
    otherwise one is opened and migrated here."""
    from ..store import Database, normalize_url

    if normalize_url(settings.database).get_backend_name() != "postgresql":
        return SqliteLibraries(settings.libraries_dir)
    from .pg_index import PgLibraries

    if database is None:
        database = Database(settings)
        database.migrate()
    return PgLibraries(database.engine)


class LibraryService:
    """Every operation on teacher libraries, for one installation's settings."""

    def __init__(self, settings: Settings, store: LibraryStore | None = None):
        self.settings = settings
        self._store = store
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    # -- names and indexes -------------------------------------------------
    @property
    def store(self) -> LibraryStore:
        """Where the libraries live (opened on first use: PostgreSQL connects only then)."""
        with self._guard:
            if self._store is None:
                self._store = open_store(self.settings)
            return self._store

    @staticmethod
    def _check(name: str) -> str:
        if not isinstance(name, str) or not NAME_PATTERN.match(name):
            raise LibraryError("library.error.bad_name", name=str(name)[:80], limit=MAX_NAME_CHARS)
        return name

    def exists(self, name: str) -> bool:
        return self.store.exists(self._check(name))

    def _index(self, name: str, create: bool = False) -> SearchIndex:
        index = self.store.open(self._check(name), create=create)
        with self._guard:
            self._locks.setdefault(name, threading.Lock())
        return index

    # -- libraries -----------------------------------------------------------
    def create(self, name: str, owner: str | None = None, restricted: bool = False) -> LibraryInfo:
        """A new empty library; refuses a name already taken."""
        if self.exists(name):
            raise LibraryError("library.error.exists", name=name)
        index = self._index(name, create=True)
        index.set_meta("owner", "" if owner is None else str(owner))
        index.set_meta("restricted", "1" if restricted else "0")
        return self.info(name)

    def info(self, name: str) -> LibraryInfo:
        index = self._index(name)
        documents, passages, embedded = index.counts()
        owner = index.get_meta("owner") or None
        return LibraryInfo(name=name, owner=owner, restricted=index.get_meta("restricted") == "1",
                           documents=documents, passages=passages, embedded=embedded,
                           created_at=index.get_meta("created_at", "") or "")

    def list(self) -> list[LibraryInfo]:
        """Every library of this installation, by name."""
        return [self.info(n) for n in self.store.names() if NAME_PATTERN.match(n)]

    def set_restricted(self, name: str, restricted: bool) -> None:
        """Restrict a library to its owner (and admins), or open it to every learner."""
        self._index(name).set_meta("restricted", "1" if restricted else "0")

    def visible_to(self, name: str, user_id: object, role: str | None, teacher_id: object = None) -> bool:
        """Whether a user may search this library: open to all, or restricted to its
        teacher-owner and her learners (and admins). The web layer enforces it."""
        return self.info(name).visible_to(user_id, role, teacher_id)

    def remove(self, name: str, document: str | None = None) -> None:
        """Delete a whole library, or one document of it."""
        index = self._index(name)
        if document is not None:
            if not index.remove_document(document):
                raise InputError("library.error.unknown_document", name=name, document=document)
            return
        self.store.drop(name)

    def documents(self, name: str) -> list[DocumentInfo]:
        return self._index(name).documents()

    def document_text(self, name: str, document: str) -> str:
        """The stored extracted text of a document (what spans and quotes refer to)."""
        text = self._index(name).document_text(document)
        if text is None:
            raise InputError("library.error.unknown_document", name=name, document=document)
        return text

    def passages(self, name: str) -> list[Passage]:
        """Every passage of a library, by document then reading order (spans into `document_text`)."""
        return self._index(name).passages()

    # -- adding --------------------------------------------------------------
    def _expand(self, paths: Iterable[str | Path], report: AddReport) -> list[tuple[Path, str]]:
        files: list[tuple[Path, str]] = []
        for raw in paths:
            path = Path(raw)
            if not path.exists():
                raise InputError("library.error.missing", path=str(raw))
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                for file in _walk(path):
                    if is_supported(file):
                        files.append((file, file.relative_to(path).as_posix()))
                    else:
                        report.skipped.append(str(file))
            else:
                files.append((path, path.name))
        return files

    def _ingest(self, index: SearchIndex, path: Path, document: str, report: AddReport) -> None:
        check_file(path, document)
        sha256 = file_sha256(path)
        previous = index.document_sha256(document)
        if previous == sha256:
            report.unchanged.append(document)
            return
        extracted = read_document(path, document)
        if len(extracted.text) > MAX_DOCUMENT_CHARS:
            raise DocumentError("library.error.too_much_text", name=document, chars=_count(len(extracted.text)),
                                limit=_count(MAX_DOCUMENT_CHARS))
        passages = split_passages(document, extracted, self.settings.language)
        if len(passages) > MAX_DOCUMENT_PASSAGES:
            raise DocumentError("library.error.too_many_passages", name=document, count=_count(len(passages)),
                                limit=_count(MAX_DOCUMENT_PASSAGES))
        index.replace_document(document, extracted.kind, sha256, str(path.resolve()), extracted.text, passages)
        (report.added if previous is None else report.updated).append(document)
        report.passages += len(passages)

    def add(self, name: str, paths: Iterable[str | Path], progress: Progress | None = None,
            embed: bool = True, create: bool = True) -> AddReport:
        """Add files or folders (recursively); per-file errors are collected, never fatal.

        A missing library is created (ownerless, open) unless `create` is False, when it
        is a LibraryError: a web job must never bring back a library removed meanwhile."""
        began = time.perf_counter()
        paths = list(paths)
        report = AddReport(library=name)
        files = self._expand(paths, report)
        self._check(name)
        if not self.exists(name):
            if not create:
                raise LibraryError("library.error.removed", name=name)
            self.create(name)
        index = self._index(name)
        with self._locks[name]:
            for done, (path, document) in enumerate(files, start=1):
                try:
                    self._ingest(index, path, document, report)
                except DocumentError as exc:
                    report.errors.append(FileError(str(path), str(exc)))
                except OSError as exc:
                    report.errors.append(FileError(str(path), str(DocumentError(
                        "library.error.unreadable", name=document, reason=exc.strerror or type(exc).__name__))))
                if progress:
                    progress("read", done, len(files), document)
        report.fts_seconds = time.perf_counter() - began
        if embed:
            report.embedded = self.embed_pending(name, progress)
        report.seconds = time.perf_counter() - began
        return report

    def embed_pending(self, name: str, progress: Progress | None = None) -> int:
        """Embed every passage still without a vector; returns how many were embedded."""
        index = self._index(name)
        _, passages, embedded = index.counts()
        total, done = passages - embedded, 0
        if total <= 0:
            return 0
        embedder = background_embedder(self.settings.effective_threads())
        with self._locks[name]:
            while batch := index.pending(EMBED_BATCH):
                vectors = embedder.passages([representation(text, heading) for _, text, heading in batch])
                index.store_vectors([pid for pid, _, _ in batch], vectors)
                done += len(batch)
                if progress:
                    progress("embed", min(done, total), total, "")
        return done

    # -- searching -----------------------------------------------------------
    def search(self, name: str, query: str, k: int = 5) -> list[SearchHit]:
        """The `k` best passages for a question, best first."""
        query = (query or "").strip()
        if not query:
            raise InputError("library.error.empty_query")
        index = self._index(name)

        embedder, vectors = None, []

        def embed_query(text: str):
            nonlocal embedder
            embedder = get_embedder(self.settings.effective_threads())
            vectors.append(embedder.query(text))
            return vectors[-1]

        hits = index.search(query[:MAX_QUERY_CHARS], max(1, int(k)), embed_query)
        if vectors:
            background = background_similarity(embedder, vectors[-1], self.settings.home / CACHE_DIR)
            for hit in hits:
                hit.background = background
        return hits
