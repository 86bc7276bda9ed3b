"""The leaderboard from votes: Bradley–Terry maximum likelihood with seeded bootstrap intervals.

`fit(comparisons) -> Ratings` is pure: plain `Comparison` records in, a board and a
filter report out, no I/O, no clock. The scale is Elo-like: base 10, 400 points for
a tenfold strength ratio, centred so that the contestants' mean is 1000. A tie and
a `both_bad` count as half a win for each side. The maximum is found by Newton's
method on the log-strengths, over all bootstrap samples at once; every contestant also draws PRIOR_GAMES virtual games against a 1000-rated
anchor, so that one who never won (or never lost) keeps a finite score and the
comparison graph is always connected (its effect on the issue's reference values is
below 0.01 point).

Before fitting, the filters (each counted in `Ratings.report`) keep only blind
battles, drop leaked, errored and excluded ones and repeated battle ids, and count at
most JUDGE_DAY_CAP votes per judge per day (the first ones). The intervals come from
BOOTSTRAP_SAMPLES resamples of the kept votes (a multinomial over the distinct
outcomes, which is the same distribution as resampling votes one by one), for the
score and for the rank; an interval is widened to hold its estimate when the
percentiles miss it (possible with very few votes). A contestant is *preliminary*
while it has fewer than PRELIMINARY_VOTES votes or its interval reaches further than
PRELIMINARY_HALF_WIDTH points from its score.

Constants: BASE, SCALE, CENTRE, PRIOR_GAMES, BOOTSTRAP_SAMPLES, BOARD_SEED, CONFIDENCE,
JUDGE_DAY_CAP, PRELIMINARY_VOTES, PRELIMINARY_HALF_WIDTH, MAX_ITERATIONS, MAX_STEP, TOLERANCE.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Iterable

import numpy as np

BASE = 10.0
SCALE = 400.0
CENTRE = 1000.0
PRIOR_GAMES = 1e-4
BOOTSTRAP_SAMPLES = 1000
BOARD_SEED = 20250101  # the published board's bootstrap seed: the same votes give the same board
CONFIDENCE = 0.95
JUDGE_DAY_CAP = 50
PRELIMINARY_VOTES = 200
PRELIMINARY_HALF_WIDTH = 50.0
MAX_ITERATIONS = 200
MAX_STEP = 3.0
TOLERANCE = 1e-9

VERDICTS = ("a", "b", "tie", "both_bad")
FILTERS = ("not_blind", "leaked", "errored", "excluded", "duplicate", "judge_day_cap")
# Share of a win each side gets from a verdict.
_SHARES = {"a": (1.0, 0.0), "b": (0.0, 1.0), "tie": (0.5, 0.5), "both_bad": (0.5, 0.5)}


@dataclass(frozen=True)
class Comparison:
    """One verdict between contestants `a` and `b`, with what the filters need."""

    a: str
    b: str
    verdict: str  # one of VERDICTS
    battle_id: str = ""
    judge: str = ""  # any stable pseudonym; only compared for equality
    day: str = ""  # ISO date of the vote
    anony: bool = True  # the judge did not choose the contestants
    leaked: bool = False  # an answer gave its identity away
    errored: bool = False  # an answer failed
    excluded: bool = False  # a teacher excluded the battle
    role: str = ""  # the judge's role (boards per role)
    level: str = ""  # the question's level (boards per level)

    def __post_init__(self) -> None:
        if self.verdict not in _SHARES:
            raise ValueError(f"unknown verdict {self.verdict!r}; expected one of {', '.join(VERDICTS)}")
        if self.a == self.b:
            raise ValueError("a contestant cannot face itself")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Comparison:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


@dataclass(frozen=True)
class Rating:
    """One line of the board: score and rank, each with its 95% interval."""

    contestant: str
    n: int
    score: float
    ci_low: float
    ci_high: float
    rank: int
    rank_low: int
    rank_high: int
    preliminary: bool

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Ratings:
    """The board (best first) and how many votes each filter removed."""

    board: list[Rating]
    report: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"board": [r.to_dict() for r in self.board], "report": dict(self.report)}

    def __getitem__(self, contestant: str) -> Rating:
        for rating in self.board:
            if rating.contestant == contestant:
                return rating
        raise KeyError(contestant)


def apply_filters(comparisons: Iterable[Comparison], judge_day_cap: int = JUDGE_DAY_CAP
                  ) -> tuple[list[Comparison], dict[str, int]]:
    """The votes that count, in order, and the count each filter removed (first filter wins)."""
    report = {"votes": 0, **{name: 0 for name in FILTERS}, "counted": 0}
    seen: set[str] = set()
    per_judge_day: Counter[tuple[str, str]] = Counter()
    kept: list[Comparison] = []
    for c in comparisons:
        report["votes"] += 1
        reason = None
        if not c.anony:
            reason = "not_blind"
        elif c.leaked:
            reason = "leaked"
        elif c.errored:
            reason = "errored"
        elif c.excluded:
            reason = "excluded"
        elif c.battle_id and c.battle_id in seen:
            reason = "duplicate"
        elif c.judge and per_judge_day[(c.judge, c.day)] >= judge_day_cap:
            reason = "judge_day_cap"
        if c.battle_id and reason not in ("duplicate",):
            seen.add(c.battle_id)
        if reason is not None:
            report[reason] += 1
            continue
        if c.judge:
            per_judge_day[(c.judge, c.day)] += 1
        kept.append(c)
    report["counted"] = len(kept)
    return kept, report


def fit(
    comparisons: Iterable[Comparison],
    *,
    bootstrap: int = BOOTSTRAP_SAMPLES,
    seed: int = 0,
    judge_day_cap: int = JUDGE_DAY_CAP,
) -> Ratings:
    """The leaderboard of the votes that pass the filters (best first)."""
    kept, report = apply_filters(comparisons, judge_day_cap)
    names = sorted({c.a for c in kept} | {c.b for c in kept})
    if not names:
        return Ratings([], report)
    index = {name: i for i, name in enumerate(names)}
    k = len(names)
    # Distinct outcomes (winner-share matrix contributions) and how often each occurred.
    outcomes = Counter((index[c.a], index[c.b], c.verdict) for c in kept)
    keys = list(outcomes)
    counts = np.array([outcomes[key] for key in keys], dtype=float)
    contrib = np.zeros((len(keys), k, k))
    for row, (i, j, verdict) in enumerate(keys):
        share_a, share_b = _SHARES[verdict]
        contrib[row, i, j] += share_a
        contrib[row, j, i] += share_b
    wins = np.einsum("t,tij->ij", counts, contrib)
    point = _scores(wins[None])[0]
    games = Counter()
    for c in kept:
        games[c.a] += 1
        games[c.b] += 1

    rng = np.random.default_rng(seed)
    if bootstrap > 0:
        total = int(counts.sum())
        draws = rng.multinomial(total, counts / total, size=bootstrap).astype(float)
        samples = _scores(np.einsum("bt,tij->bij", draws, contrib))
    else:
        samples = point[None]
    alpha = (1.0 - CONFIDENCE) / 2.0
    low = np.minimum(np.quantile(samples, alpha, axis=0), point)
    high = np.maximum(np.quantile(samples, 1.0 - alpha, axis=0), point)
    point_rank = _ranks(point[None])[0]
    sample_ranks = _ranks(samples)
    rank_low = np.minimum(np.floor(np.quantile(sample_ranks, alpha, axis=0)), point_rank)
    rank_high = np.maximum(np.ceil(np.quantile(sample_ranks, 1.0 - alpha, axis=0)), point_rank)

    board = []
    for i, name in enumerate(names):
        half_width = max(point[i] - low[i], high[i] - point[i])
        board.append(Rating(
            contestant=name, n=games[name],
            score=round(float(point[i]), 2), ci_low=round(float(low[i]), 2), ci_high=round(float(high[i]), 2),
            rank=int(point_rank[i]), rank_low=int(rank_low[i]), rank_high=int(rank_high[i]),
            preliminary=games[name] < PRELIMINARY_VOTES or half_width > PRELIMINARY_HALF_WIDTH,
        ))
    board.sort(key=lambda r: (-r.score, r.contestant))
    return Ratings(board, report)


def boards(comparisons: Iterable[Comparison], by: str, **options) -> dict[str, Ratings]:
    """One board per value of `by` ("role" or "level"), each fitted on its own votes."""
    groups: dict[str, list[Comparison]] = {}
    for c in comparisons:
        groups.setdefault(getattr(c, by), []).append(c)
    return {key: fit(group, **options) for key, group in sorted(groups.items())}


def expected_share(score_a: float, score_b: float) -> float:
    """The share of wins the model predicts for `a` against `b`."""
    return 1.0 / (1.0 + BASE ** ((score_b - score_a) / SCALE))


def _scores(wins: np.ndarray) -> np.ndarray:
    """Bradley–Terry scores for a batch of win matrices `wins[b, i, j]` (i's wins over j).

    Newton's method on the log-strengths (the log-likelihood is concave), each step
    clipped to MAX_STEP so that a contestant who never lost walks out steadily.
    """
    batch, k, _ = wins.shape
    games = wins + wins.transpose(0, 2, 1)
    # Each contestant wins half of its PRIOR_GAMES virtual games against the anchor (log-strength 0).
    won = wins.sum(axis=2) + PRIOR_GAMES / 2.0
    theta = np.zeros((batch, k))
    for _ in range(MAX_ITERATIONS):
        p = _sigmoid(theta[:, :, None] - theta[:, None, :])
        anchor = _sigmoid(theta)
        gradient = won - (games * p).sum(axis=2) - PRIOR_GAMES * anchor
        curvature = games * p * (1.0 - p)
        hessian = curvature - np.eye(k) * (curvature.sum(axis=2) + PRIOR_GAMES * anchor * (1.0 - anchor))[:, :, None]
        step = np.clip(np.linalg.solve(hessian, gradient[:, :, None])[:, :, 0], -MAX_STEP, MAX_STEP)
        theta = theta - step
        if np.max(np.abs(step)) < TOLERANCE:
            break
    logs = SCALE * theta / math.log(BASE)
    return CENTRE + logs - logs.mean(axis=1, keepdims=True)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _ranks(scores: np.ndarray) -> np.ndarray:
    """Rank 1 for the best score of each row; a contestant's rank counts those strictly above it."""
    return 1 + (scores[:, None, :] > scores[:, :, None]).sum(axis=2)


__all__ = [
    "Comparison", "Rating", "Ratings", "VERDICTS", "FILTERS",
    "apply_filters", "fit", "boards", "expected_share",
]
