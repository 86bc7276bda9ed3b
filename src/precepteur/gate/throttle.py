"""Sign-in throttling: increasing delays after wrong passwords, without locking a class out.

Three counters of recent failures (forgotten FORGET_AFTER after the last one):

- PAIR, one account from one client: a few free tries, then delays that double
  up to a long cap. This is what slows a guesser down.
- ACCOUNT, one account from any client: more free tries, and a short cap, so
  guessing spread over many addresses is slowed too, but nobody can hold an
  account for longer than ACCOUNT.cap between tries.
- CLIENT, one address for any account: many free tries (a whole school may sign
  in from one address) and a short cap.

A browser in which an account has signed in before is trusted for it: the
caller passes its `device` (a random id kept in the browser's signed session
cookie), and the attempt only ever waits for the PAIR counter of that account
on that device, so someone failing on purpose elsewhere, even from the
school's address, never keeps a learner out of her own account. A refused (throttled)
attempt does not count as a failure, and a success clears the PAIR counter.

The core is pure over an injected clock; `SignInThrottle` keeps the counters in
process (bounded to MAX_KEYS, oldest forgotten first).

Constants: PAIR, ACCOUNT, CLIENT, FORGET_AFTER, MAX_KEYS.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """`free` failures cost nothing; after that each costs `base` seconds, doubled each time, up to `cap`."""

    free: int
    base: float
    cap: float

    def gap(self, failures: int) -> float:
        """Seconds to wait after the last of `failures` failures."""
        if failures < self.free:
            return 0.0
        return min(self.cap, self.base * 2 ** (failures - self.free))


PAIR = Rule(free=5, base=1.0, cap=300.0)
ACCOUNT = Rule(free=20, base=1.0, cap=30.0)
CLIENT = Rule(free=100, base=1.0, cap=15.0)
FORGET_AFTER = 15 * 60.0
MAX_KEYS = 100_000


@dataclass
class _Record:
    failures: int
    last: float


class SignInThrottle:
    """The failure counters of one process."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._records: OrderedDict[tuple, _Record] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _keys(name: str, client: str, device: str | None) -> list[tuple[tuple, Rule]]:
        account = (name or "").strip().lower()
        if device is not None:
            return [(("device", account, device), PAIR)]
        return [(("pair", account, client), PAIR), (("account", account), ACCOUNT), (("client", client), CLIENT)]

    def _record(self, key: tuple, now: float) -> _Record | None:
        record = self._records.get(key)
        if record is not None and now - record.last >= FORGET_AFTER:
            del self._records[key]
            return None
        return record

    def wait(self, name: str, client: str, *, device: str | None = None) -> int:
        """Whole seconds to wait before this attempt may be checked (0: go ahead); `device`
        only for a browser trusted for this account."""
        now = self.clock()
        longest = 0.0
        with self._lock:
            for key, rule in self._keys(name, client, device):
                record = self._record(key, now)
                if record is not None:
                    longest = max(longest, record.last + rule.gap(record.failures) - now)
        return math.ceil(longest) if longest > 0 else 0

    def failed(self, name: str, client: str, *, device: str | None = None) -> None:
        """Count a wrong name or password."""
        now = self.clock()
        with self._lock:
            for key, _rule in self._keys(name, client, device):
                record = self._record(key, now)
                if record is None:
                    record = self._records[key] = _Record(0, now)
                record.failures += 1
                record.last = now
                self._records.move_to_end(key)
            while len(self._records) > MAX_KEYS:
                self._records.popitem(last=False)

    def succeeded(self, name: str, client: str, *, device: str | None = None) -> None:
        """The right password: this client (or device) starts afresh for this account."""
        with self._lock:
            for key, _rule in self._keys(name, client, device)[:1]:
                self._records.pop(key, None)
