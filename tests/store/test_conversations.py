"""Conversations: who sees which, messages written before and during streaming,
history given back to the model, and answers cut by a crash."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from precepteur.errors import InputError
from precepteur.gate.access import can_see_conversation
from precepteur.store.conversations import (
    INTERRUPTED,
    add_message,
    create_conversation,
    get_conversation,
    history_for_model,
    list_conversations,
    mark_incomplete_on_startup,
    messages_of,
    update_message,
)
from precepteur.store.models import Conversation, Message, User

T0 = datetime(2025, 1, 27, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def school(db):
    """admin; teacher ana with learners a1, a2; teacher bob with learner b1; lone learner c.
    Each person owns one conversation, titled by their name, older to newer in that order."""
    names = {}
    with db.session() as s:
        def person(name, role, teacher=None):
            user = User(name=name, role=role, teacher_id=teacher.id if teacher else None)
            s.add(user)
            s.flush()
            return user

        admin = person("admin", "admin")
        ana = person("ana", "teacher")
        bob = person("bob", "teacher")
        a1, a2 = person("a1", "learner", ana), person("a2", "learner", ana)
        b1, c = person("b1", "learner", bob), person("c", "learner")
        for i, user in enumerate((admin, ana, bob, a1, a2, b1, c)):
            conversation = create_conversation(
                s, user, title=user.name, level="6e", mode="explain", library=None, model="m"
            )
            conversation.updated_at = T0 + timedelta(minutes=i)
            names[user.name] = (user, conversation.id)
    return names


def _titles(conversations):
    return [c.title for c in conversations]


@pytest.mark.parametrize(
    ("viewer", "visible"),
    [
        ("admin", ["c", "b1", "a2", "a1", "bob", "ana", "admin"]),
        ("ana", ["a2", "a1", "ana"]),
        ("bob", ["b1", "bob"]),
        ("a1", ["a1"]),
        ("c", ["c"]),
    ],
)
def test_list_conversations_follows_roles(db, school, viewer, visible):
    with db.session() as s:
        assert _titles(list_conversations(s, s.get(User, school[viewer][0].id))) == visible


def test_nobody_reads_someone_elses_conversation_by_id(db, school):
    allowed = {
        "admin": {"admin", "ana", "bob", "a1", "a2", "b1", "c"},
        "ana": {"ana", "a1", "a2"},
        "bob": {"bob", "b1"},
        "a1": {"a1"},
        "a2": {"a2"},
        "b1": {"b1"},
        "c": {"c"},
    }
    with db.session() as s:
        for viewer_name, may_see in allowed.items():
            viewer = s.get(User, school[viewer_name][0].id)
            for owner_name, (_, conversation_id) in school.items():
                found = get_conversation(s, viewer, conversation_id)
                if owner_name in may_see:
                    assert found is not None and found.title == owner_name, (viewer_name, owner_name)
                    assert can_see_conversation(viewer, found)
                else:
                    assert found is None, (viewer_name, owner_name)
            assert get_conversation(s, viewer, 10_000) is None


def test_disabled_accounts_see_nothing(db, school):
    with db.session() as s:
        ana = s.get(User, school["ana"][0].id)
        ana.disabled = True
        s.flush()
        assert list_conversations(s, ana) == []
        assert get_conversation(s, ana, school["ana"][1]) is None


def test_question_is_stored_before_generation_and_bumps_the_conversation(db, school):
    learner, conversation_id = school["a1"]
    with db.session() as s:
        conversation = s.get(Conversation, conversation_id)
        before = conversation.updated_at
        question = add_message(s, conversation, "user", "Combien de « e » dans « lettre » ?")
        answer = add_message(s, conversation, "assistant", "", complete=False, model="m")
        ids = (question.id, answer.id)
    with db.session() as s:  # another session (another worker) already sees both
        conversation = s.get(Conversation, conversation_id)
        assert conversation.updated_at > before
        stored = messages_of(s, conversation)
        assert [(m.id, m.role, m.content, m.complete) for m in stored] == [
            (ids[0], "user", "Combien de « e » dans « lettre » ?", True),
            (ids[1], "assistant", "", False),
        ]
        assert _titles(list_conversations(s, s.get(User, learner.id))) == ["a1"]


def test_answer_streams_from_a_worker_thread_with_its_own_session(db, school):
    with db.session() as s:
        conversation = s.get(Conversation, school["a1"][1])
        add_message(s, conversation, "user", "Qu'est-ce qu'une pile ?")
        answer_id = add_message(s, conversation, "assistant", "", complete=False, model="m").id
    seen_midway: list[str] = []

    def worker() -> None:
        tokens = ["Une ", "pile ", "est ", "une ", "structure ", "LIFO."]
        for i in range(len(tokens)):
            with db.session() as ws:
                update_message(ws, answer_id, content="".join(tokens[: i + 1]))
            if i == 2:
                with db.session() as rs:
                    seen_midway.append(rs.get(Message, answer_id).content)
        with db.session() as ws:
            update_message(
                ws, answer_id, complete=True, declined=False,
                citations=[{"document": "c1.md", "locator": "Piles", "quote": "LIFO"}],
                skills=[],
            )

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen_midway == ["Une pile est "]
    with db.session() as s:
        answer = s.get(Message, answer_id)
        assert (answer.content, answer.complete, answer.declined, answer.error) == (
            "Une pile est une structure LIFO.", True, False, None,
        )
        assert answer.citations == [{"document": "c1.md", "locator": "Piles", "quote": "LIFO"}]
        assert answer.updated_at >= answer.created_at


def test_update_of_an_unknown_message_and_bad_roles_are_refused(db, school):
    with db.session() as s:
        with pytest.raises(InputError):
            update_message(s, 424242, content="x")
        conversation = s.get(Conversation, school["c"][1])
        with pytest.raises(InputError):
            add_message(s, conversation, "system", "hello")


def test_history_leaves_out_empty_placeholders_and_the_question_being_answered(db, school):
    with db.session() as s:
        conversation = s.get(Conversation, school["c"][1])
        for role, content, complete in [
            ("user", "q1", True), ("assistant", "a1", True),
            ("user", "q2", True), ("assistant", "a2 partiel", False),
            ("user", "q3", True), ("assistant", "a3", True),
        ]:
            add_message(s, conversation, role, content, complete=complete)
        # Asked before the new question is stored: every answered turn.
        assert [m["content"] for m in history_for_model(s, conversation)] == [
            "q1", "a1", "q2", "a2 partiel", "q3", "a3",
        ]
        add_message(s, conversation, "user", "q4")
        add_message(s, conversation, "assistant", "", complete=False)
        history = history_for_model(s, conversation)
        assert history[0] == {"role": "user", "content": "q1"}
        assert [m["content"] for m in history] == ["q1", "a1", "q2", "a2 partiel", "q3", "a3"]
        assert history_for_model(s, conversation, max_turns=2) == [
            {"role": "user", "content": "q2"},
            {"role": "assistant", "content": "a2 partiel"},
            {"role": "user", "content": "q3"},
            {"role": "assistant", "content": "a3"},
        ]
        assert history_for_model(s, conversation, max_turns=0) == []


def test_answers_cut_by_a_crash_stay_stored_and_are_flagged(db, school):
    with db.session() as s:
        conversation = s.get(Conversation, school["c"][1])
        add_message(s, conversation, "user", "q")
        cut = add_message(s, conversation, "assistant", "début de répo", complete=False)
        cut.updated_at = T0
        fresh = add_message(s, conversation, "assistant", "en cours", complete=False)
        fresh.updated_at = T0 + timedelta(minutes=10)
        done = add_message(s, conversation, "assistant", "fini")
        done.updated_at = T0
        ids = (cut.id, fresh.id, done.id)
    now = T0 + timedelta(minutes=10, seconds=30)
    with db.session() as s:
        assert mark_incomplete_on_startup(s, now=now) == 1
    with db.session() as s:
        rows = s.execute(
            select(Message.id, Message.content, Message.complete, Message.error)
            .where(Message.id.in_(ids)).order_by(Message.id)
        ).all()
        assert [tuple(r) for r in rows] == [
            (ids[0], "début de répo", False, INTERRUPTED),
            (ids[1], "en cours", False, None),  # another worker may still be streaming it
            (ids[2], "fini", True, None),
        ]
        assert mark_incomplete_on_startup(s, now=now) == 0
        assert mark_incomplete_on_startup(s, now=now, stale_after=timedelta(0)) == 1


def test_history_of_a_long_conversation_reads_only_its_newest_messages(db, school):
    with db.session() as s:
        conversation = s.get(Conversation, school["c"][1])
        for i in range(300):
            add_message(s, conversation, "user", f"q{i}")
            add_message(s, conversation, "assistant", "" if i % 7 == 0 else f"a{i}", complete=i % 7 != 0)
    from sqlalchemy import event

    loaded = []

    def count(target, _context):
        loaded.append(target.id)

    event.listen(Message, "load", count)
    try:
        with db.session() as s:
            history = history_for_model(s, s.get(Conversation, school["c"][1]), max_turns=3)
    finally:
        event.remove(Message, "load", count)
    assert len(loaded) == 16  # one window of 4 x (3 + 1) messages, not 600
    assert history == [
        {"role": "user", "content": "q297"}, {"role": "assistant", "content": "a297"},
        {"role": "user", "content": "q298"}, {"role": "assistant", "content": "a298"},
        {"role": "user", "content": "q299"}, {"role": "assistant", "content": "a299"},
    ]
    with db.session() as s:
        rows = s.scalars(select(Message).where(Message.conversation_id == school["c"][1])).all()
    assert len(rows) == 600


def test_history_window_grows_past_empty_placeholders(db, school):
    with db.session() as s:
        conversation = s.get(Conversation, school["c"][1])
        add_message(s, conversation, "user", "la vraie question")
        add_message(s, conversation, "assistant", "la vraie réponse")
        for _ in range(100):  # many failed answers, then questions with no answer
            add_message(s, conversation, "assistant", "", complete=False)
        add_message(s, conversation, "user", "encore")
        assert history_for_model(s, conversation, max_turns=2) == [
            {"role": "user", "content": "la vraie question"}, {"role": "assistant", "content": "la vraie réponse"},
        ]
