"""GateStore on both backends: in process, and on a real redis-server (atomic Lua scripts).

The same seeded random sequences of transitions run on `FairQueue` and on each
store: the counters and dispatch orders must be identical.
"""

from __future__ import annotations

import random
import threading
import time

import pytest

from precepteur.gate.eta import Timing
from precepteur.gate.fair import LEARNER_BUSY, FairQueue, Ticket
from precepteur.gate.quota import Quota
from precepteur.gate.store import (
    HEARTBEAT_TIMEOUT_S, LEASE_TTL_S, QUEUE_FULL, RUNNING, WAITING, Bounds, LocalGateStore,
)

T0 = 1_700_000_000.0
WIDE = Bounds(max_waiting_requests=1000, max_waiting_tokens=10**9)


@pytest.fixture(params=["local", "redis"])
def make_store(request):
    made = []

    def make(slots: int = 1, policy: str = "vtc"):
        if request.param == "local":
            store = LocalGateStore(slots, policy)
        else:
            from precepteur.gate.redis_store import RedisGateStore

            url, prefix = request.getfixturevalue("redis_url")
            store = RedisGateStore(url, slots, policy, prefix=f"{prefix}:{len(made)}")
        made.append(store)
        return store

    yield make
    for store in made:
        store.close()


def t(n: int, learner: str, prompt: int, weight: float = 1.0) -> Ticket:
    return Ticket(id=f"t{n}", learner=learner, prompt_tokens=prompt, weight=weight)


def test_exact_sequence(make_store):
    store = make_store(slots=1)
    for n, learner, prompt in ((1, "a", 100), (2, "b", 300), (3, "c", 50)):
        assert store.submit(t(n, learner, prompt), WIDE, T0) is None
    assert store.dispatch(T0).started == ["t1"]
    assert store.dispatch(T0).started == []  # one slot
    store.charge("t1", 10, 10)
    assert store.snapshot().counters == {"a": 120.0, "b": 0.0, "c": 0.0}
    assert store.release("t1") and not store.release("t1")
    assert store.dispatch(T0).started == ["t2"]
    assert store.submit(t(4, "a", 10), WIDE, T0) is None  # backlogged again: max(120, min(c=0)) = 120
    store.release("t2")
    assert store.dispatch(T0).started == ["t3"]
    store.release("t3")
    assert store.dispatch(T0).started == ["t4"]
    assert store.snapshot().counters == {"a": 130.0, "b": 300.0, "c": 50.0}


@pytest.mark.parametrize("policy", ["vtc", "fcfs"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_store_matches_the_pure_queue(make_store, policy, seed):
    rng = random.Random(seed)
    slots = rng.choice([1, 2, 4])
    store, queue = make_store(slots, policy), FairQueue(policy=policy)
    seq = 0
    for _step in range(300):
        op = rng.random()
        if op < 0.45:
            seq += 1
            learner = f"l{rng.randrange(6)}"
            ticket = t(seq, learner, rng.randrange(1, 4000), rng.choice([1.0, 2.0, 0.5]))
            expected = queue.enter(Ticket(**{**ticket.to_dict(), "seq": seq}))
            got = store.submit(ticket, WIDE, T0)
            assert got == expected
            if got is not None:
                seq -= 1
        elif op < 0.7:
            expected = [x.id for x in queue.dispatch(slots - len(queue.running))]
            assert store.dispatch(T0).started == expected
        elif op < 0.85 and queue.running:
            tid = rng.choice(sorted(queue.running))
            tokens = rng.randrange(0, 300)
            queue.charge(queue.running[tid], tokens)
            store.charge(tid, tokens, tokens)
        elif queue.running or queue.waiting:
            tid = rng.choice(sorted([*queue.running, *(x.id for q in queue.waiting.values() for x in q)]))
            assert (queue.cancel(tid) is not None) == store.release(tid)
        snapshot = store.snapshot()
        assert snapshot.counters == pytest.approx(queue.counters)
        assert [x.id for x in snapshot.waiting] == [x.id for x in queue.waiting_tickets()]


def test_per_learner_and_global_bounds(make_store):
    store = make_store(slots=1)
    bounds = Bounds(max_waiting_requests=2, max_waiting_tokens=1000)
    assert store.submit(t(1, "a", 100), bounds, T0) is None
    assert store.submit(t(2, "a", 100), bounds, T0) == LEARNER_BUSY
    assert store.submit(t(3, "b", 901), bounds, T0) == QUEUE_FULL  # tokens
    assert store.submit(t(4, "b", 100), bounds, T0) is None
    assert store.submit(t(5, "c", 1), bounds, T0) == QUEUE_FULL  # requests
    store.dispatch(T0)
    assert store.submit(t(6, "a", 100), bounds, T0) is None  # one running + one waiting
    assert store.states(["t1", "t4", "t6", "t9"]) == {"t1": RUNNING, "t4": WAITING, "t6": WAITING, "t9": None}


def test_waiting_without_heartbeat_is_dropped_and_leases_expire(make_store):
    store = make_store(slots=1)
    store.submit(t(1, "a", 10), WIDE, T0)
    store.submit(t(2, "b", 10), WIDE, T0)
    store.submit(t(3, "c", 10), WIDE, T0)
    assert store.dispatch(T0).started == ["t1"]
    store.heartbeat(["t1", "t2"], T0 + HEARTBEAT_TIMEOUT_S - 1)  # t3's client went silent
    result = store.dispatch(T0 + HEARTBEAT_TIMEOUT_S + 0.5)
    assert result.dropped == ["t3"] and result.started == []
    # t1's worker died: its lease (renewed at T0 + 14) runs out, its slot comes back
    result = store.dispatch(T0 + HEARTBEAT_TIMEOUT_S - 1 + LEASE_TTL_S + 0.1)
    assert "t1" in result.dropped and result.started == ["t2"]


def test_quota_counts_and_refuses_until_the_window_resets(make_store):
    store = make_store()
    quota = Quota(requests_per_minute=2, tokens_per_day=500)
    now = T0 + 30  # 1_700_000_030: 10 s before the minute ends
    assert store.consume("alice", quota, 100, now).allowed
    assert store.consume("alice", quota, 100, now).allowed
    refused = store.consume("alice", quota, 100, now)
    assert (refused.allowed, refused.retry_after, refused.kind) == (False, 10, "requests")
    assert store.consume("bob", quota, 100, now).allowed  # per learner
    store.add_tokens("alice", 250, now + 20)
    refused = store.consume("alice", quota, 100, now + 20)  # new minute, but 450 + 100 > 500 tokens today
    assert (refused.allowed, refused.window, refused.kind) == (False, "day", "tokens")


def test_timings_and_waits_are_kept(make_store):
    store = make_store()
    store.record_timing(Timing("public", 10, 20, 0.5, 1.5))
    store.record_wait(3.0, T0)
    store.record_wait(4.0, T0 + 600)
    assert store.timings() == [Timing("public", 10, 20, 0.5, 1.5)]
    assert sorted(store.waits(T0 + 900)) == [3.0, 4.0]
    assert store.waits(T0 + 901) == [4.0]


def test_floor_samples_are_kept_for_the_entry_window(make_store):
    from precepteur.gate.eta import ENTRY_WINDOW_S

    store = make_store()
    store.record_floor(100.0, T0)
    store.record_floor(100.0, T0 + 1)  # the same floor twice: two samples
    store.record_floor(250.5, T0 + 30)
    assert sorted(store.floors(T0 + 30)) == [(T0, 100.0), (T0 + 1, 100.0), (T0 + 30, 250.5)]
    assert store.floors(T0 + 1 + ENTRY_WINDOW_S + 0.5) == [(T0 + 30, 250.5)]


def test_concurrent_dispatchers_never_exceed_the_slots(make_store):
    store = make_store(slots=3)
    for n in range(60):
        assert store.submit(t(n, f"l{n}", 10), WIDE, T0) is None
    peak, lock, errors = [0], threading.Lock(), []

    deadline = time.monotonic() + 20

    def worker():
        try:
            while store.snapshot().waiting and time.monotonic() < deadline:
                for tid in store.dispatch(T0).started:
                    running = sum(1 for state in store.states([f"t{n}" for n in range(60)]).values()
                                  if state == RUNNING)
                    with lock:
                        peak[0] = max(peak[0], running)
                    store.release(tid)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert 1 <= peak[0] <= 3
    assert store.snapshot().waiting == []
