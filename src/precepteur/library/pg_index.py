"""PostgreSQL backend of `SearchIndex`: every library in the shared database, so any web
worker on any machine sees every library (tables of `store/library_models.py`).

Full text: the passages are analysed by the same French analyser as the SQLite
backend (`analysis.for_index`: elisions removed, Snowball French stems taken on the
accented word then accent-folded, stop words dropped). PostgreSQL's own `french`
configuration with `unaccent` is close but not the same: `unaccent` runs before the
stemmer in a dictionary chain (the analyser stems "données" before folding it), and
its parser adds hyphenated compounds as extra tokens; the ranking would drift from
SQLite's. So PostgreSQL stores the analysed stems (a GIN-indexed tsvector for the
match, a jsonb of per-column counts) and computes SQLite FTS5's BM25 in SQL, with
the same k1, b, column weights, IDF floor and candidate count; the candidates then
go through the shared fusion (`hybrid.rank`), so both backends rank alike.

Vectors: float32 bytes in `library_passages.vector`; where the pgvector extension
exists (the migration then made `library_vectors`) a copy as `vector(384)` is
searched in the database by exact inner product, else the library's matrix is
loaded into numpy once per `generation` (bumped by every write) and searched exactly.
`PgLibraries.vector_search` says which ("pgvector" or "numpy"); /healthz reports it.
Originals: the bytes of each added file are kept in `library_documents.original`.

Constants: MATRIX_CACHE_BYTES.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict, Counter
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from sqlalchemy import text
from sqlalchemy.engine import Engine

from .analysis import analyse
from .embeddings import DIMENSIONS
from .errors import LibraryError
from .hybrid import (
    BM25_B,
    BM25_K1,
    DENSE_CANDIDATES,
    HEADING_WEIGHT,
    LEXICAL_CANDIDATES,
    Row,
    dense_candidates,
    prepare,
    rank,
    terms_of,
)
from .index import LibraryStore, QueryEmbedder, SearchIndex
from .ranking import FusionWeights, dense_floor
from .readers import MAX_FILE_BYTES
from .types import DocumentInfo, Passage, SearchHit

# numpy path: vector matrices kept in each worker's memory, least recently searched dropped
# first (a 1,000-passage library is 1.5 MB: 512 MiB holds about 340 such libraries).
MATRIX_CACHE_BYTES = 512 * 1024 * 1024

_BM25 = text(f"""
WITH s AS (
    SELECT count(*)::float8 AS n, coalesce(avg(length), 1)::float8 AS avgdl
    FROM library_passages WHERE library_id = :lib
), q AS (
    SELECT t AS term, ln((s.n - h.hits + 0.5) / (h.hits + 0.5)) AS idf
    FROM unnest(CAST(:terms AS text[])) AS t CROSS JOIN s
    CROSS JOIN LATERAL (
        SELECT count(*)::float8 AS hits FROM library_passages c
        WHERE c.library_id = :lib AND c.terms @@ CAST(quote_literal(t) AS tsquery)) AS h
)
SELECT p.id, sum(
    (CASE WHEN q.idf > 0 THEN q.idf ELSE 1e-6 END) * (f.w * ({BM25_K1} + 1))
    / (f.w + {BM25_K1} * (1 - {BM25_B} + {BM25_B} * p.length / s.avgdl))) AS score
FROM library_passages p CROSS JOIN s
JOIN q ON (p.tf -> q.term) IS NOT NULL
CROSS JOIN LATERAL (SELECT (p.tf -> q.term ->> 0)::float8
                           + :heading_weight * (p.tf -> q.term ->> 1)::float8 AS w) AS f
WHERE p.library_id = :lib AND p.terms @@ CAST(:query AS tsquery)
GROUP BY p.id ORDER BY score DESC, p.id LIMIT :limit
""")

_ROWS = text("""
SELECT p.id, d.name, p.locator, p.text, p.start_char, p.end_char, p.heading, p.tf
FROM library_passages p JOIN library_documents d ON d.id = p.document_id
WHERE p.id = ANY(CAST(:ids AS integer[]))
""")

_MATRICES: OrderedDict[tuple[str, int], tuple[int, np.ndarray, np.ndarray]] = OrderedDict()
_MATRICES_LOCK = threading.Lock()


def _quoted(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _analysed(passage: Passage) -> tuple[str, str, int]:
    """(tsvector literal of the distinct stems, jsonb of [body, heading] counts, token count)."""
    body, heading = Counter(analyse(passage.text)), Counter(analyse(passage.heading))
    counts = {t: [body.get(t, 0), heading.get(t, 0)] for t in body.keys() | heading.keys()}
    terms = " ".join(_quoted(t) for t in sorted(counts))
    return terms, json.dumps(counts, ensure_ascii=False), sum(body.values()) + sum(heading.values())


def _vector_literal(vector: np.ndarray) -> str:
    return "[" + ",".join(repr(float(x)) for x in vector) + "]"


class PgLibraries(LibraryStore):
    """The libraries of one PostgreSQL database (migrated to 0011_scale or later)."""

    backend = "postgresql"

    def __init__(self, engine: Engine, weights: FusionWeights | None = None):
        self.engine = engine
        self.weights = weights or FusionWeights()
        with engine.connect() as db:
            self.vector_search = "pgvector" if db.execute(
                text("SELECT to_regclass('library_vectors') IS NOT NULL")).scalar() else "numpy"

    def _id(self, name: str) -> int | None:
        with self.engine.connect() as db:
            return db.execute(text("SELECT id FROM libraries WHERE name = :n"), {"n": name}).scalar()

    def exists(self, name: str) -> bool:
        return self._id(name) is not None

    def names(self) -> list[str]:
        with self.engine.connect() as db:
            return list(db.execute(text("SELECT name FROM libraries ORDER BY name")).scalars())

    def open(self, name: str, create: bool = False) -> PgIndex:
        if create:
            with self.engine.begin() as db:
                db.execute(text("INSERT INTO libraries (name, generation, created_at) VALUES (:n, 0, :at)"
                                " ON CONFLICT (name) DO NOTHING"), {"n": name, "at": datetime.now(timezone.utc)})
        library_id = self._id(name)
        if library_id is None:
            raise LibraryError("library.error.unknown", name=name)
        return PgIndex(self, library_id, name)

    def drop(self, name: str) -> None:
        with self.engine.begin() as db:
            db.execute(text("DELETE FROM libraries WHERE name = :n"), {"n": name})


class PgIndex(SearchIndex):
    """One library, as rows of the shared PostgreSQL database."""

    def __init__(self, libraries: PgLibraries, library_id: int, name: str):
        self.libraries, self.id, self.name = libraries, library_id, name
        self.engine = libraries.engine
        self.weights = libraries.weights
        self._key = (self.engine.url.render_as_string(hide_password=True), library_id)

    def _generation(self, db, lock: bool = False) -> int:
        """The library's write counter; LibraryError when it was removed meanwhile."""
        sql = "SELECT generation FROM libraries WHERE id = :lib" + (" FOR UPDATE" if lock else "")
        generation = db.execute(text(sql), {"lib": self.id}).scalar()
        if generation is None:
            raise LibraryError("library.error.removed", name=self.name)
        return generation

    def _bump(self, db) -> None:
        db.execute(text("UPDATE libraries SET generation = generation + 1 WHERE id = :lib"), {"lib": self.id})

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        with self.engine.connect() as db:
            if key == "created_at":
                created = db.execute(text("SELECT created_at FROM libraries WHERE id = :lib"), {"lib": self.id}).scalar()
                return created.astimezone(timezone.utc).isoformat(timespec="seconds") if created else default
            value = db.execute(text("SELECT value FROM library_meta WHERE library_id = :lib AND key = :k"),
                               {"lib": self.id, "k": key}).scalar()
        return default if value is None else value

    def set_meta(self, key: str, value: str) -> None:
        with self.engine.begin() as db:
            self._generation(db)
            db.execute(text("INSERT INTO library_meta (library_id, key, value) VALUES (:lib, :k, :v)"
                            " ON CONFLICT (library_id, key) DO UPDATE SET value = excluded.value"),
                       {"lib": self.id, "k": key, "v": value})

    def document_sha256(self, name: str) -> str | None:
        with self.engine.connect() as db:
            return db.execute(text("SELECT sha256 FROM library_documents WHERE library_id = :lib AND name = :n"),
                              {"lib": self.id, "n": name}).scalar()

    def _delete(self, db, name: str) -> bool:
        return db.execute(text("DELETE FROM library_documents WHERE library_id = :lib AND name = :n"),
                          {"lib": self.id, "n": name}).rowcount > 0

    def replace_document(self, name, kind, sha256, source_path, text_, passages: list[Passage]) -> None:
        source = Path(source_path)
        original = source.read_bytes() if source.is_file() and source.stat().st_size <= MAX_FILE_BYTES else None
        rows = [_analysed(p) for p in passages]
        with self.engine.begin() as db:
            self._generation(db, lock=True)  # one writer per library at a time, on every worker
            self._delete(db, name)
            document_id = db.execute(text(
                "INSERT INTO library_documents (library_id, name, kind, sha256, source_path, chars, added_at, text,"
                " original) VALUES (:lib, :n, :kind, :sha, :src, :chars, :at, :text, :orig) RETURNING id"),
                {"lib": self.id, "n": name, "kind": kind, "sha": sha256, "src": source_path, "chars": len(text_),
                 "at": datetime.now(timezone.utc), "text": text_, "orig": original}).scalar()
            if passages:
                db.execute(text(
                    "INSERT INTO library_passages (library_id, document_id, ordinal, start_char, end_char, heading,"
                    " locator, text, page, terms, tf, length) VALUES (:lib, :doc, :ordinal, :start, :end, :heading,"
                    " :locator, :text, :page, CAST(:terms AS tsvector), CAST(:tf AS jsonb), :length)"),
                    [{"lib": self.id, "doc": document_id, "ordinal": p.ordinal, "start": p.start, "end": p.end,
                      "heading": p.heading, "locator": p.locator, "text": p.text, "page": p.page,
                      "terms": terms, "tf": tf, "length": length}
                     for p, (terms, tf, length) in zip(passages, rows)])
            self._bump(db)

    def remove_document(self, name: str) -> bool:
        with self.engine.begin() as db:
            self._generation(db, lock=True)
            removed = self._delete(db, name)
            self._bump(db)
        return removed

    def documents(self) -> list[DocumentInfo]:
        with self.engine.connect() as db:
            rows = db.execute(text(
                "SELECT d.name, d.kind, d.sha256, d.chars, COUNT(p.id), d.added_at, d.source_path"
                " FROM library_documents d LEFT JOIN library_passages p ON p.document_id = d.id"
                " WHERE d.library_id = :lib GROUP BY d.id ORDER BY d.name"), {"lib": self.id}).all()
        return [DocumentInfo(r[0], r[1], r[2], r[3], r[4], r[5].astimezone(timezone.utc).isoformat(timespec="seconds"),
                             r[6]) for r in rows]

    def document_text(self, name: str) -> str | None:
        with self.engine.connect() as db:
            return db.execute(text("SELECT text FROM library_documents WHERE library_id = :lib AND name = :n"),
                              {"lib": self.id, "n": name}).scalar()

    def original(self, name: str) -> bytes | None:
        """The bytes of the file the document was read from, as it was added."""
        with self.engine.connect() as db:
            return db.execute(text("SELECT original FROM library_documents WHERE library_id = :lib AND name = :n"),
                              {"lib": self.id, "n": name}).scalar()

    def passages(self) -> list[Passage]:
        with self.engine.connect() as db:
            rows = db.execute(text(
                "SELECT d.name, p.ordinal, p.start_char, p.end_char, p.text, p.heading, p.locator, p.page"
                " FROM library_passages p JOIN library_documents d ON d.id = p.document_id"
                " WHERE p.library_id = :lib ORDER BY d.name, p.ordinal"), {"lib": self.id}).all()
        return [Passage(*row) for row in rows]

    def counts(self) -> tuple[int, int, int]:
        with self.engine.connect() as db:
            documents = db.execute(text("SELECT COUNT(*) FROM library_documents WHERE library_id = :lib"),
                                   {"lib": self.id}).scalar()
            passages, embedded = db.execute(text(
                "SELECT COUNT(*), COUNT(vector) FROM library_passages WHERE library_id = :lib"), {"lib": self.id}).one()
        return documents, passages, embedded

    def pending(self, limit: int) -> list[tuple[int, str, str]]:
        with self.engine.connect() as db:
            return [tuple(r) for r in db.execute(text(
                "SELECT id, text, heading FROM library_passages WHERE library_id = :lib AND vector IS NULL"
                " ORDER BY id LIMIT :limit"), {"lib": self.id, "limit": limit}).all()]

    def store_vectors(self, ids: list[int], vectors: np.ndarray) -> None:
        vectors = np.asarray(vectors, dtype=np.float32).reshape(len(ids), DIMENSIONS)
        with self.engine.begin() as db:
            self._generation(db)
            db.execute(text("UPDATE library_passages SET vector = :v WHERE id = :pid AND library_id = :lib"),
                       [{"v": v.tobytes(), "pid": pid, "lib": self.id} for pid, v in zip(ids, vectors)])
            if self.libraries.vector_search == "pgvector":
                db.execute(text(
                    "INSERT INTO library_vectors (passage_id, library_id, embedding)"
                    " SELECT id, library_id, CAST(:v AS vector) FROM library_passages WHERE id = :pid AND library_id = :lib"
                    " ON CONFLICT (passage_id) DO UPDATE SET embedding = excluded.embedding"),
                    [{"v": _vector_literal(v), "pid": pid, "lib": self.id} for pid, v in zip(ids, vectors)])
            self._bump(db)

    # -- searching -----------------------------------------------------------
    def _matrix(self, db, generation: int) -> tuple[np.ndarray, np.ndarray]:
        """(ids, vectors) of every embedded passage, cached until the next write (numpy path)."""
        with _MATRICES_LOCK:
            cached = _MATRICES.get(self._key)
            if cached and cached[0] == generation:
                _MATRICES.move_to_end(self._key)
                return cached[1], cached[2]
        rows = db.execute(text("SELECT id, vector FROM library_passages WHERE library_id = :lib"
                               " AND vector IS NOT NULL ORDER BY id"), {"lib": self.id}).all()
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), DIMENSIONS)
        with _MATRICES_LOCK:
            _MATRICES[self._key] = (generation, ids, matrix)
            _MATRICES.move_to_end(self._key)
            while len(_MATRICES) > 1 and sum(m[2].nbytes for m in _MATRICES.values()) > MATRIX_CACHE_BYTES:
                _MATRICES.popitem(last=False)
        return ids, matrix

    def _dense_pgvector(self, db, vector: np.ndarray, lexical_ids) -> tuple[float, dict[int, float]]:
        """The same candidates and floor as `hybrid.dense_candidates`, computed by pgvector."""
        literal = _vector_literal(vector)
        top = db.execute(text(
            "SELECT passage_id, -(embedding <#> CAST(:q AS vector)) FROM library_vectors WHERE library_id = :lib"
            " ORDER BY embedding <#> CAST(:q AS vector), passage_id LIMIT :limit"),
            {"q": literal, "lib": self.id, "limit": DENSE_CANDIDATES}).all()
        if not top:
            return 0.0, {}
        cosine_of = {int(pid): float(c) for pid, c in top}
        missing = [pid for pid in lexical_ids if pid not in cosine_of]
        if missing:
            cosine_of.update((int(pid), float(c)) for pid, c in db.execute(text(
                "SELECT passage_id, -(embedding <#> CAST(:q AS vector)) FROM library_vectors"
                " WHERE passage_id = ANY(CAST(:ids AS integer[]))"), {"q": literal, "ids": missing}).all())
        # The floor is the DENSE_FLOOR_RANK-th best cosine, which the top DENSE_CANDIDATES contain.
        return dense_floor(np.array([c for _, c in top], dtype=np.float32)), cosine_of

    def search(self, query: str, k: int, embed_query: QueryEmbedder | None) -> list[SearchHit]:
        per_word, dense_text = prepare(query)
        terms = terms_of(per_word)
        bm25: dict[int, float] = {}
        with self.engine.connect() as db:
            generation = self._generation(db)
            if terms:
                bm25 = {int(pid): float(score) for pid, score in db.execute(_BM25, {
                    "lib": self.id, "terms": terms, "query": " | ".join(map(_quoted, terms)),
                    "heading_weight": HEADING_WEIGHT, "limit": LEXICAL_CANDIDATES}).all()}
            floor, cosine_of = 0.0, {}
            if embed_query is not None:
                if self.libraries.vector_search == "pgvector":
                    if db.execute(text("SELECT EXISTS (SELECT 1 FROM library_vectors WHERE library_id = :lib)"),
                                  {"lib": self.id}).scalar():
                        floor, cosine_of = self._dense_pgvector(db, embed_query(dense_text), bm25)
                else:
                    ids, matrix = self._matrix(db, generation)
                    if len(ids):
                        floor, cosine_of = dense_candidates(ids, matrix, embed_query(dense_text), bm25)
            wanted = set(bm25) | set(cosine_of)
            if not wanted:
                return []
            rows = {}
            for r in db.execute(_ROWS, {"ids": sorted(wanted)}).all():
                tf = r[7] if isinstance(r[7], dict) else json.loads(r[7])
                rows[r[0]] = Row(r[0], r[1], r[2], r[3], r[4], r[5], r[6],
                                 {t for t, (b, _) in tf.items() if b}, {t for t, (_, h) in tf.items() if h})
        return rank(per_word, bm25, cosine_of, floor, rows, k, self.weights)
