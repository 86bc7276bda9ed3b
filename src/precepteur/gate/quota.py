"""Quotas: how many requests and tokens a learner may use per minute and per day.

Windows are fixed and aligned (the minute starts at :00, the day at 00:00 UTC),
so a refusal can say exactly when the window resets: that is its Retry-After.
Requests count when admitted; tokens count the admitted prompt (estimated) and
then the generated tokens when the answer ends. A limit of None is no limit.
Quotas are set per cohort (`gate.cohorts`).

`decide(usage, quota, tokens, now)` is pure: `usage` maps a counter key (see
`counter_keys`) to what was used in the current window; the store applies the
decision atomically (`gate.store.GateStore.consume`).

Constants: WINDOWS.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

WINDOWS = {"minute": 60, "day": 86_400}


@dataclass(frozen=True)
class Quota:
    """Per-learner limits; None means unlimited."""

    requests_per_minute: int | None = None
    requests_per_day: int | None = None
    tokens_per_minute: int | None = None
    tokens_per_day: int | None = None

    def limits(self) -> list[tuple[str, str, int]]:
        """(window, kind, limit) for every limit set; kind is "requests" or "tokens"."""
        out = []
        for window in WINDOWS:
            for kind in ("requests", "tokens"):
                value = getattr(self, f"{kind}_per_{window}")
                if value is not None:
                    out.append((window, kind, int(value)))
        return out

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None) -> Quota:
        data = data or {}
        return cls(**{k: data.get(k) for k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Decision:
    """Allowed, or refused with the limit that bit and the seconds until its window resets."""

    allowed: bool
    retry_after: int = 0
    window: str | None = None
    kind: str | None = None
    limit: int | None = None


def window_start(window: str, now: float) -> int:
    length = WINDOWS[window]
    return int(now // length) * length


def reset_in(window: str, now: float) -> int:
    """Whole seconds until the current `window` ends (at least 1)."""
    end = window_start(window, now) + WINDOWS[window]
    return max(1, math.ceil(end - now))


def counter_key(learner: str, window: str, kind: str, now: float) -> str:
    """The name of one counter: learner, window, kind and the window's start."""
    return f"{learner}:{window}:{kind}:{window_start(window, now)}"


def decide(usage: dict[str, int], learner: str, quota: Quota, tokens: int, now: float) -> Decision:
    """May `learner` start one more request of `tokens` prompt tokens now?"""
    for window, kind, limit in quota.limits():
        used = usage.get(counter_key(learner, window, kind, now), 0)
        adding = 1 if kind == "requests" else tokens
        if used + adding > limit:
            return Decision(False, reset_in(window, now), window, kind, limit)
    return Decision(True)
