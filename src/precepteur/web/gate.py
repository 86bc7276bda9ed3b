"""The gate's web shell: admission, the honest wait and the end of every answer.

`Gate.admit(user, prompt_tokens)` is where an answer's place is taken, in this
order: kill switches (503 + the switch's Retry-After and message), the cohort's
prompt cap (413), the fair queue (`GateStore.submit`: a learner with one
running and one waiting request gets 429, a full queue 503 with Retry-After =
the projected drain time), then the cohort's quota (429 with Retry-After = the
window's reset). The refused request has stored nothing.

The returned `Turn` is the place: it waits for its slot (`waiting()` yields
the place and wait estimate every WAIT_UPDATE_S), starts the answer, and gives
the place back exactly once (`_end`, from the answer thread's end, or `leave`
when the learner goes away first). One pump task per worker, every PUMP_S,
asks the store to dispatch (any worker may start any ticket: the store is
shared), wakes the local turns whose ticket now runs, heartbeats the local
tickets every HEARTBEAT_EVERY_S (so a worker that dies loses its leases in
`gate.store.LEASE_TTL_S`), and charges streamed tokens to the fair queue
every CHARGE_EVERY_S (generated tokens estimated from the text at
CHARS_PER_TOKEN, corrected by the real count at the end).

Constants: PUMP_S, WAIT_UPDATE_S, HEARTBEAT_EVERY_S, CHARGE_EVERY_S, SNAPSHOT_EVERY_S,
MEASURES_EVERY_S, SWITCHES_EVERY_S, COHORT_CACHE_S, CHARS_PER_TOKEN, SYSTEM_PROMPT_TOKENS,
FALLBACK_ANSWER_S.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import math
import threading
import time
import uuid
from collections.abc import AsyncIterator
from importlib import resources

from ..config import Settings
from ..gate import eta
from ..gate.cohorts import Cohort, Switches, load_cohorts
from ..gate.fair import LEARNER_BUSY, Ticket
from ..gate.store import QUEUE_FULL, RUNNING, Bounds, GateStore, LocalGateStore, Snapshot
from ..store import workers
from .errors import WebError

log = logging.getLogger("precepteur.web.gate")

PUMP_S = 0.1
WAIT_UPDATE_S = 2.0
HEARTBEAT_EVERY_S = 1.0
CHARGE_EVERY_S = 0.5
SNAPSHOT_EVERY_S = 0.5
MEASURES_EVERY_S = 2.0
SWITCHES_EVERY_S = 2.0
COHORT_CACHE_S = 5.0
CHARS_PER_TOKEN = 4.0
SYSTEM_PROMPT_TOKENS = 350
FALLBACK_ANSWER_S = 10.0
WAITING, STARTED, ENDED = "waiting", "started", "ended"


def build_store(settings: Settings, slots: int) -> GateStore:
    """Redis when `settings.redis_url` is set (several workers share it), else in process."""
    if settings.redis_url:
        from ..gate.redis_store import RedisGateStore

        return RedisGateStore(settings.redis_url, slots, settings.gate_policy, prefix=settings.redis_prefix)
    return LocalGateStore(slots, settings.gate_policy)


def prompt_version() -> str:
    """A short hash of the tutor's prompt sources: it changes whenever the prompts do."""
    digest = hashlib.sha256()
    for name in ("prompts.py", "pipeline.py"):
        digest.update((resources.files("precepteur.tutor") / name).read_bytes())
    return "p-" + digest.hexdigest()[:10]


def estimate_prompt_tokens(question: str, history: list[dict] | tuple = ()) -> int:
    """The prompt's size before the tutor builds it: system prompt + history + question."""
    chars = len(question) + sum(len(turn.get("content", "")) for turn in history)
    return SYSTEM_PROMPT_TOKENS + math.ceil(chars / CHARS_PER_TOKEN)


class Turn:
    """One admitted request: its ticket, its wait, its answer, and the place given back once."""

    def __init__(self, gate: Gate, ticket: Ticket, cohort: Cohort) -> None:
        self.gate = gate
        self.ticket = ticket
        self.cohort = cohort
        self.state = WAITING
        self.submitted = time.time()
        self.started_at: float | None = None
        self.granted = asyncio.Event()
        self.finished = threading.Event()
        self.dropped = False
        self.job = None
        self.message_id: int | None = None
        self.first_estimate: dict | None = None
        self.charged_chars = 0
        self._lock = threading.Lock()

    @property
    def id(self) -> str:
        return self.ticket.id

    def update(self) -> dict:
        """The place and wait now, as the page shows them (`estimate` None: "estimation en cours")."""
        place, estimate = self.gate.place_of(self.ticket, fresh=self.first_estimate is None)
        update = {"ticket": self.id, "place": place,
                  "estimate": estimate.to_dict() if estimate is not None else None}
        if self.first_estimate is None:
            self.first_estimate = update
        return update

    async def waiting(self) -> AsyncIterator[dict]:
        """Updates every WAIT_UPDATE_S until the slot is ours; 503 when the ticket was dropped."""
        self.gate.ensure_pump()  # only the pump grants the slot
        while not self.granted.is_set():
            yield self.update()
            try:
                await asyncio.wait_for(self.granted.wait(), WAIT_UPDATE_S)
            except asyncio.TimeoutError:
                pass
        if self.dropped:
            raise WebError(503, "gate.error.dropped", headers={"Retry-After": "1"})

    async def wait(self) -> None:
        """Wait for the slot without updates (whole answers)."""
        async for _update in self.waiting():
            pass

    def start(self, runner, request, *, tutor=None):
        """Run the answer in this turn's slot; the place comes back when it ends."""
        self.state = STARTED
        self.job = runner.start(request, message_id=self.message_id, tutor=tutor, on_end=self._end)
        return self.job

    def stop(self, reason: str = workers.CANCELLED) -> None:
        """The learner went away (or asked to leave): stop the answer, or leave the queue."""
        if self.job is not None:
            self.job.stop(reason)
        else:
            self.leave(reason)

    def leave(self, reason: str = workers.CANCELLED) -> None:
        """Give the place back before any answer started (the stored question keeps its empty answer)."""
        with self._lock:
            if self.state == ENDED or self.job is not None:
                return
            self.state = ENDED
        self.gate.forget(self)
        if self.message_id is not None:
            self.gate.abandon(self.message_id, reason)
        self.finished.set()
        self.dropped = True
        self.gate.call_in_loop(self.granted.set)  # a waiting stream stops waiting

    def _end(self, job) -> None:
        """From the answer thread: charge the real token count, record the timing, give the place back."""
        with self._lock:
            if self.state == ENDED:
                return
            self.state = ENDED
        try:
            self.gate.finished(self, job)
        finally:
            self.finished.set()


class Gate:
    """Admission for one web worker over a (possibly shared) `GateStore`."""

    def __init__(self, settings: Settings, store: GateStore, db, *, model_id: str, metrics=None) -> None:
        self.settings = settings
        self.store = store
        self.db = db
        self.model_id = model_id
        self.metrics = metrics
        self.cohorts = load_cohorts(settings.cohorts_path)
        self.bounds = Bounds(settings.waiting_requests_limit, settings.max_waiting_tokens)
        self.prompt_version = prompt_version()
        self._turns: dict[str, Turn] = {}
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._snapshot_at = 0.0
        self._measures: eta.Measures | None = None
        self._measures_at = 0.0
        self._switches: Switches | None = None
        self._switches_at = 0.0
        self._members: dict[int, tuple[float, str]] = {}
        self._pump: asyncio.Task | None = None
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    # -- who and which cohort ------------------------------------------------------------
    def cohort_for(self, user) -> Cohort:
        """The cohort of this account (cached COHORT_CACHE_S)."""
        from ..store.gate import cohort_of

        now = time.monotonic()
        cached = self._members.get(user.id)
        if cached is None or now - cached[0] > COHORT_CACHE_S:
            with self.db.session() as s:
                name = cohort_of(s, user.id, self.settings.default_cohort)
            cached = (now, name)
            self._members[user.id] = cached
        return self.cohorts.get(cached[1]) or self.cohorts[self.settings.default_cohort]

    def forget_member(self, user_id: int) -> None:
        self._members.pop(user_id, None)

    def switches(self) -> Switches:
        """The kill switches (read from the database at most every SWITCHES_EVERY_S)."""
        from ..store.gate import load_switches

        now = time.monotonic()
        if self._switches is None or now - self._switches_at > SWITCHES_EVERY_S:
            with self.db.session() as s:
                self._switches = load_switches(s)
            self._switches_at = now
        return self._switches

    def refresh_switches(self) -> None:
        self._switches = None

    def headers(self, cohort: Cohort) -> dict[str, str]:
        """What every answer says about what produced it."""
        return {
            "X-Model-Version": cohort.model or self.model_id,
            "X-Prompt-Version": cohort.prompt_version or self.prompt_version,
            "X-Cohort": cohort.name,
        }

    # -- admission ------------------------------------------------------------------------
    def admit(self, user, prompt_tokens: int) -> Turn:
        """Take a place for this learner's request, or raise 413 / 429 / 503 with Retry-After."""
        cohort = self.cohort_for(user)
        switch = self.switches().blocking(cohort.name)
        if switch is not None:
            raise WebError(503, "gate.error.killed", headers={"Retry-After": str(switch.retry_after)},
                           message=switch.message, seconds=switch.retry_after)
        if cohort.max_prompt_tokens is not None and prompt_tokens > cohort.max_prompt_tokens:
            raise WebError(413, "gate.error.prompt_too_long", tokens=prompt_tokens, limit=cohort.max_prompt_tokens)
        learner = f"u{user.id}"
        ticket = Ticket(id=uuid.uuid4().hex, learner=learner, prompt_tokens=prompt_tokens,
                        weight=cohort.weight, cohort=cohort.name, arrived=time.time())
        now = time.time()
        refused = self.store.submit(ticket, self.bounds, now)
        if refused == LEARNER_BUSY:
            seconds = self.drain_seconds(learner)
            raise WebError(429, "gate.error.learner_busy", headers={"Retry-After": str(seconds)}, seconds=seconds)
        if refused == QUEUE_FULL:
            seconds = self.drain_seconds()
            waiting = len(self.snapshot(fresh=True).waiting)
            raise WebError(503, "gate.error.queue_full", headers={"Retry-After": str(seconds)},
                           waiting=waiting, seconds=seconds)
        decision = self.store.consume(learner, cohort.quota, prompt_tokens, now)
        if not decision.allowed:
            self.store.release(ticket.id)
            key = f"gate.error.quota_{decision.kind}_{decision.window}"
            raise WebError(429, key, headers={"Retry-After": str(decision.retry_after)},
                           limit=decision.limit, seconds=decision.retry_after)
        turn = Turn(self, ticket, cohort)
        with self._lock:
            self._turns[ticket.id] = turn
        self.wake()
        return turn

    def turn(self, ticket_id: str) -> Turn | None:
        with self._lock:
            return self._turns.get(ticket_id)

    def waiting_count(self) -> int:
        return len(self.snapshot().waiting)

    # -- estimates --------------------------------------------------------------------------
    def snapshot(self, fresh: bool = False) -> Snapshot:
        now = time.monotonic()
        if fresh or self._snapshot is None or now - self._snapshot_at > SNAPSHOT_EVERY_S:
            self._snapshot = self.store.snapshot()
            self._snapshot_at = now
        return self._snapshot

    def measures(self) -> eta.Measures:
        now = time.monotonic()
        if self._measures is None or now - self._measures_at > MEASURES_EVERY_S:
            self._measures = eta.Measures.of(self.store.timings())
            self._measures_at = now
        return self._measures

    def _estimate(self, ahead: list[Ticket], snapshot: Snapshot, excess: float = 0.0,
                  rise_per_s: float = 0.0) -> eta.Estimate | None:
        now = time.time()
        running = [eta.Running(r.ticket.prompt_tokens, r.ticket.cohort, max(0.0, now - r.started), r.generated)
                   for r in snapshot.running]
        return eta.estimate(self.measures(), [eta.Ahead(t.prompt_tokens, t.cohort) for t in ahead], running,
                            self.store.slots, excess, rise_per_s)

    def place_of(self, ticket: Ticket, fresh: bool = False) -> tuple[int, eta.Estimate | None]:
        """The ticket's place (1: next) and its wait estimate, until the queue's floor reaches it.
        `fresh` (the ticket's first update) reads the queue now and samples its floor."""
        snapshot = self.snapshot(fresh=fresh)
        position = snapshot.position(ticket.id)
        if position is None:  # just submitted, not yet in the cached snapshot: behind everyone
            ahead = snapshot.waiting
            position = len(ahead) + 1
        else:
            ahead = snapshot.waiting[: position - 1]
        now = time.time()
        floor = eta.floor_of(snapshot.counters, [t.learner for t in snapshot.waiting])
        if floor is None:
            return position, self._estimate(ahead, snapshot)
        if fresh:
            self.store.record_floor(floor, now)
        excess = max(0.0, snapshot.counters.get(ticket.learner, floor) - floor)
        return position, self._estimate(ahead, snapshot, excess, eta.floor_rise(self.store.floors(now), now))

    def drain_seconds(self, learner: str | None = None) -> int:
        """Whole seconds until the queue (or this learner's waiting request) is served."""
        snapshot = self.snapshot(fresh=True)
        ahead = snapshot.waiting
        if learner is not None:
            mine = [i for i, t in enumerate(ahead) if t.learner == learner]
            ahead = ahead[: mine[0] + 1] if mine else []
        estimate = self._estimate(ahead, snapshot)
        if estimate is None:
            seconds = (len(ahead) + len(snapshot.running)) * FALLBACK_ANSWER_S / self.store.slots
        else:
            seconds = estimate.seconds
        return max(1, math.ceil(seconds))

    def waits(self) -> list[float]:
        return self.store.waits(time.time())

    # -- the end of a turn -----------------------------------------------------------------
    def forget(self, turn: Turn) -> None:
        with self._lock:
            self._turns.pop(turn.id, None)
        self.store.release(turn.id)
        self.wake()

    def finished(self, turn: Turn, job) -> None:
        """An answer ended (thread side): exact tokens charged, timing kept, place given back."""
        result = job.result
        try:
            if result is not None and result.completion_tokens:
                estimated = turn.charged_chars / CHARS_PER_TOKEN
                self.store.charge(turn.id, result.completion_tokens - estimated, result.completion_tokens)
                self.store.add_tokens(turn.ticket.learner, result.completion_tokens, time.time())
                if job.first_at is not None and job.started_at is not None:
                    self.store.record_timing(eta.Timing(
                        turn.cohort.name, result.prompt_tokens or turn.ticket.prompt_tokens,
                        result.completion_tokens, job.first_at - job.started_at,
                        job.ended_at - job.started_at))
        except Exception:  # a store hiccup must not keep the slot
            log.exception("gate bookkeeping failed", extra={"ticket": turn.id})
        finally:
            self.forget(turn)

    def abandon(self, message_id: int, reason: str) -> None:
        """A stored question whose learner left before her answer started."""
        from ..store.conversations import update_message

        try:
            with self.db.session() as s:
                update_message(s, message_id, content="", complete=False, error=reason)
                workers.release(s, message_id)
        except Exception:
            log.exception("could not mark the abandoned answer", extra={"message_id": message_id})

    # -- the pump ----------------------------------------------------------------------------
    def wake(self) -> None:
        """Run the pump now (from any thread)."""
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None:
            try:
                loop.call_soon_threadsafe(wake.set)
            except RuntimeError:
                pass

    def call_in_loop(self, callback) -> None:
        """Run `callback` in the event loop (asyncio objects are not thread-safe)."""
        loop = self._loop
        if loop is None:
            callback()
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            callback()
        else:
            try:
                loop.call_soon_threadsafe(callback)
            except RuntimeError:
                pass

    def ensure_pump(self) -> None:
        """Start this worker's pump in the running event loop (once)."""
        if self._pump is not None and not self._pump.done():
            return
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._pump = self._loop.create_task(self._run_pump())

    async def _run_pump(self) -> None:
        last_beat = last_charge = 0.0
        while True:
            try:
                now = time.time()
                self.store.dispatch(now)
                with self._lock:
                    turns = list(self._turns.values())
                waiting = [t for t in turns if not t.granted.is_set()]
                if waiting:
                    states = self.store.states([t.id for t in waiting])
                    for turn in waiting:
                        state = states.get(turn.id)
                        if state == RUNNING:
                            turn.started_at = now
                            self.store.record_wait(now - turn.submitted, now)
                            turn.granted.set()
                        elif state is None:
                            turn.dropped = True
                            turn.granted.set()
                started = [t for t in turns if t.state == STARTED]
                if started and now - last_beat >= HEARTBEAT_EVERY_S:
                    states = self.store.states([t.id for t in started])
                    for turn in started:
                        if states.get(turn.id) is None and turn.job is not None:
                            turn.job.stop(workers.CANCELLED)  # released elsewhere (DELETE on another worker)
                if now - last_beat >= HEARTBEAT_EVERY_S:
                    self.store.heartbeat([t.id for t in turns], now)
                    last_beat = now
                if now - last_charge >= CHARGE_EVERY_S:
                    for turn in turns:
                        self._charge(turn)
                    last_charge = now
                if self.metrics is not None:
                    self.metrics.queue_length.set(len(waiting))
            except asyncio.CancelledError:
                raise
            except Exception:  # Redis away for a moment: keep pumping
                log.exception("gate pump failed")
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), PUMP_S)
            except asyncio.TimeoutError:
                pass

    def _charge(self, turn: Turn) -> None:
        job = turn.job
        if job is None or turn.state != STARTED:
            return
        chars = len(job.text)
        if chars > turn.charged_chars:
            tokens = (chars - turn.charged_chars) / CHARS_PER_TOKEN
            turn.charged_chars = chars
            self.store.charge(turn.id, tokens, int(chars / CHARS_PER_TOKEN))

    async def shutdown(self) -> None:
        """Stop the pump and give back this worker's waiting places."""
        if self._pump is not None:
            self._pump.cancel()
            try:
                await self._pump
            except (asyncio.CancelledError, Exception):
                pass
        with self._lock:
            turns = list(self._turns.values())
        for turn in turns:
            if turn.job is None:
                turn.leave(workers.STOPPED)
        self.store.close()
