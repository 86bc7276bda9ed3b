"""Spaced review over the `fsrs` package: one card per (learner, item).

- A wrong answer is `Again`, a right one `Good`, a right one after a hint `Hard`
  (never `Hard` for a wrong answer: FSRS counts Hard as a pass).
- Only the first attempt at an item on a given (UTC) day is a review; later ones
  the same day change nothing (`is_review`).
- The scheduler works in days (no intra-day learning steps: a learner practises
  in sessions, not minutes apart) and without fuzzing, so intervals are exact and
  testable; DESIRED_RETENTION is the FSRS default.
- Datetimes are timezone-aware UTC everywhere; a naive one is refused.

Cards and logs travel as `to_dict()` / `from_dict()` plain data (the store keeps
them as JSON). Pure functions: `review` returns a new card and its log.

Constants: DESIRED_RETENTION, MAXIMUM_INTERVAL_DAYS.
"""

from __future__ import annotations

from datetime import datetime, timezone

from fsrs import Card, Rating, ReviewLog, Scheduler

DESIRED_RETENTION = 0.9
MAXIMUM_INTERVAL_DAYS = 365


def scheduler() -> Scheduler:
    """The one scheduler configuration (days, no fuzz)."""
    return Scheduler(desired_retention=DESIRED_RETENTION, learning_steps=(), relearning_steps=(),
                     maximum_interval=MAXIMUM_INTERVAL_DAYS, enable_fuzzing=False)


_SCHEDULER = scheduler()


def _aware(when: datetime) -> datetime:
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError("naive datetime: pass an aware UTC datetime")
    return when.astimezone(timezone.utc)


def rating_for(correct: bool, hinted: bool = False) -> Rating:
    """Again when wrong (hint or not), Hard when right after a hint, Good when right."""
    if not correct:
        return Rating.Again
    return Rating.Hard if hinted else Rating.Good


def new_card(card_id: int, now: datetime) -> Card:
    """A card for an item never reviewed, due now."""
    return Card(card_id=int(card_id), due=_aware(now))


def is_review(last_review: datetime | None, now: datetime) -> bool:
    """Whether an attempt at `now` counts: the first of its UTC day for this card."""
    if last_review is None:
        return True
    return _aware(last_review).date() != _aware(now).date()


def review(card: Card, correct: bool, now: datetime, *, hinted: bool = False) -> tuple[Card, ReviewLog]:
    """The card after one review at `now` (aware UTC), and its log."""
    return _SCHEDULER.review_card(card, rating_for(correct, hinted), review_datetime=_aware(now))


def card_from_dict(data: dict) -> Card:
    return Card.from_dict(data)


def log_from_dict(data: dict) -> ReviewLog:
    return ReviewLog.from_dict(data)


__all__ = ["DESIRED_RETENTION", "MAXIMUM_INTERVAL_DAYS", "Card", "Rating", "ReviewLog", "card_from_dict",
           "is_review", "log_from_dict", "new_card", "rating_for", "review", "scheduler"]
