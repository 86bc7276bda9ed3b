"""The arena's web steps, shared by the JSON API and the pages: start a battle, vote, reveal,
and build the leaderboard.

Blindness is kept here: before the vote, what leaves the server about a battle is its
random public id and the two answers under `a` and `b` (`public_battle`); the
contestants' names, models, hashes and prompt versions appear only in `reveal`, which
refuses (403) until the battle has its vote. Both answers are generated before the
response starts, so they are released together. Battles whose contestants a teacher
chose are stored `anony=False`.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass

from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from ..arena import ranking
from ..arena.contest import ContestantTutors, answer_both
from ..arena.pairing import Entry, PairingError, draw
from ..arena.votes import check_vote
from ..gate.access import ADMIN, LEARNER, TEACHER
from ..i18n import t
from ..learning.levels import DEFAULT_LEVEL
from ..store import arena as store
from ..store.arena_models import ArenaBattle
from ..store.models import User
from ..textlang import detect_language
from ..tutor import TutorRequest
from .asking import check_question, level_code, library_name, mask_personal_data
from .errors import WebError
from .overload import leave
from .services import Services

DEFAULT_ROLES = {LEARNER: "learner", TEACHER: "teacher", ADMIN: "tester"}
_RNG = random.Random()
_RNG_LOCK = threading.Lock()
_TUTORS_LOCK = threading.Lock()
_BOARD_LOCK = threading.Lock()
_BOARD_CACHE: dict = {}


@dataclass
class BattleAsk:
    question: str | None
    level: str | None = None
    library: str | None = None
    pairing: str = "random"
    contestants: tuple[str, str] | None = None  # a teacher's choice: the battle is not blind


def contestant_tutors(services: Services) -> ContestantTutors:
    """The app's cache of contestants' tutors (made on first use)."""
    with _TUTORS_LOCK:
        if services.arena is None:
            services.arena = ContestantTutors(services.settings, services.tutor)
        return services.arena


def _pair(s: Session, user: User, ask: BattleAsk):
    """(contestant a, contestant b, anony) for this battle."""
    active = store.list_contestants(s, active_only=True)
    by_name = {c.name: c for c in active}
    if ask.contestants is not None:
        if user.role not in (TEACHER, ADMIN):
            raise WebError(403, "arena.error.choose_forbidden")
        missing = [name for name in ask.contestants if name not in by_name]
        if missing or ask.contestants[0] == ask.contestants[1]:
            raise WebError(422, "arena.error.unknown_contestant", name=", ".join(missing) or ask.contestants[0])
        return by_name[ask.contestants[0]], by_name[ask.contestants[1]], False
    counts = store.vote_counts(s)
    scores = {}
    if ask.pairing == "challenger":
        scores = {r.contestant: r.score for r in ranking.fit(store.comparisons(s), bootstrap=0).board}
    entries = [Entry(c.name, c.model_sha256 or c.model_url or c.model, counts.get(c.id, 0), scores.get(c.name))
               for c in active]
    try:
        with _RNG_LOCK:
            pairing = draw(entries, ask.pairing, _RNG)
    except PairingError as exc:
        raise WebError(422, exc.key, **exc.params) from None
    return by_name[pairing.a], by_name[pairing.b], True


async def start_battle(services: Services, s: Session, user: User, ask: BattleAsk, request=None) -> ArenaBattle:
    """Draw the pair, generate both answers (one admission place), store the battle. The
    request's load-shedding place is given back while the models answer (`overload.leave`)."""

    def prepare():
        question, names = mask_personal_data(s, user, check_question(ask.question))
        level = level_code(ask.level, user.level or DEFAULT_LEVEL)
        library = library_name(services, user, ask.library, s)
        a, b, anony = _pair(s, user, ask)
        tutors = contestant_tutors(services)
        pair = (tutors.tutor(a.model, a.temperature), tutors.tutor(b.model, b.temperature))
        asked = TutorRequest(question=question, level=level, library=library, names=names, user_id=user.id)
        identities = [a.name, a.model, b.name, b.model, *(t.model.model_id for t in pair)]
        s.commit()  # no transaction stays open while the models answer
        return question, level, library, a.id, b.id, anony, pair, (a.prompt_version, b.prompt_version), asked, identities

    question, level, library, a_id, b_id, anony, pair, versions, asked, identities = await run_in_threadpool(prepare)
    from .gate import estimate_prompt_tokens

    turn = services.gate.admit(user, 2 * estimate_prompt_tokens(question))  # one place in the fair queue
    try:
        if request is not None:
            leave(request)  # the load-shedding place: the gate governs this wait
        await turn.wait()
        side_a, side_b, passages = await run_in_threadpool(answer_both, pair, versions, asked, identities)
    finally:
        turn.leave()

    def save() -> ArenaBattle:
        from ..store.arena_models import ArenaContestant

        battle = store.create_battle(
            s, user, question=question, level=level, lang=detect_language(question), library=library,
            pairing=ask.pairing if anony else "chosen", anony=anony,
            a=s.get(ArenaContestant, a_id), b=s.get(ArenaContestant, b_id),
        )
        battle.passages = passages
        for side, result in (("a", side_a), ("b", side_b)):
            setattr(battle, f"answer_{side}", result.answer)
            setattr(battle, f"citations_{side}", result.citations)
            setattr(battle, f"tokens_{side}", result.tokens)
            setattr(battle, f"seconds_{side}", result.seconds)
        leaks = [leak for leak in (side_a.leak, side_b.leak) if leak]
        battle.leaked, battle.leak_reason = bool(leaks), (leaks[0] if leaks else None)
        battle.errored = side_a.errored or side_b.errored
        battle.state = "errored" if battle.errored else "ready"
        s.commit()
        return battle

    return await run_in_threadpool(save)


def public_battle(battle: ArenaBattle) -> dict:
    """What the client may know before the vote. A failed answer's text may carry its backend's
    words (a file name, a server's message): an errored battle shows neither answer."""
    if battle.errored:
        failed = t("arena.error.battle_errored", battle.lang)
        return {"battle_id": battle.public_id, "a": failed, "b": failed}
    return {"battle_id": battle.public_id, "a": battle.answer_a, "b": battle.answer_b}


def open_battle(s: Session, user: User, public_id: str) -> ArenaBattle:
    """The judge's own battle (404 for any other id, so ids cannot be probed)."""
    battle = store.battle_by_public_id(s, public_id)
    if battle is None or battle.user_id != user.id:
        raise WebError(404, "arena.error.battle_not_found")
    return battle


def cast_vote(s: Session, user: User, public_id: str, verdict: str, reasons_a, reasons_b, comment,
              role: str | None, level: str | None, consent: bool) -> ArenaBattle:
    """Record the one, final vote (409 on a second one, or on a battle whose answer failed)."""
    battle = open_battle(s, user, public_id)
    if battle.state == "voted":
        raise WebError(409, "arena.error.already_voted")
    if battle.state == "errored":
        raise WebError(409, "arena.error.battle_errored")
    vote = check_vote(verdict, reasons_a, reasons_b, comment, role=role or DEFAULT_ROLES[user.role],
                      level=level_code(level) if level else None, consent=consent)
    store.record_vote(s, battle, user, vote)
    return battle


def reveal(s: Session, user: User, public_id: str) -> dict:
    """Who answered what, with tokens and time per answer; 403 before the vote."""
    battle = open_battle(s, user, public_id)
    if battle.state != "voted":
        raise WebError(403, "arena.error.reveal_before_vote")
    return {
        side: {
            "contestant": contestant.name, "model": contestant.model, "model_sha256": contestant.model_sha256,
            "model_url": contestant.model_url, "prompt_version": contestant.prompt_version,
            "temperature": contestant.temperature, "tokens": getattr(battle, f"tokens_{side}"),
            "seconds": getattr(battle, f"seconds_{side}"),
        }
        for side, contestant in (("a", battle.contestant_a), ("b", battle.contestant_b))
    }


def leaderboard(s: Session) -> dict:
    """The board (each contestant's n, score, ci_low, ci_high, rank_low, rank_high, preliminary),
    the filter report, boards per judge role and per level, and the teachers' reviewed verdicts.

    The fits take a while on many votes, so the last result is kept until a vote or a review
    changes what it was computed from."""
    key = (str(s.get_bind().url), store.board_fingerprint(s))
    with _BOARD_LOCK:
        if _BOARD_CACHE.get("key") == key:
            return _BOARD_CACHE["board"]
    board = _fit_boards(s)
    with _BOARD_LOCK:
        _BOARD_CACHE.update(key=key, board=board)
    return board


def _fit_boards(s: Session) -> dict:
    votes = store.comparisons(s)
    main = ranking.fit(votes, seed=ranking.BOARD_SEED)
    reviewed = ranking.fit(store.comparisons(s, teacher_reviews=True), seed=ranking.BOARD_SEED)
    return {
        **main.to_dict(),
        "by_role": {key: r.to_dict()["board"] for key, r in ranking.boards(votes, "role", seed=ranking.BOARD_SEED).items()},
        "by_level": {key: r.to_dict()["board"] for key, r in ranking.boards(votes, "level", seed=ranking.BOARD_SEED).items()},
        "teacher_reviews": reviewed.to_dict()["board"],
    }


__all__ = ["BattleAsk", "start_battle", "public_battle", "open_battle", "cast_vote", "reveal", "leaderboard"]
