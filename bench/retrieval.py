"""Retrieval benchmark: ingest a corpus into a fresh library, then score a question set.

Prints chapter-level hit@5 and MRR@10 (a hit is a result from the expected chapter cN,
any of its files), the ingest times (full-text ready, hybrid complete), search p95,
and, when an off-topic set is given, how `covers()` separates on- from off-topic.

    .venv/bin/python bench/retrieval.py --corpus ../shared/corpus/nsi_terminale \
        --questions bench/data/retrieval_questions.jsonl --home /tmp/bench-home \
        [--offtopic bench/data/offtopic_questions.jsonl] [--reuse] [--verbose] \
        [--database-url postgresql://USER:PASSWORD@127.0.0.1:55432/DB]

With --database-url on PostgreSQL the library lives in that database (pg_index.py)
instead of a SQLite file in the home: run both to compare the backends.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

from precepteur.config import Settings
from precepteur.library import LibraryService
from precepteur.tutor.sources import covers

LIBRARY = "bench"
_CHAPTER = re.compile(r"^c(\d+)[a-z]*\.", re.IGNORECASE)


def chapter_of(document: str) -> str | None:
    match = _CHAPTER.match(Path(document).name)
    return f"c{int(match.group(1))}" if match else None


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def ingest(service: LibraryService, corpus: Path) -> tuple[float, float]:
    """(seconds until full-text search is ready, seconds until every passage is embedded)."""
    if service.exists(LIBRARY):
        service.remove(LIBRARY)
    began = time.perf_counter()

    def progress(phase: str, done: int, total: int, item: str) -> None:
        if done == total or done % 50 == 0:
            print(f"  {phase} {done}/{total} {time.perf_counter() - began:6.1f}s", file=sys.stderr)

    report = service.add(LIBRARY, [corpus], progress=progress, embed=False)
    fts_ready = time.perf_counter() - began
    for error in report.errors:
        print(f"  error: {error.path}: {error.message}", file=sys.stderr)
    service.embed_pending(LIBRARY, progress=progress)
    return fts_ready, time.perf_counter() - began


def evaluate(service: LibraryService, questions: list[dict], verbose: bool) -> dict:
    hits5, reciprocal, times, cpu = [], [], [], []
    service.search(LIBRARY, "warm-up", k=1)  # loads the embedder and its background vectors
    for item in questions:
        began, began_cpu = time.perf_counter(), time.process_time()
        results = service.search(LIBRARY, item["question"], k=10)
        times.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
        chapters = [chapter_of(hit.document) for hit in results]
        rank = next((i + 1 for i, c in enumerate(chapters) if c == item["chapter"]), None)
        hits5.append(rank is not None and rank <= 5)
        reciprocal.append(1.0 / rank if rank else 0.0)
        if verbose and rank != 1:
            top = results[0].locator if results else "-"
            print(f"  rank={rank} want={item['chapter']} q={item['question']!r} top={top}", file=sys.stderr)
    times.sort()
    cpu.sort()
    return {
        "questions": len(questions),
        "hit@5": round(sum(hits5) / len(hits5), 3),
        "mrr@10": round(sum(reciprocal) / len(reciprocal), 3),
        "search_p50_ms": round(1000 * statistics.median(times), 1),
        "search_p95_ms": round(1000 * times[min(len(times) - 1, int(0.95 * len(times)))], 1),
        # CPU seconds of this process (all threads): the cost without other programs' load.
        "search_cpu_p95_ms": round(1000 * cpu[min(len(cpu) - 1, int(0.95 * len(cpu)))], 1),
    }


def coverage(service: LibraryService, on_topic: list[dict], off_topic: list[dict], verbose: bool) -> dict:
    """Precision and recall of `covers()` for declining off-topic questions."""
    on = [covers(q["question"], service.search(LIBRARY, q["question"], k=5)) for q in on_topic]
    off = [covers(q["question"], service.search(LIBRARY, q["question"], k=5)) for q in off_topic]
    if verbose:
        for q, c in zip(on_topic, on):
            if not c:
                print(f"  declined on-topic: {q['question']!r}", file=sys.stderr)
        for q, c in zip(off_topic, off):
            if c:
                print(f"  accepted off-topic: {q['question']!r}", file=sys.stderr)
    declined_off = sum(not c for c in off)
    declined_on = sum(not c for c in on)
    declined = declined_off + declined_on
    return {
        "on_topic_accepted": f"{sum(on)}/{len(on)}",
        "off_topic_declined": f"{declined_off}/{len(off)}",
        "decline_precision": round(declined_off / declined, 3) if declined else 1.0,
        "decline_recall": round(declined_off / len(off), 3) if off else 1.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--offtopic", type=Path)
    parser.add_argument("--reuse", action="store_true", help="keep an existing index instead of re-ingesting")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--database-url", help="PostgreSQL URL: search the library stored there")
    args = parser.parse_args(argv)
    service = LibraryService(Settings(home=args.home, database_url=args.database_url))
    result: dict = {"load_average_1min": round(os.getloadavg()[0], 2), "library_backend": service.store.backend,
                    "vectors": service.store.vector_search}
    if not (args.reuse and service.exists(LIBRARY)):
        fts_ready, hybrid = ingest(service, args.corpus)
        result.update({"ingest_fts_ready_s": round(fts_ready, 1), "ingest_hybrid_s": round(hybrid, 1)})
    info = service.info(LIBRARY)
    result.update({"documents": info.documents, "passages": info.passages, "embedded": info.embedded})
    questions = load(args.questions)
    result.update(evaluate(service, questions, args.verbose))
    if args.offtopic:
        result.update(coverage(service, questions, load(args.offtopic), args.verbose))
    for key, value in result.items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
