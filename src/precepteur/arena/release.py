"""A preference release from the database: voted battles as export `Candidate`s, the
accounts' names for the personal-data detector, and the files written.

The prompt is rebuilt as the tutor built it: the system prompt for the battle's level,
the chosen side's mode and the question's language, without the installation's canary
(it is a secret), then the user turn with the stored passages. (A verified fact computed
by a skill is not stored with the battle, so its line is not in the rebuilt turn.)
"""

from __future__ import annotations

import secrets as random_secrets
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import InputError
from ..learning.levels import DEFAULT_LEVEL, parse_level
from ..store.arena_models import ArenaBattle, ArenaVote
from ..store.classes import training_allowed
from ..store.models import User
from ..tutor import prompts
from .contest import PROMPT_VERSIONS
from .export import Candidate, Side, preference_rows, validate, write_jsonl, write_parquet

FORMATS = ("jsonl", "parquet")
SECRET_BYTES = 32


def _side(battle: ArenaBattle, vote: ArenaVote, side: str) -> Side:
    contestant = getattr(battle, f"contestant_{side}")
    return Side(
        contestant=contestant.name, model=contestant.model, prompt_version=contestant.prompt_version,
        answer=getattr(battle, f"answer_{side}"), reasons=tuple(getattr(vote, f"reasons_{side}")),
        output_licence=contestant.output_licence, allows_training=contestant.allows_training,
    )


def candidates(s: Session) -> list[Candidate]:
    """Every voted battle, oldest vote first."""
    query = (select(ArenaBattle, ArenaVote).join(ArenaVote, ArenaVote.battle_id == ArenaBattle.id)
             .order_by(ArenaVote.created_at, ArenaVote.id))
    found = []
    allowed: dict[int, bool] = {}
    for battle, vote in s.execute(query):
        if vote.judge_id is not None and vote.judge_id not in allowed:
            allowed[vote.judge_id] = training_allowed(s, vote.judge_id)
        chosen = battle.contestant_b if vote.verdict == "b" else battle.contestant_a
        level = parse_level(battle.level) or parse_level(DEFAULT_LEVEL)
        mode = PROMPT_VERSIONS.get(chosen.prompt_version, "explain")
        found.append(Candidate(
            battle_id=battle.public_id, question=battle.question,
            system_prompt=prompts.system_prompt(level, mode, battle.lang, None),
            user_turn=prompts.user_turn(battle.question, [], battle.passages, battle.lang),
            a=_side(battle, vote, "a"), b=_side(battle, vote, "b"), verdict=vote.verdict, consent=vote.consent,
            judge_id=vote.judge_id, role=vote.role, level=battle.level, judge_level=vote.level,
            day=vote.created_at.date().isoformat(), comment=vote.comment, minor=vote.minor, cohort=vote.cohort,
            training_allowed=allowed.get(vote.judge_id, False),
            excluded=battle.excluded or battle.review_status == "excluded", anony=battle.anony,
            leaked=battle.leaked, library=battle.library,
        ))
    return found


def account_names(s: Session) -> list[str]:
    return list(s.scalars(select(User.name)))


def export(s: Session, out: Path, fmt: str, secret: bytes | None = None) -> dict[str, int]:
    """Write the release to `out` in `fmt`; the report of what was kept and dropped."""
    if fmt not in FORMATS:
        raise InputError("arena.error.unknown_format", format=fmt)
    rows, report = preference_rows(candidates(s), secret or random_secrets.token_bytes(SECRET_BYTES),
                                   account_names(s))
    for row in rows:
        validate(row)
    (write_jsonl if fmt == "jsonl" else write_parquet)(rows, Path(out))
    return report


__all__ = ["FORMATS", "candidates", "account_names", "export"]
