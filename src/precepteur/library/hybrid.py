"""The backend-neutral half of hybrid search, shared by every `SearchIndex` backend.

A backend finds candidates (full-text BM25 scores, dense cosines) in its own store;
what a question means (`prepare`), which dense candidates join and where the dense
floor lies (`dense_candidates`), and how candidates become ranked `SearchHit`s
(`rank`) live here once, so SQLite and PostgreSQL rank alike and any later change to
the fusion or to what `covers()` reads from a hit reaches both.

Constants: LEXICAL_CANDIDATES, DENSE_CANDIDATES, HEADING_WEIGHT, BM25_K1, BM25_B.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..textlang import detect_language
from .analysis import question_stems
from .glossary import expand
from .ranking import Candidate, FusionWeights, dense_floor, fuse
from .types import SearchHit

LEXICAL_CANDIDATES = 60
DENSE_CANDIDATES = 60
HEADING_WEIGHT = 2.0  # BM25 weight of the heading-path column against the body's 1.0
BM25_K1 = 1.2  # SQLite FTS5's bm25() constants, which the PostgreSQL backend reproduces
BM25_B = 0.75


@dataclass
class Row:
    """What ranking needs of one stored passage."""

    passage_id: int
    document: str
    locator: str
    text: str
    start: int
    end: int
    heading: str
    body_terms: set[str]
    heading_terms: set[str]


def prepare(query: str) -> tuple[list[set[str]], str]:
    """Per-word stems for full-text search, and the text to embed.

    An English question is expanded with the French terms of the glossary, for both.
    """
    extra = expand(query) if detect_language(query, default="fr") == "en" else []
    if not extra:
        return question_stems(query), query
    return question_stems(query + " " + " ".join(extra)), f"{query} ({', '.join(extra)})"


def terms_of(per_word: list[set[str]]) -> list[str]:
    """The distinct stems to look up in the full-text index, sorted."""
    return sorted({stem for stems in per_word for stem in stems})


def dense_candidates(ids: np.ndarray, matrix: np.ndarray, query_vector: np.ndarray,
                     lexical_ids) -> tuple[float, dict[int, float]]:
    """(dense floor, cosine of every candidate): the DENSE_CANDIDATES best passages join
    the full-text ones, and every candidate that has a vector gets its cosine."""
    if not len(ids):
        return 0.0, {}
    cosines = matrix @ query_vector
    top = np.argsort(-cosines)[:DENSE_CANDIDATES]
    wanted = {int(ids[i]) for i in top} | set(lexical_ids)
    position = {int(pid): i for i, pid in enumerate(ids)}
    cosine_of = {pid: float(cosines[position[pid]]) for pid in wanted if pid in position}
    return dense_floor(cosines), cosine_of


def rank(per_word: list[set[str]], bm25: dict[int, float], cosine_of: dict[int, float], floor: float,
         rows: dict[int, Row], k: int, weights: FusionWeights) -> list[SearchHit]:
    """Fuse the candidates (full-text ∪ dense) and return the best `k` as hits."""
    scored = []
    for pid in set(bm25) | set(cosine_of):
        row = rows.get(pid)
        if row is None:
            continue
        candidate = Candidate(pid, row.document, bm25=bm25.get(pid, 0.0), cosine=cosine_of.get(pid))
        if per_word:
            candidate.heading_overlap = sum(bool(s & row.heading_terms) for s in per_word) / len(per_word)
        scored.append(candidate)
    hits = []
    for c in fuse(scored, floor, weights)[:k]:
        row = rows[c.passage_id]
        terms = row.body_terms | row.heading_terms
        lexical = sum(bool(s & terms) for s in per_word) / len(per_word) if per_word else 0.0
        hits.append(SearchHit(document=row.document, locator=row.locator, text=row.text, score=c.score,
                              start=row.start, end=row.end, passage_id=c.passage_id, heading=row.heading,
                              dense=c.cosine, lexical=lexical))
    return hits
