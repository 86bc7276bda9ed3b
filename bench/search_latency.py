"""Search latency: SQLite against PostgreSQL on one library, then PostgreSQL with many.

Needs the `bench` library that bench/retrieval.py leaves behind, in a SQLite home and
in a PostgreSQL database (run retrieval.py once with each). Times `LibraryService.search`
end to end (question analysis, query embedding, full text, dense, fusion) over the
question set, on SQLite, then on PostgreSQL; then copies the PostgreSQL library with
SQL (passages, terms and vectors, no re-embedding) until the database holds
`--libraries` libraries of that size and times questions spread over all of them:
`cold` is each library's first question in this process (the numpy path loads the
library's matrix then), `warm` the following ones.

    .venv/bin/python bench/search_latency.py --sqlite-home /tmp/bench-home \
        --database-url postgresql://USER:PASSWORD@127.0.0.1:55432/DB \
        --questions bench/data/retrieval_questions.jsonl [--libraries 200] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

from sqlalchemy import text

from precepteur.config import Settings
from precepteur.library import LibraryService

LIBRARY = "bench"
COPY_PREFIX = "bench-copy-"

_COPY = text("""
WITH lib AS (
    INSERT INTO libraries (name, generation, created_at) VALUES (:name, 1, now()) RETURNING id
), meta AS (
    INSERT INTO library_meta (library_id, key, value)
    SELECT lib.id, m.key, m.value FROM library_meta m, lib WHERE m.library_id = :source
), docs AS (
    INSERT INTO library_documents (library_id, name, kind, sha256, source_path, chars, added_at, text, original)
    SELECT lib.id, d.name, d.kind, d.sha256, d.source_path, d.chars, d.added_at, d.text, d.original
    FROM library_documents d, lib WHERE d.library_id = :source
    RETURNING id, name
)
INSERT INTO library_passages (library_id, document_id, ordinal, start_char, end_char, heading, locator, text,
                              page, terms, tf, length, vector)
SELECT lib.id, docs.id, p.ordinal, p.start_char, p.end_char, p.heading, p.locator, p.text, p.page, p.terms,
       p.tf, p.length, p.vector
FROM library_passages p JOIN library_documents d ON d.id = p.document_id JOIN docs ON docs.name = d.name, lib
WHERE p.library_id = :source ORDER BY p.id
""")

_COPY_PGVECTOR = text("""
INSERT INTO library_vectors (passage_id, library_id, embedding)
SELECT c.id, c.library_id, v.embedding
FROM library_passages c
JOIN library_documents cd ON cd.id = c.document_id
JOIN library_documents sd ON sd.library_id = :source AND sd.name = cd.name
JOIN library_passages s ON s.document_id = sd.id AND s.ordinal = c.ordinal
JOIN library_vectors v ON v.passage_id = s.id
WHERE c.library_id = :copy
""")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(1000 * ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)


def timed(service: LibraryService, library: str, question: str) -> float:
    began = time.perf_counter()
    service.search(library, question, k=10)
    return time.perf_counter() - began


def one_library(service: LibraryService, questions: list[str], rounds: int) -> dict:
    service.search(LIBRARY, "warm-up", k=1)
    times = [timed(service, LIBRARY, q) for _ in range(rounds) for q in questions]
    return {"searches": len(times), "p50_ms": percentile(times, 0.5), "p95_ms": percentile(times, 0.95)}


def fill(service: LibraryService, libraries: int) -> float:
    """Copy the bench library until the database holds `libraries` of them; seconds taken."""
    began = time.perf_counter()
    store = service.store
    with store.engine.begin() as db:
        source = db.execute(text("SELECT id FROM libraries WHERE name = :n"), {"n": LIBRARY}).scalar()
        have = db.execute(text("SELECT count(*) FROM libraries WHERE name LIKE :p"),
                          {"p": COPY_PREFIX + "%"}).scalar()
    for i in range(have + 1, libraries):
        with store.engine.begin() as db:
            name = f"{COPY_PREFIX}{i:04d}"
            db.execute(_COPY, {"name": name, "source": source})
            if store.vector_search == "pgvector":
                copy = db.execute(text("SELECT id FROM libraries WHERE name = :n"), {"n": name}).scalar()
                db.execute(_COPY_PGVECTOR, {"source": source, "copy": copy})
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as db:
        db.execute(text("ANALYZE"))
    return time.perf_counter() - began


def many_libraries(service: LibraryService, questions: list[str], searches: int, seed: int) -> dict:
    names = service.store.names()
    rng = random.Random(seed)
    seen: set[str] = set()
    cold, warm = [], []
    for _ in range(searches):
        library, question = rng.choice(names), rng.choice(questions)
        elapsed = timed(service, library, question)
        (warm if library in seen else cold).append(elapsed)
        seen.add(library)
    every = cold + warm
    with service.store.engine.connect() as db:
        passages = db.execute(text("SELECT count(*) FROM library_passages")).scalar()
    return {"libraries": len(names), "passages_in_database": passages, "searches": len(every),
            "p50_ms": percentile(every, 0.5), "p95_ms": percentile(every, 0.95),
            "cold_searches": len(cold), "cold_p95_ms": percentile(cold, 0.95) if cold else None,
            "warm_searches": len(warm), "warm_p95_ms": percentile(warm, 0.95) if warm else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite-home", type=Path, required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--libraries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3, help="passes over the question set on one library")
    parser.add_argument("--searches", type=int, default=600, help="questions over the many libraries")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args(argv)
    questions = [json.loads(line)["question"] for line in args.questions.read_text("utf-8").splitlines() if line]
    sqlite = LibraryService(Settings(home=args.sqlite_home))
    pg = LibraryService(Settings(home=args.sqlite_home / "pg", database_url=args.database_url))
    result: dict = {"load_average_1min": round(os.getloadavg()[0], 2), "vectors": pg.store.vector_search,
                    "passages": pg.info(LIBRARY).passages}
    result["sqlite"] = one_library(sqlite, questions, args.rounds)
    if len(pg.store.names()) <= 1:
        result["postgresql"] = one_library(pg, questions, args.rounds)
        result["ratio_p95"] = round(result["postgresql"]["p95_ms"] / result["sqlite"]["p95_ms"], 2)
    result["fill_seconds"] = round(fill(pg, args.libraries), 1)
    result["postgresql_many"] = many_libraries(pg, questions, args.searches, args.seed)
    result["load_average_1min_end"] = round(os.getloadavg()[0], 2)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
