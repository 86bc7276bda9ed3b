"""Where the queue lives: the `GateStore` interface and its in-process default.

One PC needs no Redis: `LocalGateStore` keeps the fair queue (`gate.fair`), the
quota counters, the measured timings and recent waits in this process, under
one lock. Several web workers share one queue through `RedisGateStore`
(`gate.redis_store`), which runs the same transitions as atomic Lua scripts.

Running requests are leases: `dispatch` gives a running ticket LEASE_TTL_S
seconds, `heartbeat` renews it, and a lease not renewed (its worker crashed)
expires and its slot comes back at the next `dispatch`. A waiting ticket not
heartbeaten for HEARTBEAT_TIMEOUT_S is dropped. Every method takes `now`
(Unix seconds) so tests drive the clock.

Constants: LEASE_TTL_S, HEARTBEAT_TIMEOUT_S, TIMINGS_KEPT, WAIT_WINDOW_S.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections import deque
from dataclasses import dataclass, field

from .eta import ENTRY_WINDOW_S, Timing
from .fair import FairQueue, Ticket
from .quota import WINDOWS, Decision, Quota, counter_key, decide

LEASE_TTL_S = 5.0
HEARTBEAT_TIMEOUT_S = 15.0
TIMINGS_KEPT = 500
WAIT_WINDOW_S = 15 * 60
QUEUE_FULL = "queue_full"
WAITING, RUNNING = "waiting", "running"


@dataclass(frozen=True)
class Bounds:
    """How much may wait: beyond either bound a new request is refused (503)."""

    max_waiting_requests: int
    max_waiting_tokens: int


@dataclass(frozen=True)
class RunningTicket:
    ticket: Ticket
    started: float
    generated: int = 0


@dataclass(frozen=True)
class Snapshot:
    """The queue as it stands: waiting tickets in run order, running ones."""

    waiting: list[Ticket]
    running: list[RunningTicket]
    counters: dict[str, float] = field(default_factory=dict)

    def position(self, ticket_id: str) -> int | None:
        """1 for the next to run; None when the ticket is not waiting."""
        for index, ticket in enumerate(self.waiting):
            if ticket.id == ticket_id:
                return index + 1
        return None


@dataclass(frozen=True)
class Dispatched:
    started: list[str]
    dropped: list[str]  # waiting tickets without heartbeat, and expired leases


class GateStore(ABC):
    """The shared queue, quotas and measures of one service."""

    def __init__(self, slots: int, policy: str = "vtc") -> None:
        self.slots = max(1, slots)
        self.policy = policy

    @abstractmethod
    def submit(self, ticket: Ticket, bounds: Bounds, now: float) -> str | None:
        """Queue the ticket (its `seq` is assigned here); None, LEARNER_BUSY or QUEUE_FULL."""

    @abstractmethod
    def dispatch(self, now: float) -> Dispatched:
        """Drop stale tickets and expired leases, then start what the free slots allow."""

    @abstractmethod
    def states(self, ticket_ids: list[str]) -> dict[str, str | None]:
        """WAITING, RUNNING or None (gone) for each ticket."""

    @abstractmethod
    def heartbeat(self, ticket_ids: list[str], now: float) -> None:
        """These tickets' clients are still there: renew waiting tickets and running leases."""

    @abstractmethod
    def charge(self, ticket_id: str, tokens: float, generated: int) -> None:
        """`tokens` more generated tokens for the ticket's learner (`generated`: its total so far)."""

    @abstractmethod
    def release(self, ticket_id: str) -> bool:
        """The ticket leaves (finished, failed, cancelled); False when it was already gone."""

    @abstractmethod
    def snapshot(self) -> Snapshot:
        """The queue now (for positions, estimates and the status page)."""

    @abstractmethod
    def consume(self, learner: str, quota: Quota, tokens: int, now: float) -> Decision:
        """Check the quota and, when allowed, count one request and `tokens` (atomically)."""

    @abstractmethod
    def add_tokens(self, learner: str, tokens: int, now: float) -> None:
        """Count generated tokens against the token quotas."""

    @abstractmethod
    def record_timing(self, timing: Timing) -> None:
        """Keep one finished answer's timing."""

    @abstractmethod
    def record_wait(self, waited_s: float, now: float) -> None:
        """Keep the wait of a request that just started."""

    @abstractmethod
    def record_floor(self, floor: float, now: float) -> None:
        """Keep the queue's floor (smallest counter waiting) as a new ticket found it (`eta.floor_rise`)."""

    @abstractmethod
    def floors(self, now: float) -> list[tuple[float, float]]:
        """(time, floor) samples of the last eta.ENTRY_WINDOW_S."""

    @abstractmethod
    def timings(self) -> list[Timing]:
        """The last TIMINGS_KEPT timings, oldest first."""

    @abstractmethod
    def waits(self, now: float) -> list[float]:
        """Waits (seconds) of the requests started in the last WAIT_WINDOW_S."""

    def close(self) -> None:
        """Let go of connections."""


class LocalGateStore(GateStore):
    """The queue in this process (one web worker)."""

    def __init__(self, slots: int, policy: str = "vtc") -> None:
        super().__init__(slots, policy)
        self._lock = threading.Lock()
        self._queue = FairQueue(policy=policy)
        self._seq = 0
        self._seen: dict[str, float] = {}
        self._lease: dict[str, float] = {}
        self._started: dict[str, float] = {}
        self._generated: dict[str, int] = {}
        self._usage: dict[str, int] = {}
        self._timings: deque[Timing] = deque(maxlen=TIMINGS_KEPT)
        self._waits: deque[tuple[float, float]] = deque()
        self._floors: deque[tuple[float, float]] = deque()

    def submit(self, ticket: Ticket, bounds: Bounds, now: float) -> str | None:
        from dataclasses import replace

        with self._lock:
            refused = self._queue.refusal(ticket.learner)
            if refused is not None:
                return refused
            waiting = self._queue.waiting_tickets()
            if (len(waiting) >= bounds.max_waiting_requests
                    or sum(t.prompt_tokens for t in waiting) + ticket.prompt_tokens > bounds.max_waiting_tokens):
                return QUEUE_FULL
            self._seq += 1
            self._queue.enter(replace(ticket, seq=self._seq))
            self._seen[ticket.id] = now
            return None

    def dispatch(self, now: float) -> Dispatched:
        with self._lock:
            dropped = [tid for tid, seen in self._seen.items() if now - seen > HEARTBEAT_TIMEOUT_S]
            dropped += [tid for tid, until in self._lease.items() if until < now]
            for tid in dropped:
                self._forget(tid)
            started = self._queue.dispatch(self.slots - len(self._queue.running))
            for ticket in started:
                self._seen.pop(ticket.id, None)
                self._lease[ticket.id] = now + LEASE_TTL_S
                self._started[ticket.id] = now
            return Dispatched([t.id for t in started], dropped)

    def states(self, ticket_ids: list[str]) -> dict[str, str | None]:
        with self._lock:
            return {tid: RUNNING if tid in self._queue.running else (WAITING if tid in self._seen else None)
                    for tid in ticket_ids}

    def heartbeat(self, ticket_ids: list[str], now: float) -> None:
        with self._lock:
            for tid in ticket_ids:
                if tid in self._seen:
                    self._seen[tid] = now
                elif tid in self._lease:
                    self._lease[tid] = now + LEASE_TTL_S

    def charge(self, ticket_id: str, tokens: float, generated: int) -> None:
        with self._lock:
            ticket = self._queue.running.get(ticket_id)
            if ticket is not None:
                self._queue.charge(ticket, tokens)
                self._generated[ticket_id] = generated

    def release(self, ticket_id: str) -> bool:
        with self._lock:
            return self._forget(ticket_id)

    def _forget(self, ticket_id: str) -> bool:
        for table in (self._seen, self._lease, self._started, self._generated):
            table.pop(ticket_id, None)
        return self._queue.cancel(ticket_id) is not None

    def snapshot(self) -> Snapshot:
        with self._lock:
            running = [RunningTicket(t, self._started.get(t.id, 0.0), self._generated.get(t.id, 0))
                       for t in self._queue.running.values()]
            return Snapshot(self._queue.waiting_tickets(), running, dict(self._queue.counters))

    def consume(self, learner: str, quota: Quota, tokens: int, now: float) -> Decision:
        with self._lock:
            decision = decide(self._usage, learner, quota, tokens, now)
            if decision.allowed:
                for window in WINDOWS:
                    self._add(counter_key(learner, window, "requests", now), 1)
                    self._add(counter_key(learner, window, "tokens", now), tokens)
                self._expire(now)
            return decision

    def add_tokens(self, learner: str, tokens: int, now: float) -> None:
        with self._lock:
            for window in WINDOWS:
                self._add(counter_key(learner, window, "tokens", now), tokens)

    def _add(self, key: str, amount: int) -> None:
        self._usage[key] = self._usage.get(key, 0) + amount

    def _expire(self, now: float) -> None:
        """Forget counters of windows that ended (keys end with their window's start)."""
        if len(self._usage) < 4096:
            return
        for key in list(self._usage):
            window, start = key.split(":")[-3], int(key.rsplit(":", 1)[1])
            if start + WINDOWS[window] <= now:
                del self._usage[key]

    def record_timing(self, timing: Timing) -> None:
        with self._lock:
            self._timings.append(timing)

    def _keep(self, samples: deque, value: float, now: float, window_s: float) -> None:
        """Append `(now, value)` to `samples`, dropping those older than `window_s`."""
        with self._lock:
            samples.append((now, value))
            while samples and samples[0][0] < now - window_s:
                samples.popleft()

    def record_wait(self, waited_s: float, now: float) -> None:
        self._keep(self._waits, waited_s, now, WAIT_WINDOW_S)

    def record_floor(self, floor: float, now: float) -> None:
        self._keep(self._floors, floor, now, ENTRY_WINDOW_S)

    def floors(self, now: float) -> list[tuple[float, float]]:
        with self._lock:
            return [(at, f) for at, f in self._floors if at >= now - ENTRY_WINDOW_S]

    def timings(self) -> list[Timing]:
        with self._lock:
            return list(self._timings)

    def waits(self, now: float) -> list[float]:
        with self._lock:
            return [w for at, w in self._waits if at >= now - WAIT_WINDOW_S]
