"""Workers and answer ownership: an answer whose worker died is interrupted at once,
one whose client left or whose server stopped says so, and a live worker's answer
is never touched (issue 10, defect 8). Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

import pytest

from precepteur.store import workers
from precepteur.store.conversations import add_message, create_conversation
from precepteur.store.models import Message, User
from precepteur.store.runtime_models import AnswerOwner, Worker

T0 = datetime(2026, 3, 2, 8, 30, tzinfo=timezone.utc)
HOST = "salle-info"


def alive_except(*dead_pids: int):
    return lambda pid: pid not in dead_pids


@pytest.fixture
def answer(db):
    """A factory of unfinished answers, each claimed by a worker (or by nobody)."""
    with db.session() as s:
        user = User(name="lea", role="learner")
        s.add(user)
        s.flush()
        conversation = create_conversation(s, user, title="t", level="6e", mode="explain", model="m")
        conversation_id = conversation.id

    def make(worker_id: str | None, *, updated_at=T0, error=None) -> int:
        with db.session() as s:
            from precepteur.store.models import Conversation

            conv = s.get(Conversation, conversation_id)
            message = add_message(s, conv, "assistant", "début", complete=False, model="m")
            message.updated_at, message.error = updated_at, error
            if worker_id is not None:
                workers.claim(s, message.id, worker_id)
            return message.id

    return make


def states(db) -> dict[int, tuple[bool, str | None]]:
    with db.session() as s:
        return {m.id: (m.complete, m.error) for m in s.query(Message).order_by(Message.id)}


def test_a_worker_whose_process_is_gone_loses_its_answers_at_once(db, answer):
    with db.session() as s:
        workers.register(s, "old", HOST, 4242, now=T0)
        workers.register(s, "me", HOST, 5000, now=T0)
    crashed = answer("old")
    with db.session() as s:
        marked = workers.sweep(s, "me", HOST, now=T0 + timedelta(seconds=3), alive=alive_except(4242))
    assert marked == 1
    assert states(db)[crashed] == (False, workers.INTERRUPTED)
    with db.session() as s:
        assert [w.id for w in s.query(Worker)] == ["me"]
        assert s.query(AnswerOwner).count() == 0


def test_a_live_worker_keeps_its_answers(db, answer):
    with db.session() as s:
        workers.register(s, "other", HOST, 4242, now=T0)
        workers.register(s, "remote", "autre-machine", 4242, now=T0)
        workers.register(s, "me", HOST, 5000, now=T0)
    streaming = [answer("other"), answer("remote")]
    with db.session() as s:
        assert workers.sweep(s, "me", HOST, now=T0 + timedelta(seconds=30), alive=alive_except()) == 0
    assert [states(db)[i] for i in streaming] == [(False, None), (False, None)]


def test_a_worker_on_another_host_is_dead_once_its_heartbeat_is_old(db, answer):
    with db.session() as s:
        workers.register(s, "remote", "autre-machine", 77, now=T0)
        workers.register(s, "me", HOST, 5000, now=T0 + workers.DEAD_AFTER)
    stale = answer("remote")
    with db.session() as s:
        assert workers.sweep(s, "me", HOST, now=T0 + workers.DEAD_AFTER - timedelta(seconds=1)) == 0
        assert workers.sweep(s, "me", HOST, now=T0 + workers.DEAD_AFTER) == 1
    assert states(db)[stale] == (False, workers.INTERRUPTED)


def test_a_worker_with_this_process_pid_is_a_previous_life(db, answer):
    """In a container the restarted server often gets the same pid as the one that died."""
    with db.session() as s:
        workers.register(s, "before-restart", HOST, os.getpid(), now=T0)
        workers.register(s, "me", HOST, os.getpid(), now=T0)
    crashed = answer("before-restart")
    with db.session() as s:
        assert workers.sweep(s, "me", HOST, now=T0, alive=alive_except()) == 1
    assert states(db)[crashed] == (False, workers.INTERRUPTED)


def test_cancelled_and_stopped_answers_keep_their_state(db, answer):
    with db.session() as s:
        workers.register(s, "old", HOST, 4242, now=T0)
        workers.register(s, "me", HOST, 5000, now=T0)
    cancelled = answer(None, error=workers.CANCELLED)
    stopped = answer(None, error=workers.STOPPED)
    owned_but_cancelled = answer("old", error=workers.CANCELLED)
    with db.session() as s:
        workers.sweep(s, "me", HOST, now=T0 + timedelta(hours=1), alive=alive_except(4242))
    assert states(db)[cancelled] == (False, workers.CANCELLED)
    assert states(db)[stopped] == (False, workers.STOPPED)
    assert states(db)[owned_but_cancelled] == (False, workers.CANCELLED)


def test_unowned_unfinished_answers_wait_for_the_stale_delay(db, answer):
    with db.session() as s:
        workers.register(s, "me", HOST, 5000, now=T0)
    recent = answer(None, updated_at=T0 - timedelta(seconds=10))
    old = answer(None, updated_at=T0 - timedelta(seconds=61))
    with db.session() as s:
        assert workers.sweep(s, "me", HOST, now=T0, alive=alive_except()) == 1
    assert states(db)[recent] == (False, None)
    assert states(db)[old] == (False, workers.INTERRUPTED)


def test_heartbeat_registers_again_a_worker_swept_by_mistake_and_unregister_forgets(db, answer):
    with db.session() as s:
        workers.heartbeat(s, "me", HOST, 5000, now=T0)
    mine = answer("me")
    with db.session() as s:
        worker = s.get(Worker, "me")
        assert (worker.host, worker.pid, worker.heartbeat_at) == (HOST, 5000, T0)
        workers.heartbeat(s, "me", HOST, 5000, now=T0 + timedelta(seconds=10))
    with db.session() as s:
        assert s.get(Worker, "me").heartbeat_at == T0 + timedelta(seconds=10)
        workers.unregister(s, "me")
    with db.session() as s:
        assert s.get(Worker, "me") is None and s.get(AnswerOwner, mine) is None


@pytest.mark.parametrize(("complete", "error", "state"), [
    (True, None, "complete"), (False, None, "streaming"), (False, "cancelled", "cancelled"),
    (False, "stopped", "stopped"), (False, "interrupted", "interrupted"),
    (False, "web.error.answer_failed", "failed"),
])
def test_answer_state_in_one_word(complete, error, state):
    assert workers.answer_state(complete, error) == state


def test_pid_alive_tells_this_process_from_a_missing_one():
    assert workers.pid_alive(os.getpid())
    assert not workers.pid_alive(0)
    assert not workers.pid_alive(2**22 + 12345)  # above Linux's pid_max
