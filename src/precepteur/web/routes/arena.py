"""JSON API of the arena (bearer tokens work): battles, votes, reveals, the leaderboard, the
teacher's review queue, and 👍/👎 feedback on any stored answer.

    POST /api/arena/battles              {"question", "level"?, "library"?} -> {"battle_id", "a", "b"}
    POST /api/arena/battles/{id}/vote    {"verdict", "reasons_a", "reasons_b", "comment"?} -> 200
    GET  /api/arena/battles/{id}/reveal  -> {"a": {"contestant", "model", ...}, "b": {...}}  (403 before the vote)
    GET  /api/arena/leaderboard          (also /arena/leaderboard.json)
    GET  /api/arena/review               (teachers) the review queue
    POST /api/arena/battles/{id}/review  (teachers) {"action": confirm|overturn|exclude|reference, ...}
    POST /api/answers/{message_id}/feedback  {"rating": up|down, "reasons", "comment"?, "problem"?}
    GET  /api/feedback                   (teachers, admins) feedback on the answers they may read
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from ...arena.votes import check_feedback
from ...store import arena as store
from ..arena import BattleAsk, cast_vote, leaderboard, open_battle, public_battle, reveal, start_battle
from ..deps import CurrentUser, ServicesDep, SessionDep, TeacherUser
from ..errors import WebError
from ..schemas import SHORT_TEXT, ErrorOut, RecordId
from ..transactions import CommitRoute

router = APIRouter(route_class=CommitRoute, prefix="/api", tags=["arena"])
page_json = APIRouter(route_class=CommitRoute, tags=["arena"])

# Long enough for any real comment or question; longer ones get the arena's own clear error.
LOOSE_TEXT = 20_000
BattleId = Path(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_\-]+$")
ERRORS = {401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 404: {"model": ErrorOut},
          409: {"model": ErrorOut}, 422: {"model": ErrorOut}}


class BattleIn(BaseModel):
    question: str = Field(max_length=LOOSE_TEXT)
    level: str | None = Field(default=None, max_length=SHORT_TEXT)
    library: str | None = Field(default=None, max_length=SHORT_TEXT)
    mode: Literal["random", "same-model", "challenger"] = "random"
    contestants: tuple[str, str] | None = None  # teachers only: the battle is then not blind


class BattleOut(BaseModel):
    battle_id: str
    a: str
    b: str


class VoteIn(BaseModel):
    verdict: str = Field(max_length=SHORT_TEXT)
    reasons_a: list[str] = Field(default_factory=list, max_length=20)
    reasons_b: list[str] = Field(default_factory=list, max_length=20)
    comment: str | None = Field(default=None, max_length=LOOSE_TEXT)
    role: str | None = Field(default=None, max_length=SHORT_TEXT)
    level: str | None = Field(default=None, max_length=SHORT_TEXT)
    consent: bool = False


class ReviewIn(BaseModel):
    action: str = Field(max_length=SHORT_TEXT)
    verdict: str | None = Field(default=None, max_length=SHORT_TEXT)
    reference: str | None = Field(default=None, max_length=LOOSE_TEXT)


class FeedbackIn(BaseModel):
    rating: str = Field(max_length=SHORT_TEXT)
    reasons: list[str] = Field(default_factory=list, max_length=20)
    comment: str | None = Field(default=None, max_length=LOOSE_TEXT)
    problem: bool = False


@router.post("/arena/battles", response_model=BattleOut, responses=ERRORS)
async def create_battle(body: BattleIn, request: Request, user: CurrentUser, s: SessionDep, services: ServicesDep):
    """Two anonymous answers to one question, released together."""
    ask = BattleAsk(body.question, body.level, body.library, body.mode, body.contestants)
    battle = await start_battle(services, s, user, ask, request)
    return public_battle(battle)


@router.post("/arena/battles/{battle_id}/vote", responses=ERRORS)
def vote(body: VoteIn, user: CurrentUser, s: SessionDep, battle_id: str = BattleId):
    """The final verdict: a, b, tie or both_bad, with reasons per side."""
    battle = cast_vote(s, user, battle_id, body.verdict, body.reasons_a, body.reasons_b, body.comment,
                       body.role, body.level, body.consent)
    return {"battle_id": battle.public_id, "verdict": body.verdict}


@router.get("/arena/battles/{battle_id}/reveal", responses=ERRORS)
def reveal_(user: CurrentUser, s: SessionDep, battle_id: str = BattleId):
    """Who answered, with tokens and time per answer (after the vote only)."""
    return reveal(s, user, battle_id)


@router.get("/arena/leaderboard", responses=ERRORS)
async def board(user: CurrentUser, s: SessionDep):
    """The leaderboard with its intervals, filter report and boards per role and level."""
    return await run_in_threadpool(leaderboard, s)


@page_json.get("/arena/leaderboard.json", include_in_schema=False)
async def board_json(user: CurrentUser, s: SessionDep):
    return await run_in_threadpool(leaderboard, s)


@router.get("/arena/review", responses=ERRORS)
def review_queue(user: TeacherUser, s: SessionDep):
    """Battles to review (incorrect, unsafe for a minor, both bad, disagreements) and flagged answers."""
    return {
        "battles": [_review_row(b) for b in store.review_queue(s)],
        "feedback": [_feedback_row(f, m, c) for f, m, c in store.list_feedback(s, user, only_review=True)],
    }


@router.post("/arena/battles/{battle_id}/review", responses=ERRORS)
def review(body: ReviewIn, user: TeacherUser, s: SessionDep, battle_id: str = BattleId):
    """Confirm, overturn, exclude, or write a reference answer."""
    battle = store.battle_by_public_id(s, battle_id)
    if battle is None:
        raise WebError(404, "arena.error.battle_not_found")
    store.review_battle(s, battle, user, body.action, verdict=body.verdict, reference=body.reference)
    return {"battle_id": battle.public_id, "review_status": battle.review_status}


@router.post("/answers/{message_id}/feedback", status_code=201, responses=ERRORS)
def feedback(message_id: RecordId, body: FeedbackIn, user: CurrentUser, s: SessionDep):
    """👍 or 👎 on an answer, with reasons, a comment, or "signaler un problème"."""
    message = store.visible_message(s, user, message_id)
    if message is None:
        raise WebError(404, "arena.error.answer_not_found")
    rating, reasons, comment = check_feedback(body.rating, body.reasons, body.comment)
    row = store.add_feedback(s, user, message, rating, reasons, comment, body.problem)
    return {"id": row.id, "message_id": message.id, "rating": rating}


@router.get("/feedback", responses=ERRORS)
def feedback_list(user: TeacherUser, s: SessionDep):
    """Feedback on the answers you may read, newest first."""
    return [_feedback_row(f, m, c) for f, m, c in store.list_feedback(s, user)]


def _review_row(battle) -> dict:
    vote = battle.vote
    return {
        "battle_id": battle.public_id, "question": battle.question, "level": battle.level, "a": battle.answer_a,
        "b": battle.answer_b, "verdict": vote.verdict, "reasons_a": vote.reasons_a, "reasons_b": vote.reasons_b,
        "comment": vote.comment, "role": vote.role,
    }


def _feedback_row(feedback, message, conversation) -> dict:
    return {
        "id": feedback.id, "message_id": message.id, "conversation_id": conversation.id,
        "library": conversation.library, "rating": feedback.rating, "reasons": feedback.reasons,
        "comment": feedback.comment, "problem": feedback.problem, "answer": message.content,
        "created_at": feedback.created_at.isoformat(),
    }


__all__ = ["router", "page_json", "open_battle"]
