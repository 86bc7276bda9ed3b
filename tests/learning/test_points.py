"""Points, the weekly goal and the streak of weeks with freezes (fixed clocks, exact values)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from precepteur.learning.points import MAX_FREEZES, cheer_key, session_points, week_of, weekly

MONDAY = datetime(2025, 3, 3, 10, 0, tzinfo=timezone.utc)  # an ISO week's first day


def sessions_in(week: int, count: int) -> list[datetime]:
    return [MONDAY + timedelta(weeks=week, hours=i) for i in range(count)]


def test_points_for_mastery_gained_and_reviews_not_speed():
    assert session_points({"a": 0.5, "b": 0.7}, {"a": 0.62, "b": 0.65}, reviews=3) == 12 + 15
    assert session_points({}, {"a": 0.6}, reviews=0) == 10  # a new skill starts at 0.5
    assert session_points({"a": 0.9}, {"a": 0.4}, reviews=0) == 0


def test_week_of_is_the_utc_monday():
    assert week_of(MONDAY + timedelta(days=6, hours=13)).isoformat() == "2025-03-03"
    assert week_of(MONDAY.replace(hour=0) - timedelta(minutes=1)).isoformat() == "2025-02-24"


def test_weekly_goal_in_progress_and_met():
    now = MONDAY + timedelta(days=2)
    assert weekly([], now).to_dict() == {"done": 0, "goal": 3, "met": False, "streak": 0, "freezes": 2, "frozen": 0}
    status = weekly(sessions_in(0, 2), now)
    assert (status.done, status.met, status.streak) == (2, False, 0)
    status = weekly(sessions_in(0, 3), now)
    assert (status.done, status.met, status.streak) == (3, True, 1)


def test_streak_of_weeks_with_two_freezes_then_broken():
    history = sessions_in(0, 3) + sessions_in(1, 3) + sessions_in(4, 3)  # weeks 2 and 3 missed
    status = weekly(history, MONDAY + timedelta(weeks=5, days=1))
    assert (status.streak, status.freezes, status.frozen, status.done) == (3, 0, 2, 0)
    # a third missed week (week 5) with no freeze left breaks the streak
    status = weekly(history, MONDAY + timedelta(weeks=6, days=1))
    assert (status.streak, status.freezes, status.frozen) == (0, MAX_FREEZES, 0)


def test_a_freeze_is_earned_back_every_four_weeks_kept():
    history = sessions_in(0, 3) + [w for k in range(2, 6) for w in sessions_in(k, 3)]  # week 1 missed
    status = weekly(history, MONDAY + timedelta(weeks=6, days=1))
    assert (status.streak, status.freezes, status.frozen) == (5, 2, 1)


def test_cheer_keys_by_cycle_and_score():
    assert cheer_key("college", 0.9) == "learning.cheer.college.high"
    assert cheer_key("primaire", 0.5) == "learning.cheer.primaire.mid"
    assert cheer_key("lycee", 0.1) == "learning.cheer.lycee.low"
    assert cheer_key("?", 0.1) == "learning.cheer.adulte.low"
