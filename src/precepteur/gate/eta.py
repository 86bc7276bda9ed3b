"""An honest wait: how long until a waiting request starts, from measured timings.

- Rates: moving averages (weight RATE_WEIGHT for the latest answer) of the
  prefill rate (prompt tokens / time to first token) and of the decode rate
  (generated tokens / the rest of the answer's time), as measured with the
  slots busy as they were, so batching is already in the rate.
- Expected output: a rolling median (the last OUTPUT_WINDOW answers) of the
  generated tokens, per cohort (cohorts have their own token caps), falling back
  to all cohorts together.
- The estimate: each request ahead costs prompt / prefill + expected output /
  decode; `slots` run together, and the running ones first need the rest of
  their own answers. With one slot this is the sum of what is ahead plus the
  rest of the running answer; with several, the requests ahead are laid on the
  slot that frees first (list scheduling), which is what the queue does.
- Overtaking: the fair queue puts a learner who was served less ahead of one
  who was served more, also when she comes later, so a request whose counter
  stands above the smallest counter waiting (its *excess*) starts when that
  smallest counter, the queue's floor, has risen to its own. The floor is
  sampled at every entry for ENTRY_WINDOW_S; from its recent rise per second,
  such a request waits at least excess / rise. (Counting the later entries that
  would go ahead of it, and stretching the wait by the share of the slots they
  fill, overestimated waits two to four times: the floor rises meanwhile.)
- A range: the same with the 25th and 75th percentiles of the output lengths.
- Below MIN_SAMPLES measured answers there is no estimate (`None`): the page
  says "estimation en cours", never 0.

Pure functions and small value classes, no clock and no I/O.

Constants: RATE_WEIGHT, OUTPUT_WINDOW, MIN_SAMPLES, LOW_QUANTILE, HIGH_QUANTILE, ENTRY_WINDOW_S,
MIN_FLOOR_SPAN_S.
"""

from __future__ import annotations

import heapq
from collections import deque
from dataclasses import dataclass, field

RATE_WEIGHT = 0.1
OUTPUT_WINDOW = 200
MIN_SAMPLES = 20
LOW_QUANTILE = 0.25
HIGH_QUANTILE = 0.75
ENTRY_WINDOW_S = 60.0
MIN_FLOOR_SPAN_S = 10.0
ALL_COHORTS = "*"


@dataclass(frozen=True)
class Timing:
    """One finished answer as measured: prompt and output sizes, time to first token, total."""

    cohort: str
    prompt_tokens: int
    output_tokens: int
    first_token_s: float
    total_s: float

    def to_dict(self) -> dict:
        return {"cohort": self.cohort, "prompt_tokens": self.prompt_tokens, "output_tokens": self.output_tokens,
                "first_token_s": self.first_token_s, "total_s": self.total_s}

    @classmethod
    def from_dict(cls, data: dict) -> Timing:
        return cls(str(data["cohort"]), int(data["prompt_tokens"]), int(data["output_tokens"]),
                   float(data["first_token_s"]), float(data["total_s"]))


def quantile(values, q: float) -> float:
    """The q-quantile by linear interpolation (q = 0.5: the median)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class Measures:
    """Moving-average rates and rolling output lengths, fed one timing at a time."""

    prefill_rate: float | None = None  # prompt tokens per second
    decode_rate: float | None = None  # generated tokens per second, one sequence
    samples: int = 0
    outputs: dict[str, deque] = field(default_factory=dict)

    def add(self, timing: Timing) -> None:
        """Fold one finished answer into the rates and output lengths."""
        if timing.first_token_s > 0 and timing.prompt_tokens > 0:
            self.prefill_rate = _average(self.prefill_rate, timing.prompt_tokens / timing.first_token_s)
        decode_s = timing.total_s - timing.first_token_s
        if decode_s > 0 and timing.output_tokens > 1:
            self.decode_rate = _average(self.decode_rate, (timing.output_tokens - 1) / decode_s)
        for key in (timing.cohort, ALL_COHORTS):
            self.outputs.setdefault(key, deque(maxlen=OUTPUT_WINDOW)).append(timing.output_tokens)
        self.samples += 1

    @classmethod
    def of(cls, timings) -> Measures:
        measures = cls()
        for timing in timings:
            measures.add(timing)
        return measures

    def ready(self) -> bool:
        return self.samples >= MIN_SAMPLES and bool(self.prefill_rate) and bool(self.decode_rate)

    def output(self, cohort: str, q: float = 0.5) -> float:
        """The q-quantile of recent output lengths of `cohort` (all cohorts when it has too few)."""
        lengths = self.outputs.get(cohort)
        if lengths is None or len(lengths) < MIN_SAMPLES:
            lengths = self.outputs.get(ALL_COHORTS, ())
        return quantile(lengths, q) if lengths else 0.0

    def service_s(self, prompt_tokens: int, output_tokens: float) -> float:
        """The time one request holds a slot."""
        return prompt_tokens / self.prefill_rate + output_tokens / self.decode_rate


@dataclass(frozen=True)
class Running:
    """A running request as the estimate sees it."""

    prompt_tokens: int
    cohort: str
    elapsed_s: float
    generated: int = 0


@dataclass(frozen=True)
class Ahead:
    """A waiting request ahead (or the one being estimated)."""

    prompt_tokens: int
    cohort: str


@dataclass(frozen=True)
class Estimate:
    """The wait, in seconds: a point and a range."""

    seconds: float
    low_s: float
    high_s: float

    def to_dict(self) -> dict:
        return {"seconds": round(self.seconds, 1), "low_s": round(self.low_s, 1), "high_s": round(self.high_s, 1)}


def start_in(measures: Measures, ahead: list[Ahead], running: list[Running], slots: int,
             q: float = 0.5) -> float:
    """Seconds until a request behind `ahead` gets a slot, using the q-quantile of output lengths."""
    slots = max(1, slots)
    free = [0.0] * max(0, slots - len(running))
    for request in running:
        expected = max(measures.output(request.cohort, q), request.generated + 1)
        total = measures.service_s(request.prompt_tokens, expected)
        if request.generated:
            rest = (expected - request.generated) / measures.decode_rate
        else:
            rest = total - request.elapsed_s
        free.append(max(0.0, rest))
    heapq.heapify(free)
    for request in ahead:
        begins = heapq.heappop(free)
        heapq.heappush(free, begins + measures.service_s(request.prompt_tokens, measures.output(request.cohort, q)))
    return free[0] if free else 0.0


def floor_of(counters: dict[str, float], waiting_learners) -> float | None:
    """The smallest counter waiting (None: nobody waits)."""
    return min((counters.get(v, 0.0) for v in waiting_learners), default=None)


def floor_rise(samples: list[tuple[float, float]], now: float) -> float:
    """The floor's rise per second over the last ENTRY_WINDOW_S of `(time, floor)` samples
    (0 when they span less than MIN_FLOOR_SPAN_S)."""
    recent = sorted((at, f) for at, f in samples if now - ENTRY_WINDOW_S <= at <= now)
    if len(recent) < 2 or recent[-1][0] - recent[0][0] < MIN_FLOOR_SPAN_S:
        return 0.0
    return max(0.0, (recent[-1][1] - recent[0][1]) / (recent[-1][0] - recent[0][0]))


def estimate(measures: Measures, ahead: list[Ahead], running: list[Running], slots: int,
             excess: float = 0.0, rise_per_s: float = 0.0) -> Estimate | None:
    """The wait of the request behind `ahead`, and at least `excess / rise_per_s` for a request
    the floor has yet to reach; None while fewer than MIN_SAMPLES answers were measured."""
    if not measures.ready():
        return None
    point = start_in(measures, ahead, running, slots)
    low = start_in(measures, ahead, running, slots, LOW_QUANTILE)
    high = start_in(measures, ahead, running, slots, HIGH_QUANTILE)
    overtaken = excess / rise_per_s if excess > 0 and rise_per_s > 0 else 0.0
    if overtaken > point:  # the longer wait, its range in the same proportions
        low_share, high_share = (low / point, high / point) if point > 0 else (1.0, 1.0)
        point, low, high = overtaken, overtaken * low_share, overtaken * high_share
    return Estimate(point, min(low, point), max(high, point))


def _average(current: float | None, value: float) -> float:
    return value if current is None else current + RATE_WEIGHT * (value - current)
