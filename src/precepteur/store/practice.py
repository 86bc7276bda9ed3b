"""Repository of practice: start a session, record its answers (Elo and fsrs updates),
and read progress back. The pure parts live in `learning` (mastery, review, sessions,
points); this module loads their state, calls them, and stores what they return.

- `start_session` builds the plan from the learner's state and the library's
  approved items (of one skill when asked); refuses an empty bank (nothing created).
- `record_answer` grades nothing: it takes the `Grade` and stores the answer. On
  the learner's first-ever answer to an item, θ (skill) and d (item) are updated;
  on the first attempt at an item of the (UTC) day, its fsrs card is reviewed and
  the log kept; the retry of a wrong item at the end of a session is stored but
  logged in neither.
- Cards are stored as `Card.to_dict()` JSON with their due date in a column;
  SQLite gives naive datetimes back, `UTCDateTime` makes them aware UTC again.

Constants: SESSION_ID_BYTES, RECENT_SESSIONS.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..learning import review as reviews
from ..learning.items.types import Item
from ..learning.mastery import ItemEstimate, SkillEstimate, guess_rate, starting_item, starting_skill, update
from ..learning.points import session_points
from ..learning.sessions import Attempt, Candidate, LearnerState, Progress, build
from .items_models import StoredItem
from .learning_models import (
    ItemEstimateRow, PracticeAnswer, PracticeSession, ReviewCard, ReviewLogRow, SkillEstimateRow,
)

SESSION_ID_BYTES = 12
RECENT_SESSIONS = 20


def candidate(item: Item) -> Candidate:
    return Candidate(item.id, item.skill, item.kind, len(item.choices) if item.choices else None)


def skill_estimates(s: Session, learner_id: int, library: str | None = None) -> dict[tuple[str, str], SkillEstimate]:
    """{(library, skill): θ estimate} of a learner."""
    query = select(SkillEstimateRow).where(SkillEstimateRow.learner_id == learner_id)
    if library is not None:
        query = query.where(SkillEstimateRow.library == library)
    return {(r.library, r.skill): SkillEstimate(r.theta, r.answers) for r in s.scalars(query)}


def item_estimates(s: Session, item_ids: Sequence[int]) -> dict[int, ItemEstimate]:
    if not item_ids:
        return {}
    rows = s.scalars(select(ItemEstimateRow).where(ItemEstimateRow.item_id.in_(list(item_ids))))
    return {r.item_id: ItemEstimate(r.difficulty, r.answers) for r in rows}


def cards_of(s: Session, learner_id: int, item_ids: Sequence[int] | None = None) -> dict[int, ReviewCard]:
    query = select(ReviewCard).where(ReviewCard.learner_id == learner_id)
    if item_ids is not None:
        query = query.where(ReviewCard.item_id.in_(list(item_ids)))
    return {r.item_id: r for r in s.scalars(query)}


def learner_state(s: Session, learner_id: int, library: str, items: Sequence[Item]) -> LearnerState:
    ids = [i.id for i in items]
    skills = {skill: est for (_lib, skill), est in skill_estimates(s, learner_id, library).items()}
    return LearnerState(skills=skills, items=item_estimates(s, ids),
                        due={item_id: card.due for item_id, card in cards_of(s, learner_id, ids).items()})


def start_session(s: Session, learner_id: int, library: str, items: Sequence[Item], size: int, now: datetime,
                  skill: str | None = None) -> PracticeSession | None:
    """A new session over `items` (approved, visible); None when there is nothing to practise."""
    if not items:
        return None
    state = learner_state(s, learner_id, library, items)
    plan = build([candidate(i) for i in items], state, now, size)
    if not plan:
        return None
    skills = {i.skill for i in items if i.id in plan}
    before = {sk: state.skills.get(sk, SkillEstimate()).mastery for sk in skills}
    row = PracticeSession(id=secrets.token_hex(SESSION_ID_BYTES), learner_id=learner_id, library=library, skill=skill,
                          plan=plan, hinted=[], before=before, created_at=now)
    s.add(row)
    s.flush()
    return row


def get_session(s: Session, session_id: str) -> PracticeSession | None:
    if not session_id or len(session_id) > 64:
        return None
    return s.get(PracticeSession, session_id)


def answers_of(s: Session, session_id: str) -> list[PracticeAnswer]:
    return list(s.scalars(select(PracticeAnswer).where(PracticeAnswer.session_id == session_id)
                          .order_by(PracticeAnswer.id)))


def progress_of(s: Session, session: PracticeSession) -> Progress:
    return Progress(list(session.plan), [Attempt(a.item_id, a.correct) for a in answers_of(s, session.id)])


def _answered_before(s: Session, learner_id: int, item_id: int) -> bool:
    query = select(PracticeAnswer.id).where(PracticeAnswer.learner_id == learner_id, PracticeAnswer.item_id == item_id,
                                            PracticeAnswer.first.is_(True)).limit(1)
    return s.scalar(query) is not None


def _skill_row(s: Session, learner_id: int, library: str, skill: str, now: datetime) -> SkillEstimateRow:
    row = s.scalar(select(SkillEstimateRow).where(SkillEstimateRow.learner_id == learner_id,
                                                  SkillEstimateRow.library == library, SkillEstimateRow.skill == skill))
    if row is None:  # a new skill starts at the learner's other skills (learning.mastery.starting_skill)
        start = starting_skill(skill_estimates(s, learner_id, library).values())
        row = SkillEstimateRow(learner_id=learner_id, library=library, skill=skill, theta=start.theta, answers=0,
                               updated_at=now)
        s.add(row)
    return row


def _item_row(s: Session, library: str, item: Item, now: datetime) -> ItemEstimateRow:
    row = s.get(ItemEstimateRow, item.id)
    if row is None:  # a new item starts at its calibrated siblings (learning.mastery.starting_item)
        siblings = s.execute(select(ItemEstimateRow.difficulty, ItemEstimateRow.answers).join(
            StoredItem, StoredItem.id == ItemEstimateRow.item_id).where(
            StoredItem.library == library, StoredItem.skill == item.skill, StoredItem.kind == item.kind,
            StoredItem.status == "approved"))
        start = starting_item(ItemEstimate(d, n) for d, n in siblings)
        row = ItemEstimateRow(item_id=item.id, difficulty=start.difficulty, answers=0, updated_at=now)
        s.add(row)
    return row


def _update_elo(s: Session, session: PracticeSession, item: Item, correct: bool, now: datetime) -> float:
    skill_row = _skill_row(s, session.learner_id, session.library, item.skill, now)
    item_row = _item_row(s, session.library, item, now)
    result = update(SkillEstimate(skill_row.theta or 0.0, skill_row.answers or 0),
                    ItemEstimate(item_row.difficulty or 0.0, item_row.answers or 0), correct,
                    guess_rate(item.kind, len(item.choices) if item.choices else None))
    skill_row.theta, skill_row.answers, skill_row.updated_at = result.skill.theta, result.skill.answers, now
    item_row.difficulty, item_row.answers, item_row.updated_at = result.item.difficulty, result.item.answers, now
    return result.skill.mastery


def _review(s: Session, learner_id: int, item: Item, correct: bool, hinted: bool, now: datetime) -> bool:
    row = s.scalar(select(ReviewCard).where(ReviewCard.learner_id == learner_id, ReviewCard.item_id == item.id))
    if row is not None and not reviews.is_review(row.last_review, now):
        return False
    card = reviews.card_from_dict(row.card) if row is not None else reviews.new_card(item.id, now)
    card, log = reviews.review(card, correct, now, hinted=hinted)
    if row is None:
        row = ReviewCard(learner_id=learner_id, item_id=item.id)
        s.add(row)
    row.card, row.due, row.last_review = card.to_dict(), card.due, now
    s.add(ReviewLogRow(learner_id=learner_id, item_id=item.id, log=log.to_dict(), at=now))
    return True


@dataclass(frozen=True)
class Recorded:
    answer: PracticeAnswer
    progress: Progress
    finished: bool


def record_answer(s: Session, session: PracticeSession, item: Item, answer: str, correct: bool,
                  now: datetime, graded_by: str = "code") -> Recorded:
    """Store one answer (the caller checked `Progress.refusal` first) and update the learner model."""
    progress = progress_of(s, session)
    attempt = progress.attempt_number(item.id)
    hinted = item.id in (session.hinted or [])
    first = reviewed = False
    mastery = None
    if attempt == 1:
        if not _answered_before(s, session.learner_id, item.id):
            mastery = _update_elo(s, session, item, correct, now)
            first = True
        reviewed = _review(s, session.learner_id, item, correct, hinted, now)
    row = PracticeAnswer(session_id=session.id, learner_id=session.learner_id, item_id=item.id, skill=item.skill,
                         answer=answer, correct=correct, hinted=hinted, attempt=attempt, first=first,
                         reviewed=reviewed, mastery=mastery, graded_by=graded_by, at=now)
    s.add(row)
    s.flush()
    progress.attempts.append(Attempt(item.id, correct))
    finished = progress.done and session.finished_at is None
    if finished:
        _finish(s, session, now)
    return Recorded(row, progress, finished)


def _finish(s: Session, session: PracticeSession, now: datetime) -> None:
    after = {skill: est.mastery for (_lib, skill), est in skill_estimates(s, session.learner_id, session.library).items()
             if skill in (session.before or {})}
    done = sum(1 for a in answers_of(s, session.id) if a.reviewed)
    session.points = session_points(session.before or {}, after, done)
    session.finished_at = now
    s.flush()


def add_hint(s: Session, session: PracticeSession, item_id: int) -> None:
    if item_id not in (session.hinted or []):
        session.hinted = [*(session.hinted or []), item_id]
        s.flush()


def summary(s: Session, session: PracticeSession) -> dict:
    """What moved: per skill, mastery before and after; answers right; points; reviews done."""
    answers = answers_of(s, session.id)
    firsts = [a for a in answers if a.attempt == 1]
    after = skill_estimates(s, session.learner_id, session.library)
    skills = [{"skill": skill, "before": before, "after": after.get((session.library, skill), SkillEstimate()).mastery}
              for skill, before in sorted((session.before or {}).items())]
    return {"right": sum(1 for a in firsts if a.correct), "asked": len(session.plan),
            "reviews": sum(1 for a in answers if a.reviewed), "points": session.points, "skills": skills,
            "finished": session.finished_at is not None}


def finished_sessions(s: Session, learner_id: int) -> list[datetime]:
    return list(s.scalars(select(PracticeSession.finished_at).where(
        PracticeSession.learner_id == learner_id, PracticeSession.finished_at.is_not(None))))


def recent_sessions(s: Session, learner_ids: Sequence[int], limit: int = RECENT_SESSIONS) -> list[PracticeSession]:
    if not learner_ids:
        return []
    return list(s.scalars(select(PracticeSession).where(PracticeSession.learner_id.in_(list(learner_ids)))
                          .order_by(PracticeSession.created_at.desc()).limit(limit)))


def total_points(s: Session, learner_id: int) -> int:
    return int(s.scalar(select(func.coalesce(func.sum(PracticeSession.points), 0))
                        .where(PracticeSession.learner_id == learner_id)) or 0)


def due_count(s: Session, learner_id: int, now: datetime, item_ids: Sequence[int] | None = None) -> int:
    query = select(func.count(ReviewCard.id)).where(ReviewCard.learner_id == learner_id, ReviewCard.due <= now)
    if item_ids is not None:
        query = query.where(ReviewCard.item_id.in_(list(item_ids)))
    return int(s.scalar(query) or 0)


def mastery_history(s: Session, learner_id: int) -> list[tuple[str, str, datetime, float]]:
    """(library, skill, when, mastery after) of every first answer, oldest first (for the chart)."""
    query = (select(PracticeSession.library, PracticeAnswer.skill, PracticeAnswer.at, PracticeAnswer.mastery)
             .join(PracticeSession, PracticeSession.id == PracticeAnswer.session_id)
             .where(PracticeAnswer.learner_id == learner_id, PracticeAnswer.mastery.is_not(None))
             .order_by(PracticeAnswer.id))
    return [tuple(r) for r in s.execute(query)]


def review_counts(s: Session, learner_id: int) -> dict[int, int]:
    """{item id: reviews done}."""
    query = (select(ReviewLogRow.item_id, func.count(ReviewLogRow.id)).where(ReviewLogRow.learner_id == learner_id)
             .group_by(ReviewLogRow.item_id))
    return {item_id: int(n) for item_id, n in s.execute(query)}


def first_answers(s: Session, learner_ids: Sequence[int]) -> list[PracticeAnswer]:
    """Every answer that updated the learner model, for the teacher's dashboard."""
    if not learner_ids:
        return []
    return list(s.scalars(select(PracticeAnswer).where(PracticeAnswer.learner_id.in_(list(learner_ids)),
                                                       PracticeAnswer.first.is_(True))))


__all__ = ["Recorded", "add_hint", "answers_of", "candidate", "cards_of", "due_count", "finished_sessions",
           "first_answers", "get_session", "item_estimates", "learner_state", "mastery_history", "progress_of",
           "recent_sessions", "record_answer", "review_counts", "skill_estimates", "start_session", "summary", "total_points"]
