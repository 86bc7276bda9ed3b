"""The arena's records: contestants, blind battles, their votes, and feedback on any answer.

- `ArenaContestant`: a model (pack name and SHA-256, or server URL and model id), a
  prompt version and sampling parameters, plus the licence of its outputs (an output
  licence that forbids training keeps its answers out of the preference export).
- `ArenaBattle`: one question answered by two contestants, stored before anyone sees
  it; the public id is random, the contestants' ids never leave the server before the
  vote. `anony=False` when a person chose the contestants (kept off the board);
  `leaked` when an answer gave its identity away; `errored` when one failed. A
  teacher's review (confirm, overturn, exclude, reference answer) lives on the battle.
- `ArenaVote`: the one, final verdict of a battle, with reasons per side, the judge's
  declared role and level, consent to export, and two facts fixed at vote time for the
  export's privacy rules: `minor` and `cohort` (see `store.arena.judge_facts`).
- `AnswerFeedback`: 👍/👎 on a stored answer (`messages` row) with the same reasons, a
  comment and "signaler un problème".

Like `models.py`, these classes describe the schema for the ORM; the schema comes from
the migration `0009_arena`.

Limits: CONTESTANT_CHARS, VERSION_CHARS, LICENCE_CHARS, PUBLIC_ID_CHARS, STATE_CHARS,
URL_CHARS, SHA_CHARS (the comment limit is `arena.votes.MAX_COMMENT_CHARS`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, Integer, String, Text, false, text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ._types import JSONList, UTCDateTime, utcnow
from .models import LANG_CHARS, LEVEL_CHARS, LIBRARY_CHARS, MODEL_CHARS, ROLE_CHARS, Base

CONTESTANT_CHARS = 64
VERSION_CHARS = 32
LICENCE_CHARS = 64
PUBLIC_ID_CHARS = 32
STATE_CHARS = 16
URL_CHARS = 500
SHA_CHARS = 64

VERDICT_CHECK = "verdict IN ('a', 'b', 'tie', 'both_bad')"


class ArenaContestant(Base):
    __tablename__ = "arena_contestants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(CONTESTANT_CHARS), unique=True)
    model: Mapped[str] = mapped_column(String(MODEL_CHARS))
    model_sha256: Mapped[str | None] = mapped_column(String(SHA_CHARS))
    model_url: Mapped[str | None] = mapped_column(String(URL_CHARS))
    prompt_version: Mapped[str] = mapped_column(String(VERSION_CHARS))
    temperature: Mapped[float | None] = mapped_column(Float)
    output_licence: Mapped[str] = mapped_column(String(LICENCE_CHARS), default="?", server_default=text("'?'"))
    allows_training: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ArenaBattle(Base):
    __tablename__ = "arena_battles"
    __table_args__ = (
        CheckConstraint("state IN ('ready', 'voted', 'errored')", name="state"),
        CheckConstraint("review_verdict IS NULL OR review_verdict IN ('a', 'b', 'tie', 'both_bad')",
                        name="review_verdict"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(PUBLIC_ID_CHARS), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(LEVEL_CHARS))
    lang: Mapped[str] = mapped_column(String(LANG_CHARS))
    library: Mapped[str | None] = mapped_column(String(LIBRARY_CHARS))
    pairing: Mapped[str] = mapped_column(String(STATE_CHARS))
    anony: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    contestant_a_id: Mapped[int] = mapped_column(ForeignKey("arena_contestants.id", ondelete="CASCADE"), index=True)
    contestant_b_id: Mapped[int] = mapped_column(ForeignKey("arena_contestants.id", ondelete="CASCADE"), index=True)
    passages: Mapped[str] = mapped_column(Text, default="", server_default=text("''"))
    answer_a: Mapped[str] = mapped_column(Text, default="", server_default=text("''"))
    answer_b: Mapped[str] = mapped_column(Text, default="", server_default=text("''"))
    citations_a: Mapped[list] = mapped_column(JSONList(), default=list, server_default=text("'[]'"))
    citations_b: Mapped[list] = mapped_column(JSONList(), default=list, server_default=text("'[]'"))
    tokens_a: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    tokens_b: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    seconds_a: Mapped[float] = mapped_column(Float, default=0.0, server_default=text("0"))
    seconds_b: Mapped[float] = mapped_column(Float, default=0.0, server_default=text("0"))
    state: Mapped[str] = mapped_column(String(STATE_CHARS), default="ready", server_default=text("'ready'"))
    leaked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    leak_reason: Mapped[str | None] = mapped_column(String(MODEL_CHARS))
    errored: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    excluded: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    review_status: Mapped[str | None] = mapped_column(String(STATE_CHARS))
    review_verdict: Mapped[str | None] = mapped_column(String(STATE_CHARS))
    reference_answer: Mapped[str | None] = mapped_column(Text)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    contestant_a: Mapped[ArenaContestant] = relationship(foreign_keys=[contestant_a_id])
    contestant_b: Mapped[ArenaContestant] = relationship(foreign_keys=[contestant_b_id])
    vote: Mapped[ArenaVote | None] = relationship(back_populates="battle", uselist=False)


class ArenaVote(Base):
    __tablename__ = "arena_votes"
    __table_args__ = (CheckConstraint(VERDICT_CHECK, name="verdict"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    battle_id: Mapped[int] = mapped_column(ForeignKey("arena_battles.id", ondelete="CASCADE"), unique=True)
    judge_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    verdict: Mapped[str] = mapped_column(String(STATE_CHARS))
    reasons_a: Mapped[list] = mapped_column(JSONList(), default=list, server_default=text("'[]'"))
    reasons_b: Mapped[list] = mapped_column(JSONList(), default=list, server_default=text("'[]'"))
    comment: Mapped[str] = mapped_column(Text, default="", server_default=text("''"))
    role: Mapped[str] = mapped_column(String(ROLE_CHARS))
    level: Mapped[str | None] = mapped_column(String(LEVEL_CHARS))
    consent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    minor: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    cohort: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    battle: Mapped[ArenaBattle] = relationship(back_populates="vote")


class AnswerFeedback(Base):
    __tablename__ = "answer_feedback"
    __table_args__ = (CheckConstraint("rating IN ('up', 'down')", name="rating"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    rating: Mapped[str] = mapped_column(String(8))
    reasons: Mapped[list] = mapped_column(JSONList(), default=list, server_default=text("'[]'"))
    comment: Mapped[str] = mapped_column(Text, default="", server_default=text("''"))
    problem: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    review_status: Mapped[str | None] = mapped_column(String(STATE_CHARS))
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


__all__ = ["ArenaContestant", "ArenaBattle", "ArenaVote", "AnswerFeedback"]
