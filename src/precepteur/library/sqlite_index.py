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

Constants: LEXICAL_CANDIDATES, DENSE_CANDIDATES, HEADING_WEIGHT, SCHEMA_VERSION, BUSY_TIMEOUT_S.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing, contextmanager
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ..textlang import detect_language
from .analysis import for_index, question_stems
from .embeddings import DIMENSIONS
from .errors import LibraryError
from .glossary import expand
from .index import QueryEmbedder, SearchIndex
from .ranking import Candidate, FusionWeights, dense_floor, fuse
from .types import DocumentInfo, Passage, SearchHit

LEXICAL_CANDIDATES = 60
DENSE_CANDIDATES = 60
HEADING_WEIGHT = 2.0  # BM25 weight of the heading-path column against the body's 1.0
SCHEMA_VERSION = "1"
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


def _prepare(query: str) -> tuple[list[set[str]], str]:
    """Per-word stems for full-text search, and the text to embed.

    An English question is expanded with the French terms of the glossary, for both.
    """
    extra = expand(query) if detect_language(query, default="fr") == "en" else []
    if not extra:
        return question_stems(query), query
    return question_stems(query + " " + " ".join(extra)), f"{query} ({', '.join(extra)})"


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
        per_word, dense_text = _prepare(query)
        terms = sorted({stem for stems in per_word for stem in stems})
        candidates: dict[int, Candidate] = {}
        with closing(self._open()) as db:
            if terms:
                match = " OR ".join(f'"{term}"' for term in terms)
                for rowid, rank in db.execute(
                    "SELECT rowid, bm25(passages_fts, 1.0, ?) FROM passages_fts WHERE passages_fts MATCH ?"
                    " ORDER BY 2 LIMIT ?", (HEADING_WEIGHT, match, LEXICAL_CANDIDATES)):
                    candidates[rowid] = Candidate(rowid, "", bm25=-rank)
            ids, matrix = self._matrix(db)
            floor, cosine_of = 0.0, {}
            if len(ids) and embed_query is not None:
                cosines = matrix @ embed_query(dense_text)
                floor = dense_floor(cosines)
                top = np.argsort(-cosines)[:DENSE_CANDIDATES]
                for index in top:
                    candidates.setdefault(int(ids[index]), Candidate(int(ids[index]), ""))
                position = {int(pid): i for i, pid in enumerate(ids)}
                cosine_of = {pid: float(cosines[position[pid]]) for pid in candidates if pid in position}
            if not candidates:
                return []
            marks = ",".join("?" * len(candidates))
            rows = {r[0]: r for r in db.execute(
                "SELECT p.id, d.name, p.locator, p.text, p.start_char, p.end_char, p.heading, f.body, f.heading"
                f" FROM passages p JOIN documents d ON d.id = p.document_id JOIN passages_fts f ON f.rowid = p.id"
                f" WHERE p.id IN ({marks})", list(candidates))}
        scored = []
        for pid, candidate in candidates.items():
            row = rows.get(pid)
            if row is None:
                continue
            body_terms, heading_terms = set(row[7].split()), set(row[8].split())
            candidate.document = row[1]
            candidate.cosine = cosine_of.get(pid)
            if per_word:
                candidate.heading_overlap = sum(bool(s & heading_terms) for s in per_word) / len(per_word)
            scored.append((candidate, body_terms | heading_terms))
        ranked = fuse([c for c, _ in scored], floor, self.weights)
        term_sets = {c.passage_id: t for c, t in scored}
        hits = []
        for c in ranked[:k]:
            row = rows[c.passage_id]
            lexical = sum(bool(s & term_sets[c.passage_id]) for s in per_word) / len(per_word) if per_word else 0.0
            hits.append(SearchHit(document=row[1], locator=row[2], text=row[3], score=c.score, start=row[4],
                                  end=row[5], passage_id=c.passage_id, heading=row[6], dense=c.cosine,
                                  lexical=lexical))
        return hits
