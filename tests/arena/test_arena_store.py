"""The arena's rows on SQLite and PostgreSQL: contestants, one final vote, who is a minor,
what the board counts, the review queue, feedback on answers."""

from __future__ import annotations

import pytest

from precepteur.arena.ranking import fit
from precepteur.arena.votes import check_vote
from precepteur.errors import InputError
from precepteur.gate.accounts import create_user
from precepteur.store import arena as store
from precepteur.store.arena_models import ArenaVote
from precepteur.store.conversations import add_message, create_conversation


def _people(s):
    prof = create_user(s, "prof", "teacher")
    return {
        "prof": prof,
        "pupil": create_user(s, "pupil", "learner", teacher=prof, level="4e"),
        "adult": create_user(s, "adult", "learner", level="adulte"),
        "admin": create_user(s, "admin", "admin"),
    }


def _battle(s, user, a, b, question="Qu'est-ce qu'une boucle ?"):
    battle = store.create_battle(s, user, question=question, level="Terminale", lang="fr", library=None,
                                 pairing="random", anony=True, a=a, b=b)
    battle.answer_a, battle.answer_b = "réponse A", "réponse B"
    return battle


def test_contestants_and_one_final_vote(db):
    with db.session() as s:
        people = _people(s)
        a = store.add_contestant(s, "alpha", "scripted", prompt_version="explain-1")
        b = store.add_contestant(s, "beta", "scripted", prompt_version="socratic-1", temperature=0.7)
        with pytest.raises(InputError):
            store.add_contestant(s, "alpha", "scripted", prompt_version="explain-1")
        assert [c.name for c in store.list_contestants(s)] == ["alpha", "beta"]
        first = _battle(s, people["prof"], a, b)
        second = _battle(s, people["prof"], a, b)
        assert first.public_id != second.public_id and len(first.public_id) == 22
        store.record_vote(s, first, people["prof"], check_vote("a", ["correct"], ["incorrect"], role="teacher"))
        s.commit()
        assert first.state == "voted"
        assert store.vote_counts(s) == {a.id: 1, b.id: 1}
        [comparison] = store.comparisons(s)
        assert (comparison.a, comparison.b, comparison.verdict, comparison.role) == ("alpha", "beta", "a", "teacher")
        assert comparison.battle_id == first.public_id and comparison.judge == str(people["prof"].id)
        with pytest.raises(Exception):  # the database itself refuses a second vote
            s.add(ArenaVote(battle_id=first.id, judge_id=people["prof"].id, verdict="b", role="teacher"))
            s.flush()
        s.rollback()


def test_who_is_a_minor_and_who_is_in_a_cohort(db):
    with db.session() as s:
        people = _people(s)
        assert store.judge_facts(people["pupil"], None) == (True, True)
        assert store.judge_facts(people["adult"], None) == (False, False)
        assert store.judge_facts(people["adult"], "3e") == (True, False)  # declared a school level
        assert store.judge_facts(people["prof"], "adulte") == (False, False)
        a = store.add_contestant(s, "alpha", "scripted", prompt_version="explain-1")
        b = store.add_contestant(s, "beta", "scripted", prompt_version="explain-1")
        battle = _battle(s, people["pupil"], a, b)
        with pytest.raises(InputError) as refused:
            store.record_vote(s, battle, people["pupil"], check_vote("a", role="teacher"))
        assert refused.value.key == "arena.error.role_not_yours"
        vote = store.record_vote(s, battle, people["pupil"], check_vote("a", role="learner"))
        assert vote.minor and vote.cohort


def test_the_review_queue(db):
    with db.session() as s:
        people = _people(s)
        a = store.add_contestant(s, "alpha", "scripted", prompt_version="explain-1")
        b = store.add_contestant(s, "beta", "scripted", prompt_version="explain-1")
        calm = _battle(s, people["admin"], a, b, "Calme ?")
        store.record_vote(s, calm, people["admin"], check_vote("a", ["clear"], [], role="tester"))
        wrong = _battle(s, people["admin"], a, b, "Faux ?")
        store.record_vote(s, wrong, people["admin"], check_vote("a", [], ["incorrect"], role="tester"))
        bad = _battle(s, people["admin"], a, b, "Les deux ?")
        store.record_vote(s, bad, people["admin"], check_vote("both_bad", role="tester"))
        learner_says = _battle(s, people["adult"], a, b, "Désaccord ?")
        store.record_vote(s, learner_says, people["adult"], check_vote("a", role="learner"))
        teacher_says = _battle(s, people["prof"], b, a, "désaccord ?")  # same pair, sides swapped
        store.record_vote(s, teacher_says, people["prof"], check_vote("a", role="teacher"))  # beta wins
        queue = store.review_queue(s)
        assert {x.question for x in queue} == {"Faux ?", "Les deux ?", "Désaccord ?", "désaccord ?"}

        store.review_battle(s, wrong, people["prof"], "overturn", verdict="b")
        store.review_battle(s, bad, people["prof"], "exclude")
        with pytest.raises(InputError):
            store.review_battle(s, calm, people["prof"], "overturn", verdict="maybe")
        s.flush()
        assert {x.question for x in store.review_queue(s)} == {"Désaccord ?", "désaccord ?"}
        board = fit(store.comparisons(s))
        assert board.report["excluded"] == 1 and board.report["counted"] == 4
        teachers = store.comparisons(s, teacher_reviews=True)
        assert [c.verdict for c in teachers] == ["b"]


def test_feedback_on_answers_and_its_review(db):
    with db.session() as s:
        people = _people(s)
        pupil = people["pupil"]
        library_chat = create_conversation(s, pupil, title="t", level="4e", mode="explain", library="nsi",
                                           model="scripted")
        plain_chat = create_conversation(s, pupil, title="t", level="4e", mode="explain", model="scripted")
        question = add_message(s, library_chat, "user", "Q")
        on_library = add_message(s, library_chat, "assistant", "A")
        on_plain = add_message(s, plain_chat, "assistant", "B")
        assert store.visible_message(s, pupil, question.id) is None  # only answers take feedback
        assert store.visible_message(s, people["adult"], on_library.id) is None  # not hers
        assert store.visible_message(s, people["prof"], on_library.id) is not None  # her learner's
        store.add_feedback(s, pupil, on_library, "down", ["incorrect"], "", False)
        store.add_feedback(s, pupil, on_plain, "down", ["incorrect"], "", False)
        store.add_feedback(s, pupil, on_plain, "up", ["clear"], "merci", False)
        store.add_feedback(s, pupil, on_plain, "down", [], "bizarre", True)
        listed = store.list_feedback(s, people["prof"])
        assert len(listed) == 4 and store.list_feedback(s, create_user(s, "prof2", "teacher")) == []
        review = store.list_feedback(s, people["prof"], only_review=True)
        assert sorted((f.message_id, f.problem) for f, _m, _c in review) == [(on_library.id, False), (on_plain.id, True)]
