"""The role rules as pure predicates, on unsaved objects (no database)."""

from __future__ import annotations

import pytest

from precepteur.gate.access import ROLES, can_see_conversation, can_see_user
from precepteur.store.models import Conversation, User

ADMIN = User(id=1, name="admin", role="admin", disabled=False)
ANA = User(id=2, name="ana", role="teacher", disabled=False)
BOB = User(id=3, name="bob", role="teacher", disabled=False)
A1 = User(id=4, name="a1", role="learner", teacher_id=2, disabled=False)
A2 = User(id=5, name="a2", role="learner", teacher_id=2, disabled=False)
B1 = User(id=6, name="b1", role="learner", teacher_id=3, disabled=False)
LONE = User(id=7, name="lone", role="learner", teacher_id=None, disabled=False)
EVERYONE = (ADMIN, ANA, BOB, A1, A2, B1, LONE)

SEES = {
    "admin": {"admin", "ana", "bob", "a1", "a2", "b1", "lone"},
    "ana": {"ana", "a1", "a2"},
    "bob": {"bob", "b1"},
    "a1": {"a1"},
    "a2": {"a2"},
    "b1": {"b1"},
    "lone": {"lone"},
}


def test_roles_are_the_three_known_ones():
    assert ROLES == ("admin", "teacher", "learner")


@pytest.mark.parametrize("viewer", EVERYONE, ids=lambda u: u.name)
def test_who_sees_whom(viewer):
    assert {u.name for u in EVERYONE if can_see_user(viewer, u)} == SEES[viewer.name]


@pytest.mark.parametrize("viewer", EVERYONE, ids=lambda u: u.name)
def test_conversations_follow_their_owner(viewer):
    for owner in EVERYONE:
        conversation = Conversation(id=owner.id, user=owner, user_id=owner.id)
        assert can_see_conversation(viewer, conversation) == (owner.name in SEES[viewer.name])


def test_a_disabled_viewer_sees_nobody_not_even_herself():
    gone = User(id=8, name="gone", role="admin", disabled=True)
    assert not any(can_see_user(gone, u) for u in (*EVERYONE, gone))
