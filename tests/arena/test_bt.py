"""Bradley–Terry on the issue's reference cases, exact to half a point; filters and intervals."""

from __future__ import annotations

import pytest

from precepteur.arena.ranking import Comparison, apply_filters, boards, expected_share, fit


def votes(a: str, b: str, verdict: str, count: int, **extra) -> list[Comparison]:
    return [Comparison(a, b, verdict, **extra) for _ in range(count)]


def three_way() -> list[Comparison]:
    return (
        votes("A", "B", "a", 6) + votes("A", "B", "b", 4)
        + votes("B", "C", "a", 7) + votes("B", "C", "b", 3)
        + votes("A", "C", "a", 8) + votes("A", "C", "b", 2) + votes("A", "C", "tie", 2)
    )


def test_three_to_one():
    ratings = fit(votes("A", "B", "a", 3) + votes("A", "B", "b", 1))
    assert ratings["A"].score == pytest.approx(1095.42, abs=0.5)
    assert ratings["B"].score == pytest.approx(904.58, abs=0.5)
    assert [r.contestant for r in ratings.board] == ["A", "B"]


def test_two_wins_and_two_ties_are_the_same():
    ratings = fit(votes("A", "B", "a", 2) + votes("A", "B", "tie", 2))
    assert ratings["A"].score == pytest.approx(1095.42, abs=0.5)
    assert ratings["B"].score == pytest.approx(904.58, abs=0.5)


def test_both_bad_counts_as_a_tie():
    ratings = fit(votes("A", "B", "a", 2) + votes("A", "B", "both_bad", 2))
    assert ratings["A"].score == pytest.approx(1095.42, abs=0.5)


def test_three_contestants():
    ratings = fit(three_way())
    assert ratings["A"].score == pytest.approx(1087.32, abs=0.5)
    assert ratings["B"].score == pytest.approx(1025.22, abs=0.5)
    assert ratings["C"].score == pytest.approx(887.46, abs=0.5)
    assert [r.rank for r in ratings.board] == [1, 2, 3]
    assert sum(r.score for r in ratings.board) == pytest.approx(3000, abs=0.05)
    assert ratings["A"].n == 22 and ratings["B"].n == 20 and ratings["C"].n == 22


def test_duplicate_battle_ids_change_nothing():
    cases = [Comparison(c.a, c.b, c.verdict, battle_id=f"b{i}") for i, c in enumerate(three_way())]
    once = fit(cases)
    twice = fit(cases + cases[:10] + cases[5:20])
    assert twice.board == once.board
    assert twice.report["duplicate"] == 25
    assert twice.report["counted"] == once.report["counted"] == len(cases)


@pytest.mark.parametrize("cases", [
    votes("A", "B", "a", 3) + votes("A", "B", "b", 1),
    three_way(),
    votes("A", "B", "a", 5),  # a contestant that never lost keeps a finite score
])
def test_every_interval_contains_its_estimate(cases):
    for rating in fit(cases).board:
        assert rating.ci_low <= rating.score <= rating.ci_high
        assert rating.rank_low <= rating.rank <= rating.rank_high


def test_bootstrap_is_seeded():
    assert fit(three_way(), seed=7).board == fit(three_way(), seed=7).board
    assert fit(three_way(), seed=7).board != fit(three_way(), seed=8).board


def test_prediction_matches_the_fitted_share():
    ratings = fit(votes("A", "B", "a", 3) + votes("A", "B", "b", 1))
    assert expected_share(ratings["A"].score, ratings["B"].score) == pytest.approx(0.75, abs=1e-3)


def test_eighty_votes_by_one_judge_in_a_day_count_fifty():
    day1 = votes("A", "B", "a", 80, judge="j1", day="2025-03-01")
    day2 = votes("A", "B", "b", 10, judge="j1", day="2025-03-02")
    other = votes("A", "B", "b", 5, judge="j2", day="2025-03-01")
    kept, report = apply_filters(day1 + day2 + other)
    assert len(kept) == 65 and report["judge_day_cap"] == 30
    ratings = fit(day1)
    assert ratings["A"].n == 50


def test_filters_each_count():
    cases = (
        votes("A", "B", "a", 3)
        + votes("A", "B", "a", 2, anony=False)
        + votes("A", "B", "a", 4, leaked=True)
        + votes("A", "B", "b", 1, errored=True)
        + votes("A", "B", "b", 6, excluded=True)
        + votes("A", "B", "b", 1)
    )
    ratings = fit(cases)
    assert ratings.report == {
        "votes": 17, "not_blind": 2, "leaked": 4, "errored": 1, "excluded": 6,
        "duplicate": 0, "judge_day_cap": 0, "counted": 4,
    }
    assert ratings["A"].score == pytest.approx(1095.42, abs=0.5)


def test_preliminary_until_two_hundred_votes_and_narrow():
    few = fit(votes("A", "B", "a", 60) + votes("A", "B", "b", 40))
    assert all(r.preliminary for r in few.board)
    many = fit(votes("A", "B", "a", 600) + votes("A", "B", "b", 400)
               + votes("B", "C", "a", 500) + votes("B", "C", "b", 500))
    assert not many["A"].preliminary  # n = 1000, half-width about 25 points
    assert many["A"].ci_high - many["A"].ci_low < 100


def test_boards_per_role():
    cases = votes("A", "B", "a", 3, role="teacher") + votes("A", "B", "b", 3, role="learner")
    per_role = boards(cases, "role")
    assert set(per_role) == {"learner", "teacher"}
    assert per_role["teacher"]["A"].score > 1000 > per_role["learner"]["A"].score


def test_bad_records_are_refused():
    with pytest.raises(ValueError):
        Comparison("A", "B", "maybe")
    with pytest.raises(ValueError):
        Comparison("A", "A", "a")


def test_round_trip_and_empty():
    c = Comparison("A", "B", "tie", battle_id="x", judge="j", day="2025-01-01", role="tester", level="6e")
    assert Comparison.from_dict(c.to_dict()) == c
    assert fit([]).board == [] and fit([]).report["votes"] == 0
