"""What a verdict may say: the verdicts, the reasons per side, the judge's roles, the limits.

`check_vote(...)` is pure: it returns the cleaned `Vote` or raises an InputError whose
key names what is wrong (an unknown verdict, reason or role, a comment over
MAX_COMMENT_CHARS). The same reasons serve the 👍/👎 feedback on any answer
(`check_feedback`). The review queue's triggers are REVIEW_REASONS.

Constants: VERDICTS, POSITIVE_REASONS, NEGATIVE_REASONS, REASONS, JUDGE_ROLES,
RATINGS, REVIEW_REASONS, MAX_COMMENT_CHARS.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError
from .ranking import VERDICTS

POSITIVE_REASONS = ("correct", "right_level", "sourced", "makes_think", "clear")
NEGATIVE_REASONS = ("incorrect", "wrong_level", "gives_answer", "invented_source", "off_topic", "unsafe_for_minor")
REASONS = POSITIVE_REASONS + NEGATIVE_REASONS
JUDGE_ROLES = ("learner", "teacher", "tester")
RATINGS = ("up", "down")
REVIEW_REASONS = ("incorrect", "unsafe_for_minor")
MAX_COMMENT_CHARS = 500


@dataclass(frozen=True)
class Vote:
    verdict: str
    reasons_a: tuple[str, ...] = ()
    reasons_b: tuple[str, ...] = ()
    comment: str = ""
    role: str = "tester"
    level: str | None = None
    consent: bool = False


def check_reasons(reasons) -> tuple[str, ...]:
    """The reasons, each known and listed once, in the order given."""
    cleaned: list[str] = []
    for reason in reasons or ():
        if reason not in REASONS:
            raise InputError("arena.error.unknown_reason", reason=str(reason)[:40], reasons=", ".join(REASONS))
        if reason not in cleaned:
            cleaned.append(reason)
    return tuple(cleaned)


def check_comment(comment: str | None) -> str:
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT_CHARS:
        raise InputError("arena.error.comment_too_long", chars=len(comment), limit=MAX_COMMENT_CHARS)
    return comment


def check_vote(verdict: str, reasons_a=(), reasons_b=(), comment: str | None = None, *,
               role: str = "tester", level: str | None = None, consent: bool = False) -> Vote:
    """The vote as it will be stored, or an InputError saying what is wrong."""
    if verdict not in VERDICTS:
        raise InputError("arena.error.unknown_verdict", verdict=str(verdict)[:40], verdicts=", ".join(VERDICTS))
    if role not in JUDGE_ROLES:
        raise InputError("arena.error.unknown_role", role=str(role)[:40], roles=", ".join(JUDGE_ROLES))
    return Vote(verdict, check_reasons(reasons_a), check_reasons(reasons_b), check_comment(comment),
                role, level, bool(consent))


def check_feedback(rating: str, reasons=(), comment: str | None = None) -> tuple[str, tuple[str, ...], str]:
    """(rating, reasons, comment) of a 👍/👎, or an InputError."""
    if rating not in RATINGS:
        raise InputError("arena.error.unknown_rating", rating=str(rating)[:40])
    return rating, check_reasons(reasons), check_comment(comment)


__all__ = [
    "VERDICTS", "POSITIVE_REASONS", "NEGATIVE_REASONS", "REASONS", "JUDGE_ROLES", "RATINGS", "REVIEW_REASONS",
    "MAX_COMMENT_CHARS", "Vote", "check_vote", "check_feedback", "check_reasons", "check_comment",
]
