"""The session builder (pure: state in, list out) and a running session's progress."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from precepteur.learning.mastery import ItemEstimate, SkillEstimate
from precepteur.learning.sessions import Attempt, Candidate, LearnerState, Progress, build

NOW = datetime(2025, 3, 10, 9, 0, tzinfo=timezone.utc)


def bank():
    """Skills a (3 items), b (3 items), c (2 items); open items."""
    return [Candidate(1, "a", "cloze"), Candidate(2, "a", "cloze"), Candidate(3, "a", "cloze"),
            Candidate(4, "b", "cloze"), Candidate(5, "b", "cloze"), Candidate(6, "b", "cloze"),
            Candidate(7, "c", "cloze"), Candidate(8, "c", "cloze")]


def test_due_reviews_first_most_overdue_first_then_new_items():
    state = LearnerState(due={5: NOW - timedelta(days=1), 2: NOW - timedelta(days=3), 7: NOW + timedelta(days=2)})
    plan = build(bank(), state, NOW, 5)
    assert plan[:2] == [2, 5]  # 2 is the most overdue; 7 is not due yet
    assert 7 not in plan and len(plan) == 5 == len(set(plan))


def test_new_items_closest_to_target_in_the_weakest_two_skills():
    # theta: a strong, b weakest, c weak -> b and c alternate; in b the item whose P is closest to 0.8 first
    state = LearnerState(skills={"a": SkillEstimate(2.0, 9), "b": SkillEstimate(-0.5, 9), "c": SkillEstimate(0.0, 9)},
                         items={4: ItemEstimate(1.0), 5: ItemEstimate(-1.9), 6: ItemEstimate(-3.0),
                                7: ItemEstimate(-1.4), 8: ItemEstimate(0.0)})
    # P(b,4)=sigma(-1.5)=0.18, P(b,5)=sigma(1.4)=0.80, P(b,6)=sigma(2.5)=0.92; P(c,7)=sigma(1.4)=0.80, P(c,8)=0.5
    assert build(bank(), state, NOW, 4) == [5, 7, 6, 8]


def test_a_skill_that_runs_out_is_replaced_by_the_next_weakest():
    state = LearnerState(skills={"a": SkillEstimate(2.0, 9), "b": SkillEstimate(1.0, 9), "c": SkillEstimate(-1.0, 9)},
                         items={7: ItemEstimate(-2.0), 8: ItemEstimate(-2.0)})
    plan = build(bank(), state, NOW, 6)
    assert plan[:4] == [7, 4, 8, 5]  # c and b alternate; c runs out after two
    assert {i for i in plan[4:]} <= {1, 2, 3, 6}


def test_a_weak_skill_with_nothing_at_the_right_difficulty_gives_its_turn():
    # c is the weakest, but P(c) = sigma(-3) = 0.05 for all its items; b (0.73) and a (0.88) come first
    state = LearnerState(skills={"a": SkillEstimate(2.0, 9), "b": SkillEstimate(1.0, 9), "c": SkillEstimate(-3.0, 9)})
    assert build(bank(), state, NOW, 4) == [4, 1, 5, 2]


def test_reviews_take_at_most_half_the_session_while_new_items_remain():
    state = LearnerState(due={i: NOW - timedelta(days=i) for i in (1, 2, 3, 4, 5)})
    plan = build(bank(), state, NOW, 5)
    assert plan[:3] == [5, 4, 3] and set(plan[3:]) <= {6, 7, 8}
    state = LearnerState(due={i: NOW - timedelta(days=i) for i in range(1, 9)})
    assert build(bank(), state, NOW, 5) == [8, 7, 6, 5, 4]  # nothing new: all reviews


def test_at_least_two_skills_even_when_reviews_of_one_skill_fill_the_session():
    state = LearnerState(due={i: NOW - timedelta(days=i) for i in (1, 2, 3)})
    plan = build([c for c in bank() if c.skill == "a"] + [Candidate(9, "b", "cloze")], state, NOW, 3)
    assert plan == [3, 2, 9]


def test_one_skill_only_when_the_library_has_one():
    only_a = [c for c in bank() if c.skill == "a"]
    assert sorted(build(only_a, LearnerState(), NOW, 5)) == [1, 2, 3]


def test_seen_items_fill_the_session_when_nothing_new_or_due_is_left():
    state = LearnerState(due={i: NOW + timedelta(days=10 - i) for i in range(1, 9)})
    assert build(bank(), state, NOW, 5) == [8, 7, 6, 5, 4]


def test_naive_now_is_refused():
    with pytest.raises(ValueError):
        build(bank(), LearnerState(), NOW.replace(tzinfo=None), 5)


def test_progress_wrong_items_come_back_once_at_the_end():
    progress = Progress([1, 2, 3])
    assert progress.queue == [1, 2, 3] and progress.total == 3
    progress.attempts.append(Attempt(1, False))
    assert progress.queue == [2, 3, 1] and progress.total == 4
    assert progress.attempt_number(1) == 2
    assert progress.refusal(1) is None
    progress.attempts.append(Attempt(2, True))
    assert progress.refusal(2) == "already_answered"
    assert progress.refusal(9) == "not_in_session"
    progress.attempts += [Attempt(3, True), Attempt(1, False)]
    assert progress.done and progress.queue == []
    assert progress.refusal(1) == "already_answered"  # a wrong retry does not come back again


def test_a_calibrated_item_beats_an_uncertain_one_at_the_same_predicted_p():
    # both items of b are predicted at P = sigma(1.4) = 0.80; item 5 rests on 40 answers, item 4 on 1
    state = LearnerState(skills={"b": SkillEstimate(0.0, 30)}, items={4: ItemEstimate(-1.4, 1), 5: ItemEstimate(-1.4, 40)})
    assert build([c for c in bank() if c.skill == "b"], state, NOW, 2)[0] == 5


def test_new_items_are_predicted_from_their_calibrated_siblings():
    # theta = 1.3: a new cloze item at d = 0 would be the likeliest in the band (0.535 against 0.514 for the new
    # true/false item 9); but the calibrated cloze items of b are hard (d = 2), so the new cloze item 6 starts
    # at d = 2 (band chance 0.17) and item 9 comes first
    items = {4: ItemEstimate(2.0, 9), 5: ItemEstimate(2.0, 9)}
    state = LearnerState(skills={"b": SkillEstimate(1.3, 20)}, items=items, due={4: NOW + timedelta(days=3),
                                                                              5: NOW + timedelta(days=3)})
    only_b = [c for c in bank() if c.skill == "b"] + [Candidate(9, "b", "true_false")]
    assert build(only_b, state, NOW, 2) == [9, 6]
