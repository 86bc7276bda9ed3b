"""Who may see whom: the access rules of roles, as pure predicates.

An admin sees everyone; a teacher sees herself and the learners attached to her;
a learner sees only herself. A disabled account sees nothing. Conversations
follow their owner. `store.conversations.list_conversations` applies the same
rules in SQL; both are tested together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..store.models import Conversation, User

ROLES = ("admin", "teacher", "learner")
ADMIN, TEACHER, LEARNER = ROLES


def can_see_user(viewer: User, user: User) -> bool:
    """True when `viewer` may see `user`'s account and work."""
    if viewer.disabled:
        return False
    if viewer.role == ADMIN:
        return True
    if viewer.id is not None and viewer.id == user.id:
        return True
    return viewer.role == TEACHER and user.teacher_id is not None and user.teacher_id == viewer.id


def can_see_conversation(viewer: User, conversation: Conversation) -> bool:
    """True when `viewer` may read `conversation`."""
    return can_see_user(viewer, conversation.user)
