"""Spaced review over fsrs: ratings from answers, exact intervals with a fixed clock, one review a day."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from precepteur.learning.review import (
    Rating, card_from_dict, is_review, log_from_dict, new_card, rating_for, review,
)

NOW = datetime(2025, 3, 10, 9, 0, tzinfo=timezone.utc)


def test_ratings_never_hard_for_a_wrong_answer():
    assert rating_for(False) == Rating.Again
    assert rating_for(False, hinted=True) == Rating.Again
    assert rating_for(True) == Rating.Good
    assert rating_for(True, hinted=True) == Rating.Hard


def test_first_review_intervals_in_days_wrong_sooner_than_right():
    right, log = review(new_card(7, NOW), True, NOW)
    wrong, _ = review(new_card(8, NOW), False, NOW)
    hinted, _ = review(new_card(9, NOW), True, NOW, hinted=True)
    assert right.due - NOW == timedelta(days=2)
    assert wrong.due - NOW == timedelta(days=1)
    assert hinted.due - NOW == timedelta(days=1)
    assert right.stability == pytest.approx(2.3065) and wrong.stability == pytest.approx(0.212)
    assert log.to_dict() == {"card_id": 7, "rating": 3, "review_datetime": "2025-03-10T09:00:00+00:00",
                             "review_duration": None}


def test_interval_sequence_of_right_answers_on_time():
    card, _ = review(new_card(1, NOW), True, NOW)
    gaps = []
    for _ in range(4):
        when = card.due
        card, _ = review(card, True, when)
        gaps.append((card.due - when).days)
    assert gaps == [11, 46, 163, 365]  # capped at MAXIMUM_INTERVAL_DAYS


def test_only_the_first_attempt_of_a_utc_day_is_a_review():
    assert is_review(None, NOW)
    assert not is_review(NOW.replace(hour=1), NOW.replace(hour=23))
    assert is_review(NOW - timedelta(days=1), NOW)
    paris = timezone(timedelta(hours=1))
    assert is_review(datetime(2025, 3, 10, 0, 30, tzinfo=paris), NOW)  # 23:30 UTC the day before


def test_cards_and_logs_round_trip_through_dicts():
    card, log = review(new_card(3, NOW), False, NOW)
    again = card_from_dict(card.to_dict())
    assert again.to_dict() == card.to_dict() and again.due.tzinfo is not None
    assert log_from_dict(log.to_dict()).to_dict() == log.to_dict()


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        review(new_card(1, NOW), True, NOW.replace(tzinfo=None))
    with pytest.raises(ValueError):
        new_card(1, NOW.replace(tzinfo=None))
