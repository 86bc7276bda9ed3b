"""The admission limit: how many answers may be generating or waiting at once.

Beyond `settings.max_queue` answers in flight, a new question is refused with
503 and an honest `Retry-After` computed from how long recent answers took,
rather than left to wait behind a queue nobody can see (the 45-minute queue
that sank LUCIE). The per-person queue with positions belongs to `gate/`.
"""

from __future__ import annotations

import math
import threading

from .errors import WebError
from .telemetry import Metrics

MIN_RETRY_SECONDS = 2
INITIAL_ANSWER_SECONDS = 10.0
# Weight of the latest answer in the moving average of answer durations.
AVERAGE_WEIGHT = 0.2


class Admission:
    """A bounded count of answers in flight, with a moving average of their duration."""

    def __init__(self, limit: int, metrics: Metrics | None = None) -> None:
        self.limit = max(0, limit)
        self._metrics = metrics
        self._lock = threading.Lock()
        self._active = 0
        self._average = INITIAL_ANSWER_SECONDS

    @property
    def length(self) -> int:
        return self._active

    def retry_after(self) -> int:
        """Seconds after which a refused person may reasonably try again."""
        return max(MIN_RETRY_SECONDS, math.ceil(self._average))

    def enter(self) -> None:
        """Take a place, or raise 503 with Retry-After when every place is taken."""
        with self._lock:
            if self._active >= self.limit:
                seconds = self.retry_after()
                raise WebError(
                    503, "web.error.queue_full", headers={"Retry-After": str(seconds)},
                    count=self._active, seconds=seconds,
                )
            self._active += 1
            self._publish()

    def leave(self, seconds: float | None = None) -> None:
        """Give the place back; `seconds` (the answer's duration) updates the estimate."""
        with self._lock:
            self._active = max(0, self._active - 1)
            if seconds is not None and seconds > 0:
                self._average = (1 - AVERAGE_WEIGHT) * self._average + AVERAGE_WEIGHT * seconds
            self._publish()

    def _publish(self) -> None:
        if self._metrics is not None:
            self._metrics.queue_length.set(self._active)
