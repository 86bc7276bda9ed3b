"""The arena's repository: contestants, battles, votes, reviews and feedback, over the ORM.

A thin layer: the rules live in `arena.votes` (what a vote may say), `arena.ranking`
(what counts), `arena.pairing` (who meets whom). Here they meet the rows.

Who is a minor, who is in a school cohort (fixed on the vote when it is cast, so that a
later change of account cannot put a child's vote back into an export):
- a learner account is a minor unless its level says `adulte`; so is any judge who
  declares a school level (CP to Terminale) on the vote;
- a learner account attached to a teacher is in a school cohort.
Teachers, admins and adult learners on their own are neither. A learner account may
only vote as `learner`; a teacher as `teacher` or `tester`; an admin as any role.

Constants: PUBLIC_ID_BYTES.
"""

from __future__ import annotations

import secrets

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..arena.ranking import Comparison
from ..arena.votes import REVIEW_REASONS, Vote
from ..errors import InputError
from ..gate.access import ADMIN, LEARNER, TEACHER
from ..learning.levels import DEFAULT_LEVEL, parse_level
from ._types import utcnow
from .arena_models import AnswerFeedback, ArenaBattle, ArenaContestant, ArenaVote  # noqa: F401 (re-exported)
from .models import Conversation, Message, User

PUBLIC_ID_BYTES = 16
REVIEW_ACTIONS = ("confirm", "overturn", "exclude", "reference")
_REVIEW_STATUS = {"confirm": "confirmed", "overturn": "overturned", "exclude": "excluded", "reference": "reference"}


# -- contestants -------------------------------------------------------------------------
def add_contestant(s: Session, name: str, model: str, *, prompt_version: str, temperature: float | None = None,
                   model_sha256: str | None = None, model_url: str | None = None, output_licence: str = "?",
                   allows_training: bool = True, created_by: int | None = None) -> ArenaContestant:
    """A new contestant; InputError when the name is taken."""
    if s.scalar(select(ArenaContestant.id).where(ArenaContestant.name == name)) is not None:
        raise InputError("arena.error.contestant_taken", name=name)
    contestant = ArenaContestant(
        name=name, model=model, model_sha256=model_sha256, model_url=model_url, prompt_version=prompt_version,
        temperature=temperature, output_licence=output_licence, allows_training=allows_training,
        created_by=created_by,
    )
    s.add(contestant)
    s.flush()
    return contestant


def list_contestants(s: Session, *, active_only: bool = False) -> list[ArenaContestant]:
    query = select(ArenaContestant).order_by(ArenaContestant.name)
    if active_only:
        query = query.where(ArenaContestant.active)
    return list(s.scalars(query))


def get_contestant(s: Session, name: str) -> ArenaContestant | None:
    return s.scalar(select(ArenaContestant).where(ArenaContestant.name == name))


def vote_counts(s: Session) -> dict[int, int]:
    """Votes per contestant id (each vote counts for both sides)."""
    counts: dict[int, int] = {}
    rows = s.execute(select(ArenaBattle.contestant_a_id, ArenaBattle.contestant_b_id).join(ArenaVote))
    for a, b in rows:
        counts[a] = counts.get(a, 0) + 1
        counts[b] = counts.get(b, 0) + 1
    return counts


# -- battles -----------------------------------------------------------------------------
def create_battle(s: Session, user: User, *, question: str, level: str, lang: str, library: str | None,
                  pairing: str, anony: bool, a: ArenaContestant, b: ArenaContestant) -> ArenaBattle:
    """A battle with a fresh random public id, before its answers exist."""
    battle = ArenaBattle(
        public_id=secrets.token_urlsafe(PUBLIC_ID_BYTES)[:22], user_id=user.id, question=question, level=level,
        lang=lang, library=library, pairing=pairing, anony=anony, contestant_a=a, contestant_b=b,
    )
    s.add(battle)
    s.flush()
    return battle


def battle_by_public_id(s: Session, public_id: str) -> ArenaBattle | None:
    return s.scalar(select(ArenaBattle).where(ArenaBattle.public_id == public_id))


# -- votes ------------------------------------------------------------------------------
def judge_facts(user: User, declared_level: str | None) -> tuple[bool, bool]:
    """(minor, cohort) for a vote by `user` declaring `declared_level` (see the module docstring)."""
    level = parse_level(declared_level) if declared_level else None
    school_level = level is not None and level.code != DEFAULT_LEVEL
    minor = school_level or (user.role == LEARNER and (user.level or "") != DEFAULT_LEVEL)
    cohort = user.role == LEARNER and user.teacher_id is not None
    return minor, cohort


def allowed_roles(user: User) -> tuple[str, ...]:
    if user.role == LEARNER:
        return ("learner",)
    if user.role == TEACHER:
        return ("teacher", "tester")
    return ("learner", "teacher", "tester")


def record_vote(s: Session, battle: ArenaBattle, judge: User, vote: Vote) -> ArenaVote:
    """The battle's one, final vote (the caller checked it is open)."""
    if vote.role not in allowed_roles(judge):
        raise InputError("arena.error.role_not_yours", role=vote.role)
    minor, cohort = judge_facts(judge, vote.level)
    row = ArenaVote(
        battle_id=battle.id, judge_id=judge.id, verdict=vote.verdict, reasons_a=list(vote.reasons_a),
        reasons_b=list(vote.reasons_b), comment=vote.comment, role=vote.role, level=vote.level,
        consent=vote.consent, minor=minor, cohort=cohort,
    )
    s.add(row)
    battle.state = "voted"
    s.flush()
    return row


def comparisons(s: Session, *, teacher_reviews: bool = False) -> list[Comparison]:
    """Every vote as a `Comparison`, oldest first; with `teacher_reviews`, the teachers'
    confirmed or overturned verdicts instead (ranked separately)."""
    query = (
        select(ArenaVote, ArenaBattle)
        .join(ArenaBattle, ArenaVote.battle_id == ArenaBattle.id)
        .order_by(ArenaVote.created_at, ArenaVote.id)
    )
    names = {c.id: c.name for c in s.scalars(select(ArenaContestant))}
    found = []
    for vote, battle in s.execute(query):
        verdict = vote.verdict
        if teacher_reviews:
            if battle.review_status not in ("confirmed", "overturned"):
                continue
            verdict = battle.review_verdict or vote.verdict
        found.append(Comparison(
            a=names[battle.contestant_a_id], b=names[battle.contestant_b_id], verdict=verdict,
            battle_id=battle.public_id, judge=str(vote.judge_id or ""), day=vote.created_at.date().isoformat(),
            anony=battle.anony, leaked=battle.leaked, errored=battle.errored,
            excluded=battle.excluded or battle.review_status == "excluded", role=vote.role, level=battle.level,
        ))
    return found


def board_fingerprint(s: Session) -> tuple:
    """What the leaderboard depends on, cheaply: votes (count, last id) and reviews (count, last time)."""
    from sqlalchemy import func

    votes = s.execute(select(func.count(ArenaVote.id), func.max(ArenaVote.id))).one()
    reviews = s.execute(select(func.count(ArenaBattle.reviewed_at), func.max(ArenaBattle.reviewed_at))).one()
    return (*votes, reviews[0], str(reviews[1]))


# -- the teacher's review queue ----------------------------------------------------------------
def review_queue(s: Session, limit: int = 200) -> list[ArenaBattle]:
    """Voted battles a teacher should look at, newest first: an `incorrect` or
    `unsafe_for_minor` reason, a `both_bad` verdict, or a learner's verdict that a teacher's
    vote on the same question and pair contradicts. Reviewed battles leave the queue."""
    rows = list(s.execute(
        select(ArenaBattle, ArenaVote).join(ArenaVote, ArenaVote.battle_id == ArenaBattle.id)
        .where(ArenaBattle.review_status.is_(None)).order_by(ArenaVote.created_at.desc(), ArenaVote.id.desc())
    ))
    winners: dict[tuple, dict[str, set]] = {}
    for battle, vote in rows:
        winners.setdefault(_pair_key(battle), {}).setdefault(vote.role, set()).add(_winner(battle, vote.verdict))
    queue = []
    for battle, vote in rows:
        by_role = winners[_pair_key(battle)]
        disagree = bool(by_role.get("learner")) and bool(by_role.get("teacher")) and (
            by_role["learner"] != by_role["teacher"])
        flagged = any(r in REVIEW_REASONS for r in [*vote.reasons_a, *vote.reasons_b])
        if flagged or vote.verdict == "both_bad" or disagree:
            queue.append(battle)
        if len(queue) >= limit:
            break
    return queue


def _pair_key(battle: ArenaBattle) -> tuple:
    return (" ".join(battle.question.lower().split()), *sorted((battle.contestant_a_id, battle.contestant_b_id)))


def _winner(battle: ArenaBattle, verdict: str) -> int | str:
    return {"a": battle.contestant_a_id, "b": battle.contestant_b_id}.get(verdict, verdict)


def review_battle(s: Session, battle: ArenaBattle, teacher: User, action: str, *, verdict: str | None = None,
                  reference: str | None = None) -> None:
    """A teacher confirms the verdict, overturns it (`verdict`), excludes the battle, or writes a
    reference answer."""
    if action not in REVIEW_ACTIONS:
        raise InputError("arena.error.unknown_review", action=action, actions=", ".join(REVIEW_ACTIONS))
    if battle.vote is None:
        raise InputError("arena.error.not_voted")
    if action == "overturn" and verdict not in ("a", "b", "tie", "both_bad"):
        raise InputError("arena.error.unknown_verdict", verdict=str(verdict), verdicts="a, b, tie, both_bad")
    if action == "reference" and not (reference or "").strip():
        raise InputError("arena.error.reference_empty")
    battle.review_status = _REVIEW_STATUS[action]
    battle.review_verdict = {"confirm": battle.vote.verdict, "overturn": verdict}.get(action)
    battle.excluded = action == "exclude"
    battle.reference_answer = (reference or "").strip() or None
    battle.reviewed_by = teacher.id
    battle.reviewed_at = utcnow()


# -- feedback on any answer --------------------------------------------------------------------
def visible_message(s: Session, viewer: User, message_id: int) -> Message | None:
    """The assistant message `viewer` may see (her own conversations', or her learners' for a teacher)."""
    from ..gate.access import can_see_conversation

    message = s.get(Message, message_id)
    if message is None or message.role != "assistant":
        return None
    if not can_see_conversation(viewer, message.conversation):
        return None
    return message


def add_feedback(s: Session, user: User, message: Message, rating: str, reasons, comment: str,
                 problem: bool) -> AnswerFeedback:
    row = AnswerFeedback(message_id=message.id, user_id=user.id, rating=rating, reasons=list(reasons),
                         comment=comment, problem=problem)
    s.add(row)
    s.flush()
    return row


def list_feedback(s: Session, viewer: User, *, only_review: bool = False, limit: int = 200
                  ) -> list[tuple[AnswerFeedback, Message, Conversation]]:
    """Feedback a teacher (on her learners' and her own answers) or an admin (all) may read,
    newest first; `only_review`: the 👎 `incorrect` on library answers and the reported problems."""
    query = (
        select(AnswerFeedback, Message, Conversation)
        .join(Message, AnswerFeedback.message_id == Message.id)
        .join(Conversation, Message.conversation_id == Conversation.id)
        .order_by(AnswerFeedback.created_at.desc(), AnswerFeedback.id.desc())
    )
    if viewer.role != ADMIN:
        learners = select(User.id).where(User.teacher_id == viewer.id)
        query = query.where(or_(Conversation.user_id == viewer.id, Conversation.user_id.in_(learners)))
    if only_review:
        query = query.where(AnswerFeedback.review_status.is_(None))
    found = []
    for feedback, message, conversation in s.execute(query.limit(limit * 4 if only_review else limit)):
        if only_review and not needs_review(feedback, conversation):
            continue
        found.append((feedback, message, conversation))
    return found[:limit]


def needs_review(feedback: AnswerFeedback, conversation: Conversation) -> bool:
    """A 👎 with `incorrect` on a library answer, or any reported problem."""
    incorrect = feedback.rating == "down" and "incorrect" in (feedback.reasons or [])
    return feedback.problem or (incorrect and conversation.library is not None)


__all__ = [
    "add_contestant", "list_contestants", "get_contestant", "vote_counts", "create_battle", "battle_by_public_id",
    "judge_facts", "allowed_roles", "record_vote", "comparisons", "board_fingerprint", "review_queue", "review_battle",
    "visible_message", "add_feedback", "list_feedback", "needs_review", "REVIEW_ACTIONS",
]
