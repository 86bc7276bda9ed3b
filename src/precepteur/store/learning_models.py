"""The stored records of practice: classes and their join codes, practice sessions
(not login sessions: those are `web_sessions`) and their answers, the learner
model's estimates, and the review cards and logs of `fsrs`.

- `SchoolClass`: a teacher's class (name, level, whether points are shown, the
  weekly goal, whether its learners' data may be used for training: `training_opt_in`,
  off unless the teacher turns it on); `ClassLibrary` the libraries assigned to it; `ClassMember` its learners.
- `JoinCode`: a short code that lets a learner create a pseudonymous account in a
  class, until it expires or is revoked.
- `PracticeSession` / `PracticeAnswer`: the items a session asks (its plan, fixed
  when it starts) and every answer, with whether it was logged (first answer:
  Elo; first attempt of the day: a review), the skill's mastery after it, and who
  graded it (`graded_by`: "code", "model" — the rubric judge —, or "fallback":
  by code because the judge failed).
- `SkillEstimateRow` (θ per learner, library and skill), `ItemEstimateRow` (d per item).
- `ReviewCard` (one per learner and item, the fsrs card as JSON plus its due date
  for queries) and `ReviewLogRow` (every fsrs review log).

Like `models.py`, these classes describe the schema for the ORM; the schema itself
comes from the migrations `0007_learning`, `0012_training_opt_in` and `0013_answer_grader`.

Limits: CLASS_NAME_CHARS, CODE_CHARS, SESSION_ID_CHARS, GRADER_CHARS.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false, text, true
from sqlalchemy.orm import Mapped, mapped_column

from ._types import JSONList, UTCDateTime, utcnow
from .items_models import TOPIC_CHARS, JSONDict
from .models import LEVEL_CHARS, LIBRARY_CHARS, Base

CLASS_NAME_CHARS = 100
CODE_CHARS = 16
SESSION_ID_CHARS = 32
GRADER_CHARS = 16


class SchoolClass(Base):
    """A teacher's class."""

    __tablename__ = "classes"
    __table_args__ = (UniqueConstraint("teacher_id", "name", name="uq_classes_teacher_id_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(CLASS_NAME_CHARS))
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    level: Mapped[str | None] = mapped_column(String(LEVEL_CHARS))
    points: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    weekly_goal: Mapped[int] = mapped_column(Integer, default=3, server_default=text("3"))
    training_opt_in: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ClassLibrary(Base):
    __tablename__ = "class_libraries"

    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True)
    library: Mapped[str] = mapped_column(String(LIBRARY_CHARS), primary_key=True)


class ClassMember(Base):
    __tablename__ = "class_members"

    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class JoinCode(Base):
    __tablename__ = "join_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(CODE_CHARS), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    uses: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))


class PracticeSession(Base):
    __tablename__ = "practice_sessions"
    __table_args__ = (Index("ix_practice_sessions_learner_id_created_at", "learner_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(SESSION_ID_CHARS), primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    library: Mapped[str] = mapped_column(String(LIBRARY_CHARS))
    skill: Mapped[str | None] = mapped_column(String(TOPIC_CHARS))
    plan: Mapped[list] = mapped_column(JSONList(), default=list, server_default=text("'[]'"))
    hinted: Mapped[list] = mapped_column(JSONList(), default=list, server_default=text("'[]'"))
    before: Mapped[dict] = mapped_column(JSONDict(), default=dict, server_default=text("'{}'"))
    points: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PracticeAnswer(Base):
    __tablename__ = "practice_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("practice_sessions.id", ondelete="CASCADE"), index=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    skill: Mapped[str] = mapped_column(String(TOPIC_CHARS))
    answer: Mapped[str] = mapped_column(Text, default="", server_default=text("''"))
    correct: Mapped[bool] = mapped_column(Boolean)
    hinted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    attempt: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    first: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # updated θ and d
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # an fsrs review
    mastery: Mapped[float | None] = mapped_column(Float)  # the skill's mastery after this answer
    graded_by: Mapped[str] = mapped_column(String(GRADER_CHARS), default="code", server_default=text("'code'"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SkillEstimateRow(Base):
    __tablename__ = "skill_estimates"
    __table_args__ = (UniqueConstraint("learner_id", "library", "skill", name="uq_skill_estimates_learner_id_library_skill"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    library: Mapped[str] = mapped_column(String(LIBRARY_CHARS))
    skill: Mapped[str] = mapped_column(String(TOPIC_CHARS))
    theta: Mapped[float] = mapped_column(Float, default=0.0, server_default=text("0"))
    answers: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ItemEstimateRow(Base):
    __tablename__ = "item_estimates"

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    difficulty: Mapped[float] = mapped_column(Float, default=0.0, server_default=text("0"))
    answers: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReviewCard(Base):
    __tablename__ = "review_cards"
    __table_args__ = (
        UniqueConstraint("learner_id", "item_id", name="uq_review_cards_learner_id_item_id"),
        Index("ix_review_cards_learner_id_due", "learner_id", "due"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    card: Mapped[dict] = mapped_column(JSONDict())
    due: Mapped[datetime] = mapped_column(UTCDateTime())
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ReviewLogRow(Base):
    __tablename__ = "review_logs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    log: Mapped[dict] = mapped_column(JSONDict())
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


__all__ = ["ClassLibrary", "ClassMember", "ItemEstimateRow", "JoinCode", "PracticeAnswer", "PracticeSession",
           "ReviewCard", "ReviewLogRow", "SchoolClass", "SkillEstimateRow"]
