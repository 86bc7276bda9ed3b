"""Reading a learner's progress back: skills with mastery and due reviews, the week, points
(shared by `GET /api/me/progress`, the learner's page and `precepteur learner progress`).

Points are shown unless one of the learner's classes turned them off; the weekly
goal is the smallest of her classes' goals (DEFAULT_WEEKLY_GOAL without a class).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ..errors import InputError
from ..learning.points import DEFAULT_WEEKLY_GOAL, weekly
from ..learning.progress import CardInfo, skill_progress
from ..learning.topics import library_topics
from . import classes as rooms
from . import practice
from .curriculum import topic_settings
from .items import get_item
from .models import User


def labels(library_service, s: Session, library: str) -> dict[str, str]:
    """{skill id: label} of a library (empty for a library that is gone)."""
    try:
        return {t.id: t.label for t in library_topics(library_service, library, topic_settings(s, library))}
    except InputError:
        return {}


def points_on(s: Session, user: User) -> bool:
    return all(c.points for c in rooms.classes_of_learner(s, user.id))


def goal_of(s: Session, user: User) -> int:
    goals = [c.weekly_goal for c in rooms.classes_of_learner(s, user.id)]
    return min(goals) if goals else DEFAULT_WEEKLY_GOAL


def learner_progress(library_service, s: Session, user: User, now: datetime) -> dict:
    """{"skills": [{"skill", "mastery", "due", "reviews", ...}], "due_now", "weekly", "points"?}."""
    estimates = practice.skill_estimates(s, user.id)
    done = practice.review_counts(s, user.id)
    cards = []
    for item_id, card in practice.cards_of(s, user.id).items():
        item = get_item(s, item_id)
        if item is not None:
            cards.append(CardInfo(item_id, item.library, item.skill, card.due, done.get(item_id, 0)))
    names: dict[tuple[str, str], str] = {}
    for library in {lib for lib, _ in estimates} | {c.library for c in cards}:
        names.update({(library, k): v for k, v in labels(library_service, s, library).items()})
    skills = skill_progress(estimates, cards, now, names)
    out = {"skills": skills, "due_now": sum(row["due_now"] for row in skills),
           "weekly": weekly(practice.finished_sessions(s, user.id), now, goal_of(s, user)).to_dict()}
    if points_on(s, user):
        out["points"] = practice.total_points(s, user.id)
    return out


__all__ = ["goal_of", "labels", "learner_progress", "points_on"]
