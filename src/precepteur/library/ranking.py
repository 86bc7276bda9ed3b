"""Hybrid ranking: fuse full-text (BM25) and dense (cosine) evidence into one score.

Pure functions over plain numbers, so the fusion can be tuned on a question set and
tested exactly. Each signal is first made relative to the question: BM25 divided by
the best BM25, cosine rescaled between a floor (the DENSE_FLOOR_RANK-th best cosine of
the library) and the best. A passage not yet embedded borrows its lexical value for
the dense part, so search degrades to full-text rather than hiding it. Heading words
that match the question add a boost. Weights were tuned on bench/data and a second,
unseen question set (a broad plateau around the defaults; a per-document support
term only hurt, so there is none).

Constants: DENSE_FLOOR_RANK, FusionWeights defaults.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DENSE_FLOOR_RANK = 40


@dataclass(frozen=True)
class FusionWeights:
    dense: float = 0.45
    lexical: float = 0.6
    heading: float = 0.3

    @property
    def total(self) -> float:
        return self.dense + self.lexical + self.heading


@dataclass
class Candidate:
    passage_id: int
    document: str
    bm25: float = 0.0  # positive, larger is better; 0 when the full-text search missed it
    cosine: float | None = None  # None when the passage is not embedded yet
    heading_overlap: float = 0.0  # share of the question's words found in the heading path
    score: float = 0.0


def dense_floor(cosines: np.ndarray) -> float:
    """The cosine below which a passage earns no dense credit for this question."""
    if cosines.size == 0:
        return 0.0
    rank = min(DENSE_FLOOR_RANK, cosines.size) - 1
    return float(np.partition(-cosines, rank)[rank] * -1)


def fuse(candidates: list[Candidate], floor: float, weights: FusionWeights = FusionWeights()) -> list[Candidate]:
    """Score every candidate in [0, 1] and return them best first."""
    if not candidates:
        return []
    best_bm25 = max(c.bm25 for c in candidates) or 1.0
    cosines = [c.cosine for c in candidates if c.cosine is not None]
    best_cos = max(cosines) if cosines else 0.0
    span = max(best_cos - floor, 1e-6)
    for c in candidates:
        lexical = c.bm25 / best_bm25
        dense = lexical if c.cosine is None else max(0.0, (c.cosine - floor) / span)
        c.score = weights.dense * dense + weights.lexical * lexical + weights.heading * c.heading_overlap
    ranked = sorted(candidates, key=lambda c: (-c.score, c.passage_id))
    for c in ranked:
        c.score = max(0.0, min(1.0, c.score / weights.total))
    return ranked
