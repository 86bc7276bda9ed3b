"""SQLite backend of `SearchIndex`: one file per library, FTS5 plus float32 vector blobs.

The French analysis runs in Python (`analysis.py`) and the FTS5 table, with the plain
`unicode61` tokenizer, stores the analysed stems of each passage's body and heading
path; questions go through the same analysis, each word also stemmed as English, and
an English question is expanded with French course terms (`glossary.py`) for both the
full-text and the dense query.
Vectors live as float32 blobs in the passages table and are loaded once into a numpy
matrix, reloaded when the `generation` counter changes (bumped by every write).
WAL mode lets a background thread embed while questions are answered.
Only `SqliteIndex(path, create=True)` may create the file: every later connection
opens it read-write without creating it, so a library removed while a job still
indexes it fails that job with a clear `library.error.removed` instead of coming
back as an empty library with no owner (issue 10, defect 7).

Candidate counts and the heading weight are shared with every backend (`hybrid.py`).

Constants: SCHEMA_VERSION, INDEX_SUFFIX, BUSY_TIMEOUT_S.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing, contextmanager
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from .analysis import for_index
from .embeddings import DIMENSIONS
from .errors import LibraryError
from .hybrid import HEADING_WEIGHT, LEXICAL_CANDIDATES, Row, dense_candidates, prepare, rank, terms_of
from .index import LibraryStore, QueryEmbedder, SearchIndex
from .ranking import FusionWeights
from .types import DocumentInfo, Passage, SearchHit

SCHEMA_VERSION = "1"
INDEX_SUFFIX = ".sqlite3"
BUSY_TIMEOUT_S = 30.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, sha256 TEXT NOT NULL,
    source_path TEXT NOT NULL, chars INTEGER NOT NULL, added_at TEXT NOT NULL, text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL, start_char INTEGER NOT NULL, end_char INTEGER NOT NULL,
    heading TEXT NOT NULL, locator TEXT NOT NULL, text TEXT NOT NULL, page INTEGER, vector BLOB);
CREATE INDEX IF NOT EXISTS passages_document ON passages(document_id);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(body, heading, tokenize='unicode61');
"""

_MATRICES: dict[str, tuple[str, np.ndarray, np.ndarray]] = {}
_MATRICES_LOCK = threading.Lock()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class SqliteIndex(SearchIndex):
    """One library stored in one SQLite file."""

    def __init__(self, path: Path, weights: FusionWeights | None = None, create: bool = False):
        self.path = Path(path)
        self.weights = weights or FusionWeights()
        if create:
            sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S).close()
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
            db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
            db.execute("INSERT OR IGNORE INTO meta VALUES ('created_at', ?)", (_now(),))
            db.execute("INSERT OR IGNORE INTO meta VALUES ('generation', '0')")

    def _open(self) -> sqlite3.Connection:
        """A connection to the existing file; LibraryError when it was removed."""
        try:
            return sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_S)
        except sqlite3.OperationalError as exc:
            if not self.path.exists():
                raise LibraryError("library.error.removed", name=self.path.stem) from exc
            raise

    @contextmanager
    def _connect(self):
        db = self._open()
        try:
            db.execute("PRAGMA foreign_keys=ON")
            with db:
                yield db
        finally:
            db.close()

    @staticmethod
    def _bump(db: sqlite3.Connection) -> None:
        db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        with self._connect() as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self._connect() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def document_sha256(self, name: str) -> str | None:
        with self._connect() as db:
            row = db.execute("SELECT sha256 FROM documents WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def _delete(self, db: sqlite3.Connection, name: str) -> bool:
        row = db.execute("SELECT id FROM documents WHERE name = ?", (name,)).fetchone()
        if not row:
            return False
        db.execute("DELETE FROM passages_fts WHERE rowid IN (SELECT id FROM passages WHERE document_id = ?)", row)
        db.execute("DELETE FROM passages WHERE document_id = ?", row)
        db.execute("DELETE FROM documents WHERE id = ?", row)
        return True

    def replace_document(self, name, kind, sha256, source_path, text, passages: list[Passage]) -> None:
        rows = [(for_index(p.text), for_index(p.heading)) for p in passages]
        with self._connect() as db:
            self._delete(db, name)
            cursor = db.execute(
                "INSERT INTO documents (name, kind, sha256, source_path, chars, added_at, text) VALUES (?,?,?,?,?,?,?)",
                (name, kind, sha256, source_path, len(text), _now(), text),
            )
            document_id = cursor.lastrowid
            for passage, (body, heading) in zip(passages, rows):
                cursor = db.execute(
                    "INSERT INTO passages (document_id, ordinal, start_char, end_char, heading, locator, text, page)"
                    " VALUES (?,?,?,?,?,?,?,?)",
                    (document_id, passage.ordinal, passage.start, passage.end, passage.heading,
                     passage.locator, passage.text, passage.page),
                )
                db.execute("INSERT INTO passages_fts (rowid, body, heading) VALUES (?,?,?)",
                           (cursor.lastrowid, body, heading))
            self._bump(db)

    def remove_document(self, name: str) -> bool:
        with self._connect() as db:
            removed = self._delete(db, name)
            self._bump(db)
        return removed

    def documents(self) -> list[DocumentInfo]:
        with self._connect() as db:
            rows = db.execute(
                "SELECT d.name, d.kind, d.sha256, d.chars, COUNT(p.id), d.added_at, d.source_path"
                " FROM documents d LEFT JOIN passages p ON p.document_id = d.id GROUP BY d.id ORDER BY d.name"
            ).fetchall()
        return [DocumentInfo(*row) for row in rows]

    def document_text(self, name: str) -> str | None:
        with self._connect() as db:
            row = db.execute("SELECT text FROM documents WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def passages(self) -> list[Passage]:
        with self._connect() as db:
            rows = db.execute(
                "SELECT d.name, p.ordinal, p.start_char, p.end_char, p.text, p.heading, p.locator, p.page"
                " FROM passages p JOIN documents d ON d.id = p.document_id ORDER BY d.name, p.ordinal"
            ).fetchall()
        return [Passage(*row) for row in rows]

    def counts(self) -> tuple[int, int, int]:
        with self._connect() as db:
            documents = db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            passages, embedded = db.execute("SELECT COUNT(*), COUNT(vector) FROM passages").fetchone()
        return documents, passages, embedded

    def pending(self, limit: int) -> list[tuple[int, str, str]]:
        with self._connect() as db:
            return db.execute(
                "SELECT id, text, heading FROM passages WHERE vector IS NULL ORDER BY id LIMIT ?", (limit,)
            ).fetchall()

    def store_vectors(self, ids: list[int], vectors: np.ndarray) -> None:
        vectors = np.asarray(vectors, dtype=np.float32).reshape(len(ids), DIMENSIONS)
        with self._connect() as db:
            db.executemany("UPDATE passages SET vector = ? WHERE id = ?",
                           [(vector.tobytes(), pid) for pid, vector in zip(ids, vectors)])
            self._bump(db)

    def _matrix(self, db: sqlite3.Connection) -> tuple[np.ndarray, np.ndarray]:
        """(ids, vectors) of every embedded passage, cached until the next write."""
        generation = db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0]
        key = str(self.path.resolve())
        with _MATRICES_LOCK:
            cached = _MATRICES.get(key)
            if cached and cached[0] == generation:
                return cached[1], cached[2]
        rows = db.execute("SELECT id, vector FROM passages WHERE vector IS NOT NULL ORDER BY id").fetchall()
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), DIMENSIONS)
        with _MATRICES_LOCK:
            _MATRICES[key] = (generation, ids, matrix)
        return ids, matrix

    def search(self, query: str, k: int, embed_query: QueryEmbedder | None) -> list[SearchHit]:
        per_word, dense_text = prepare(query)
        terms = terms_of(per_word)
        bm25: dict[int, float] = {}
        with closing(self._open()) as db:
            if terms:
                match = " OR ".join(f'"{term}"' for term in terms)
                for rowid, score in db.execute(
                    "SELECT rowid, bm25(passages_fts, 1.0, ?) FROM passages_fts WHERE passages_fts MATCH ?"
                    " ORDER BY 2 LIMIT ?", (HEADING_WEIGHT, match, LEXICAL_CANDIDATES)):
                    bm25[rowid] = -score
            ids, matrix = self._matrix(db)
            floor, cosine_of = 0.0, {}
            if len(ids) and embed_query is not None:
                floor, cosine_of = dense_candidates(ids, matrix, embed_query(dense_text), bm25)
            wanted = set(bm25) | set(cosine_of)
            if not wanted:
                return []
            marks = ",".join("?" * len(wanted))
            rows = {r[0]: Row(r[0], r[1], r[2], r[3], r[4], r[5], r[6], set(r[7].split()), set(r[8].split()))
                    for r in db.execute(
                "SELECT p.id, d.name, p.locator, p.text, p.start_char, p.end_char, p.heading, f.body, f.heading"
                f" FROM passages p JOIN documents d ON d.id = p.document_id JOIN passages_fts f ON f.rowid = p.id"
                f" WHERE p.id IN ({marks})", list(wanted))}
        return rank(per_word, bm25, cosine_of, floor, rows, k, self.weights)


class SqliteLibraries(LibraryStore):
    """The libraries of one PC: one `NAME.sqlite3` file each in a folder."""

    vector_search = "numpy"

    def __init__(self, folder: Path, weights: FusionWeights | None = None):
        self.folder = Path(folder)
        self.weights = weights
        self._indexes: dict[str, SqliteIndex] = {}
        self._guard = threading.Lock()

    def _path(self, name: str) -> Path:
        return self.folder / f"{name}{INDEX_SUFFIX}"

    def exists(self, name: str) -> bool:
        return self._path(name).exists()

    def names(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(p.name[: -len(INDEX_SUFFIX)] for p in self.folder.glob(f"*{INDEX_SUFFIX}"))

    def open(self, name: str, create: bool = False) -> SqliteIndex:
        path = self._path(name)
        with self._guard:
            if name in self._indexes and path.exists():
                return self._indexes[name]
            if not path.exists():
                if not create:
                    raise LibraryError("library.error.unknown", name=name)
                path.parent.mkdir(parents=True, exist_ok=True)
            self._indexes[name] = SqliteIndex(path, self.weights, create=create)
            return self._indexes[name]

    def drop(self, name: str) -> None:
        path = self._path(name)
        with self._guard:
            self._indexes.pop(name, None)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
