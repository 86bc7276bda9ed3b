"""Who meets whom: the draw of a battle's two contestants and of their sides.

`draw(entries, mode, rng)` is pure: plain `Entry` records and a seeded
`random.Random` in, a `Pairing` out. Modes:

- `random`: any two contestants;
- `same-model`: two pipeline versions of one model (entries sharing `model`);
- `challenger`: the named challenger (default: the entry with fewest votes) against the
  leader (the entry with the best score; ties broken by name).

Draws lean toward contestants with few votes, as compar:IA does (PR #448): an
entry's weight is 1 / (n + SMOOTHING) ** EXPONENT, and no weight exceeds
MAX_WEIGHT_RATIO times the smallest one. The second contestant is drawn among the
others with the same weights. Then the sides are swapped with probability 1/2, so
that neither slot carries information.

Constants: MODES, SMOOTHING, EXPONENT, MAX_WEIGHT_RATIO.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

MODES = ("random", "same-model", "challenger")
SMOOTHING = 50
EXPONENT = 0.4
MAX_WEIGHT_RATIO = 3.0


class PairingError(ValueError):
    """No pair can be drawn (too few contestants for the mode); `key` names the reason."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Entry:
    """A contestant as the draw sees it."""

    name: str
    model: str = ""  # what `same-model` groups on (pack hash or URL + model id)
    votes: int = 0
    score: float | None = None  # the leaderboard score, for `challenger`


@dataclass(frozen=True)
class Pairing:
    a: str
    b: str
    swapped: bool  # the sides were swapped after the draw


def weights(entries: list[Entry]) -> list[float]:
    """Each entry's draw weight: 1 / (n + 50) ** 0.4, capped at 3 times the smallest."""
    raw = [1.0 / (e.votes + SMOOTHING) ** EXPONENT for e in entries]
    if not raw:
        return []
    ceiling = MAX_WEIGHT_RATIO * min(raw)
    return [min(w, ceiling) for w in raw]


def draw(entries: list[Entry], mode: str, rng: random.Random, *, challenger: str | None = None) -> Pairing:
    """Two distinct contestants for one battle, on random sides."""
    if mode not in MODES:
        raise PairingError("arena.error.unknown_mode", mode=mode, modes=", ".join(MODES))
    entries = sorted(entries, key=lambda e: e.name)
    if len({e.name for e in entries}) != len(entries):
        raise ValueError("contestant names must be unique")
    if len(entries) < 2:
        raise PairingError("arena.error.too_few_contestants", count=len(entries))
    if mode == "random":
        first, second = _two(entries, rng)
    elif mode == "same-model":
        groups: dict[str, list[Entry]] = {}
        for e in entries:
            groups.setdefault(e.model, []).append(e)
        pools = [group for _model, group in sorted(groups.items()) if len(group) >= 2]
        if not pools:
            raise PairingError("arena.error.no_same_model")
        pool_weights = [sum(weights(group)) for group in pools]
        first, second = _two(rng.choices(pools, weights=pool_weights)[0], rng)
    else:
        first, second = _challenge(entries, challenger)
    swapped = rng.random() < 0.5
    if swapped:
        first, second = second, first
    return Pairing(first.name, second.name, swapped)


def _two(entries: list[Entry], rng: random.Random) -> tuple[Entry, Entry]:
    first = rng.choices(entries, weights=weights(entries))[0]
    rest = [e for e in entries if e.name != first.name]
    return first, rng.choices(rest, weights=weights(rest))[0]


def _challenge(entries: list[Entry], challenger: str | None) -> tuple[Entry, Entry]:
    by_name = {e.name: e for e in entries}
    if challenger is not None and challenger not in by_name:
        raise PairingError("arena.error.unknown_contestant", name=challenger)
    rated = [e for e in entries if e.score is not None and e.name != challenger]
    if not rated:
        raise PairingError("arena.error.no_leader")
    leader = min(rated, key=lambda e: (-e.score, e.name))
    if challenger is None:
        others = [e for e in entries if e.name != leader.name]
        return min(others, key=lambda e: (e.votes, e.name)), leader
    return by_name[challenger], leader


__all__ = ["MODES", "Entry", "Pairing", "PairingError", "draw", "weights"]
