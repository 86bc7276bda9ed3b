"""Classes, join codes, practice sessions, Elo and fsrs state on SQLite and PostgreSQL
(fixed clocks; SQLite's naive datetimes come back aware UTC)."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "learning"))

from items_fixtures import make  # noqa: E402

from precepteur.errors import InputError  # noqa: E402
from precepteur.gate.accounts import authenticate, create_user  # noqa: E402
from precepteur.learning.mastery import sigmoid  # noqa: E402
from precepteur.store import classes as rooms  # noqa: E402
from precepteur.store import practice  # noqa: E402
from precepteur.store.items import add_item  # noqa: E402
from precepteur.store.learning_models import ClassMember, ReviewCard, ReviewLogRow  # noqa: E402
from precepteur.store.privacy import delete_learner, export_learner, unclassified_tables  # noqa: E402

NOW = datetime(2025, 3, 10, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def seeded(db, fast_passwords):
    """A teacher, a class on library nsi, and 6 approved cloze items over two skills."""
    with db.session() as s:
        prof = create_user(s, "prof", "teacher", password="prof-password")
        room = rooms.create_class(s, "Terminale B", prof, level="Terminale", libraries=["nsi"])
        ids = [add_item(s, make("cloze", f"Question {i} : _____.", f"mot{i}", skill="piles" if i < 3 else "files")).id
               for i in range(6)]
        return {"prof": prof.id, "class": room.id, "items": ids}


def test_join_code_creates_a_pseudonymous_learner_of_the_class(db, seeded):
    with db.session() as s:
        room = rooms.get_class(s, seeded["class"])
        code = rooms.new_code(s, room, NOW)
        assert len(code.code) == 8 and set(code.code) <= set(rooms.CODE_ALPHABET)
        typed = code.code[:4].lower() + "-" + code.code[4:]
        user = rooms.join(s, typed, "renard", "un-mot-de-passe", NOW + timedelta(days=1))
        assert (user.role, user.level, user.teacher_id) == ("learner", "Terminale", seeded["prof"])
        assert rooms.learner_libraries(s, user.id) == {"nsi"}
        assert [c.id for c in rooms.classes_for(s, user)] == [seeded["class"]]
        assert authenticate(s, "renard", "un-mot-de-passe") is not None
        assert rooms.reset_password(s, room, "renard", "nouveau-mot-de-passe").id == user.id
        assert authenticate(s, "renard", "nouveau-mot-de-passe") is not None
        assert code.expires_at.tzinfo is not None


def test_expired_revoked_unknown_codes_and_taken_nicknames_create_nothing(db, seeded):
    with db.session() as s:
        room = rooms.get_class(s, seeded["class"])
        old = rooms.new_code(s, room, NOW, days=1)
        revoked = rooms.new_code(s, room, NOW)
        rooms.revoke_code(s, room.id, revoked.code, NOW)
        good = rooms.new_code(s, room, NOW)
        cases = [(old.code, "a1", "learning.code.expired"), (revoked.code, "a2", "learning.code.revoked"),
                 ("ZZZZ", "a3", "learning.code.unknown"), (good.code, "prof", "accounts.name_taken")]
        for code, nick, key in cases:
            with pytest.raises(InputError) as caught:
                rooms.join(s, code, nick, "un-mot-de-passe", NOW + timedelta(days=2))
            assert caught.value.key == key
        assert s.query(ClassMember).count() == 0
        assert good.uses == 0


def test_session_answers_update_elo_and_fsrs_exactly_once(db, seeded):
    with db.session() as s:
        learner = create_user(s, "lea", "learner", password="lea-password")
        from precepteur.store.items import approved_items

        bank = approved_items(s, "nsi")
        session = practice.start_session(s, learner.id, "nsi", bank, 5, NOW)
        assert len(session.plan) == 5 and len({i.skill for i in bank if i.id in session.plan}) == 2
        by_id = {i.id: i for i in bank}
        first, second = session.plan[0], session.plan[1]
        wrong = practice.record_answer(s, session, by_id[first], "n'importe quoi", False, NOW)
        assert wrong.answer.first and wrong.answer.reviewed
        assert wrong.answer.mastery == pytest.approx(sigmoid(-0.4))
        right = practice.record_answer(s, session, by_id[second], "ok", True, NOW)
        assert right.answer.mastery is not None
        for item_id in session.plan[2:]:
            practice.record_answer(s, session, by_id[item_id], "ok", True, NOW)
        progress = practice.progress_of(s, session)
        assert progress.queue == [first] and not progress.done
        retry = practice.record_answer(s, session, by_id[first], "mot", True, NOW)
        assert (retry.answer.attempt, retry.answer.first, retry.answer.reviewed) == (2, False, False)
        assert retry.finished and session.finished_at == NOW
        assert s.query(ReviewLogRow).count() == 5  # one review per item, the retry not logged
        cards = practice.cards_of(s, learner.id)
        assert cards[first].due == NOW + timedelta(days=1) and cards[second].due == NOW + timedelta(days=2)
        assert cards[first].due.tzinfo is not None
        summary = practice.summary(s, session)
        assert (summary["right"], summary["asked"], summary["reviews"], summary["finished"]) == (4, 5, 5, True)
        assert session.points == summary["points"] > 0

        # The same items the next day: fsrs reviews, but no Elo update (not a first answer).
        later = practice.start_session(s, learner.id, "nsi", bank, 5, NOW + timedelta(days=1, hours=1))
        assert later.plan[0] == first  # the due review comes first
        again = practice.record_answer(s, later, by_id[first], "mot", True, NOW + timedelta(days=1, hours=1))
        assert (again.answer.first, again.answer.reviewed, again.answer.mastery) == (False, True, None)
        estimates = practice.skill_estimates(s, learner.id, "nsi")
        assert sum(e.answers for e in estimates.values()) == 5


def test_only_the_first_attempt_of_the_day_is_a_review(db, seeded):
    with db.session() as s:
        learner = create_user(s, "lea", "learner", password="lea-password")
        from precepteur.store.items import approved_items

        bank = approved_items(s, "nsi")
        one = practice.start_session(s, learner.id, "nsi", bank, 5, NOW)
        item = next(i for i in bank if i.id == one.plan[0])
        practice.record_answer(s, one, item, "x", True, NOW)
        two = practice.start_session(s, learner.id, "nsi", bank, 6, NOW + timedelta(hours=3))
        recorded = practice.record_answer(s, two, item, "x", False, NOW + timedelta(hours=3))
        assert not recorded.answer.reviewed and not recorded.answer.first
        assert s.query(ReviewLogRow).count() == 1


def test_empty_bank_creates_no_session(db, seeded):
    with db.session() as s:
        learner = create_user(s, "lea", "learner", password="lea-password")
        assert practice.start_session(s, learner.id, "vide", [], 5, NOW) is None
        assert practice.recent_sessions(s, [learner.id]) == []


def test_practice_tables_are_classified_and_erased_with_the_learner(db, seeded):
    with db.session() as s:
        assert unclassified_tables(s.get_bind().dialect.get_table_names(s.connection())) == []
        learner = create_user(s, "lea", "learner", password="lea-password")
        from precepteur.store.items import approved_items

        bank = approved_items(s, "nsi")
        session = practice.start_session(s, learner.id, "nsi", bank, 5, NOW)
        practice.record_answer(s, session, next(i for i in bank if i.id == session.plan[0]), "x", True, NOW)
        exported = export_learner(s, learner.id)
        assert len(exported["practice_sessions"]) == 1 and len(exported["review_cards"]) == 1
        delete_learner(s, learner.id)
        assert s.query(ReviewCard).count() == 0
