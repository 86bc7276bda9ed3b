"""The Virtual Token Counter on exact sequences (counters and dispatch order checked)."""

from __future__ import annotations

import pytest

from precepteur.gate.fair import LEARNER_BUSY, FairQueue, Ticket


def ticket(n: int, learner: str, prompt: int, weight: float = 1.0) -> Ticket:
    return Ticket(id=f"t{n}", learner=learner, prompt_tokens=prompt, weight=weight, seq=n)


def test_smallest_counter_goes_next_and_prompt_is_charged_at_dispatch():
    q = FairQueue()
    assert q.enter(ticket(1, "a", 100)) is None
    assert q.enter(ticket(2, "b", 300)) is None
    assert q.enter(ticket(3, "c", 50)) is None
    # all at 0: the earlier ticket wins the tie
    assert [t.id for t in q.dispatch(1)] == ["t1"]
    assert q.counters == {"a": 100.0, "b": 0.0, "c": 0.0}
    assert [t.id for t in q.dispatch(1)] == ["t2"]
    assert q.counters == {"a": 100.0, "b": 300.0, "c": 0.0}
    q.charge(q.running["t1"], 10)  # 2 x generated tokens
    assert q.counters["a"] == 120.0
    assert q.finish("t1").id == "t1"
    assert q.enter(ticket(4, "a", 10)) is None  # becomes backlogged: lifted to min waiting (c: 0) -> stays 120
    assert q.counters["a"] == 120.0
    assert [t.id for t in q.dispatch(2)] == ["t3", "t4"]
    assert q.counters == {"a": 130.0, "b": 300.0, "c": 50.0}


def test_newly_backlogged_learner_is_lifted_to_the_smallest_waiting_counter():
    q = FairQueue(counters={"a": 500.0, "b": 200.0, "c": 0.0})
    q.enter(ticket(1, "b", 10))  # nobody waiting, last_left 0: keeps 200
    q.enter(ticket(2, "a", 10))  # max(500, min(200)) = 500
    assert q.counters == {"a": 500.0, "b": 200.0, "c": 0.0}
    q.enter(ticket(3, "c", 10))  # c (0) lifted to min(200, 500) = 200
    assert q.counters["c"] == 200.0
    # b and c tie on 200: b's ticket came first; a last
    assert [t.id for t in q.dispatch(3)] == ["t1", "t3", "t2"]
    assert q.counters == {"a": 510.0, "b": 210.0, "c": 210.0}


def test_empty_queue_lifts_to_the_counter_of_the_last_learner_who_left():
    q = FairQueue()
    q.enter(ticket(1, "a", 1000))
    q.dispatch(1)
    assert q.last_left == 0.0  # still running: still backlogged
    q.finish("t1")
    assert q.last_left == 1000.0
    q.enter(ticket(2, "b", 5))  # nobody waiting: b is lifted to 1000, banks no credit
    assert q.counters["b"] == 1000.0


def test_weight_divides_every_increment():
    q = FairQueue()
    q.enter(ticket(1, "w2", 100, weight=2.0))
    q.enter(ticket(2, "w1", 100))
    q.dispatch(2)
    assert q.counters == {"w2": 50.0, "w1": 100.0}
    q.charge(q.running["t1"], 25)
    assert q.counters["w2"] == 75.0


def test_at_most_one_running_and_one_waiting_per_learner():
    q = FairQueue()
    assert q.enter(ticket(1, "a", 10)) is None
    assert q.enter(ticket(2, "a", 10)) == LEARNER_BUSY  # already one waiting
    q.dispatch(4)
    assert q.enter(ticket(3, "a", 10)) is None  # one running + one waiting
    assert q.enter(ticket(4, "a", 10)) == LEARNER_BUSY
    assert q.dispatch(4) == []  # her second waits for her first
    q.finish("t1")
    assert [t.id for t in q.dispatch(4)] == ["t3"]


def test_a_heavy_learner_does_not_hold_the_others_up():
    """Always backlogged (each asks again while her answer runs): a (1,000-token prompts)
    vs b (100): b runs 10 times for a's one."""
    q = FairQueue()
    order = []
    seq = 0
    for _ in range(22):
        for learner, prompt in (("a", 1000), ("b", 100)):
            if not q.waiting.get(learner):
                seq += 1
                assert q.enter(ticket(seq, learner, prompt)) is None
        (started,) = q.dispatch(1)
        order.append(started.learner)
        seq += 1
        assert q.enter(ticket(seq, started.learner, 1000 if started.learner == "a" else 100)) is None
        q.finish(started.id)
    assert "".join(order) == "ab" + "b" * 9 + "ab" + "b" * 9


def test_a_learner_who_comes_back_after_idling_banks_no_credit():
    q = FairQueue()
    q.enter(ticket(1, "a", 1000))
    q.enter(ticket(2, "b", 100))
    q.dispatch(2)
    q.finish("t2")  # b idles, a's answer still runs
    q.enter(ticket(3, "a", 1000))
    q.enter(ticket(4, "b", 100))  # b becomes backlogged again: lifted to a's 1000
    assert q.counters == {"a": 1000.0, "b": 1000.0}


def test_fcfs_policy_ignores_counters():
    q = FairQueue(policy="fcfs", counters={"a": 1e6})
    q.enter(ticket(1, "a", 10))
    q.enter(ticket(2, "b", 10))
    assert [t.id for t in q.dispatch(2)] == ["t1", "t2"]


def test_cancel_a_waiting_or_running_ticket():
    q = FairQueue()
    q.enter(ticket(1, "a", 10))
    q.enter(ticket(2, "b", 10))
    q.dispatch(1)
    assert q.cancel("t2").id == "t2" and q.waiting == {}
    assert q.cancel("t1").id == "t1" and q.running == {}
    assert q.cancel("t9") is None


def test_waiting_tickets_are_listed_in_run_order():
    q = FairQueue(counters={"a": 10.0, "b": 30.0, "c": 20.0})
    for n, learner in enumerate("cba", start=1):
        q.enter(ticket(n, learner, 1))
    # c keeps 20; b keeps 30 (above 20); a is lifted from 10 to 20 and ties with c, who came first
    assert q.counters == {"a": 20.0, "b": 30.0, "c": 20.0}
    assert [t.learner for t in q.waiting_tickets()] == ["c", "a", "b"]


def test_unknown_policy_is_refused():
    with pytest.raises(ValueError):
        FairQueue(policy="lottery")
