"""Playful, never childish: points, a weekly goal and a streak of weeks (pure functions).

- Points reward what was learnt, not speed: POINTS_PER_MASTERY points for each
  percentage point of mastery gained in a skill (losses cost nothing), and
  POINTS_PER_REVIEW for each review done.
- The goal is weekly (DEFAULT_WEEKLY_GOAL sessions finished in an ISO week, UTC),
  and the streak counts weeks, not days: broken daily streaks discourage
  (Silverman & Barasch, JCR 2023). A missed week uses a freeze instead of
  breaking the streak; a learner holds at most MAX_FREEZES, starts with them all,
  and earns one back every FREEZE_EARN_WEEKS weeks kept. The week in progress
  never breaks anything: it only adds once its goal is met.
- There is no public individual leaderboard (Hanus & Fox 2015): points are shown
  to the learner only, and a teacher can turn them off for a class.

Constants: UNSEEN_MASTERY, POINTS_PER_MASTERY, POINTS_PER_REVIEW, DEFAULT_WEEKLY_GOAL, MAX_FREEZES, FREEZE_EARN_WEEKS.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

POINTS_PER_MASTERY = 1  # per percentage point gained
POINTS_PER_REVIEW = 5
DEFAULT_WEEKLY_GOAL = 3
MAX_FREEZES = 2
FREEZE_EARN_WEEKS = 4
UNSEEN_MASTERY = 0.5  # sigma(0): the mastery of a skill never practised


def session_points(before: Mapping[str, float], after: Mapping[str, float], reviews: int) -> int:
    """Points of one session: mastery gained per skill (0–1 scale, losses ignored; a skill not in
    `before` started at UNSEEN_MASTERY) and reviews done."""
    gained = sum(max(0.0, after[skill] - before.get(skill, UNSEEN_MASTERY)) for skill in after)
    return round(100 * POINTS_PER_MASTERY * gained) + POINTS_PER_REVIEW * max(0, reviews)


def week_of(when: datetime) -> date:
    """The Monday (UTC) that starts the ISO week of `when`."""
    if when.tzinfo is None:
        raise ValueError("naive datetime: pass an aware UTC datetime")
    day = when.astimezone(timezone.utc).date()
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Weekly:
    """The learner's week: sessions done against the goal, the streak of weeks kept, freezes left."""

    done: int
    goal: int
    streak: int
    freezes: int
    frozen: int  # weeks saved by a freeze in the current streak

    @property
    def met(self) -> bool:
        return self.done >= self.goal

    def to_dict(self) -> dict:
        return {"done": self.done, "goal": self.goal, "met": self.met, "streak": self.streak,
                "freezes": self.freezes, "frozen": self.frozen}


def weekly(finished: Iterable[datetime], now: datetime, goal: int = DEFAULT_WEEKLY_GOAL) -> Weekly:
    """The weekly goal and streak at `now`, from the times sessions were finished."""
    goal = max(1, goal)
    per_week: dict[date, int] = {}
    for when in finished:
        per_week[week_of(when)] = per_week.get(week_of(when), 0) + 1
    current = week_of(now)
    done = per_week.get(current, 0)
    if not per_week:
        return Weekly(done, goal, 0, MAX_FREEZES, 0)
    streak = frozen = kept_since_earn = 0
    freezes = MAX_FREEZES
    week = min(per_week)
    while week < current:
        if per_week.get(week, 0) >= goal:
            streak += 1
            kept_since_earn += 1
            if kept_since_earn >= FREEZE_EARN_WEEKS:
                kept_since_earn = 0
                freezes = min(MAX_FREEZES, freezes + 1)
        elif streak and freezes:
            freezes -= 1
            frozen += 1
        else:
            streak = frozen = kept_since_earn = 0
            freezes = MAX_FREEZES
        week += timedelta(days=7)
    if done >= goal:
        streak += 1
    return Weekly(done, goal, streak, freezes, frozen)


def cheer_key(cycle: str, score: float) -> str:
    """The catalogue key of the words that close a session: by the learner's cycle
    (primaire, college, lycee, adulte) and how it went (score 0–1)."""
    band = "high" if score >= 0.8 else "mid" if score >= 0.5 else "low"
    cycle = cycle if cycle in ("primaire", "college", "lycee", "adulte") else "adulte"
    return f"learning.cheer.{cycle}.{band}"


__all__ = ["DEFAULT_WEEKLY_GOAL", "FREEZE_EARN_WEEKS", "MAX_FREEZES", "POINTS_PER_MASTERY", "POINTS_PER_REVIEW",
           "Weekly", "cheer_key", "session_points", "week_of", "weekly"]
