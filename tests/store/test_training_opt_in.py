"""Issue 14's privacy rule: a learner's data is used for training only with an explicit opt-in
at class level (every class she is in); teachers and admins in no class are not concerned."""

from __future__ import annotations

from datetime import datetime, timezone

from precepteur.gate.accounts import create_user
from precepteur.store import classes as rooms
from precepteur.store.learning_models import ClassMember, SchoolClass

NOW = datetime(2025, 9, 8, 8, 0, tzinfo=timezone.utc)


def test_training_is_allowed_only_when_every_class_of_the_learner_opted_in(db, fast_passwords):
    with db.session() as s:
        prof = create_user(s, "prof", "teacher", password="prof-password")
        admin = create_user(s, "root", "admin", password="root-password")
        loner = create_user(s, "seul", "learner", password="seul-password")
        first = rooms.create_class(s, "Terminale B", prof, level="Terminale")
        second = rooms.create_class(s, "Terminale C", prof, level="Terminale")
        assert first.training_opt_in is False  # off by default
        learner = rooms.join(s, rooms.new_code(s, first, NOW).code, "renard", "mot-de-passe-1", NOW)
        assert rooms.training_allowed(s, learner.id) is False
        first.training_opt_in = True
        s.flush()
        assert rooms.training_allowed(s, learner.id) is True
        rooms.join(s, rooms.new_code(s, second, NOW).code, "hibou", "mot-de-passe-1", NOW)
        s.add(ClassMember(class_id=second.id, user_id=learner.id))
        s.flush()
        assert rooms.training_allowed(s, learner.id) is False  # the second class has not opted in
        second.training_opt_in = True
        s.flush()
        assert rooms.training_allowed(s, learner.id) is True
        assert rooms.training_allowed(s, loner.id) is False  # a learner in no class: never
        assert rooms.training_allowed(s, prof.id) is True and rooms.training_allowed(s, admin.id) is True
        assert rooms.training_allowed(s, 999_999) is False
        assert s.get(SchoolClass, first.id).training_opt_in is True
