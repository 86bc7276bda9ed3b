"""The Elo learner model: the issue's formulas, checked on an exact update sequence."""

from __future__ import annotations

import math

import pytest

from precepteur.learning.mastery import (
    ALPHA, BETA, MIN_ANSWERS, ItemEstimate, SkillEstimate, guess_rate, mastery_label, predict, sigmoid, uncertainty,
    update,
)


def test_parameters_are_the_issues():
    assert (ALPHA, BETA, MIN_ANSWERS) == (0.8, 0.05, 5)
    assert uncertainty(0) == 0.8
    assert uncertainty(20) == pytest.approx(0.4, abs=1e-15)


def test_guess_rate_is_one_over_choices_for_choice_items_only():
    assert guess_rate("mcq", 4) == 0.25
    assert guess_rate("mcq", 3) == pytest.approx(1 / 3)
    assert guess_rate("true_false", 2) == 0.5
    assert guess_rate("true_false", None) == 0.5
    for kind in ("cloze", "numeric", "short_answer"):
        assert guess_rate(kind, None) == 0.0


def test_predict_is_g_plus_one_minus_g_sigma():
    assert predict(SkillEstimate(0.0), ItemEstimate(0.0)) == 0.5
    assert predict(SkillEstimate(1.0), ItemEstimate(0.5), 0.25) == pytest.approx(0.25 + 0.75 * sigmoid(0.5), abs=1e-15)
    assert sigmoid(-800) == 0.0 and sigmoid(800) == 1.0  # no overflow


def test_update_sequence_exact():
    # 1. cold start, open item, right: P = 0.5, K(0) = 0.8 -> theta 0.4, d -0.4
    first = update(SkillEstimate(), ItemEstimate(), True)
    assert first.predicted == 0.5
    assert first.skill == SkillEstimate(0.4, 1)
    assert first.item == ItemEstimate(-0.4, 1)
    # 2. a new open item, right: P = sigma(0.4), K(1) = 0.8 / 1.05
    second = update(first.skill, ItemEstimate(), True)
    assert second.predicted == pytest.approx(0.598687660112452, abs=1e-15)
    assert second.skill.theta == pytest.approx(0.4 + 0.8 / 1.05 * (1 - 0.598687660112452), abs=1e-15)
    assert second.skill.theta == pytest.approx(0.7057617827714652, abs=1e-15)
    assert second.item.difficulty == pytest.approx(-0.3210498719100384, abs=1e-15)
    # 3. an MCQ of four choices seen 3 times (d = 0.5), wrong: g = 0.25, K(2) = 0.8/1.1, K(3) = 0.8/1.15
    third = update(second.skill, ItemEstimate(0.5, 3), False, guess_rate("mcq", 4))
    p = 0.25 + 0.75 * sigmoid(0.7057617827714652 - 0.5)
    assert third.predicted == pytest.approx(p, abs=1e-15) == pytest.approx(0.6634447905405535, abs=1e-15)
    assert third.skill == SkillEstimate(pytest.approx(0.22325648056015351, abs=1e-15), 3)
    assert third.item == ItemEstimate(pytest.approx(0.5 + 0.8 / 1.15 * p, abs=1e-15), 4)
    # 4. a true/false item, wrong: g = 0.5
    fourth = update(third.skill, ItemEstimate(), False, guess_rate("true_false", 2))
    assert fourth.predicted == pytest.approx(0.7777917195725095, abs=1e-15)
    assert fourth.skill == SkillEstimate(pytest.approx(-0.3178160200120271, abs=1e-15), 4)
    assert fourth.item.difficulty == pytest.approx(0.6222333756580076, abs=1e-15)


def test_update_copies_and_moves_theta_and_d_in_opposite_directions():
    skill, item = SkillEstimate(0.3, 2), ItemEstimate(0.1, 7)
    right, wrong = update(skill, item, True), update(skill, item, False)
    assert skill == SkillEstimate(0.3, 2) and item == ItemEstimate(0.1, 7)
    assert right.skill.theta > 0.3 > wrong.skill.theta
    assert right.item.difficulty < 0.1 < wrong.item.difficulty


def test_mastery_is_a_probability_with_its_answers_and_unrated_under_five():
    assert SkillEstimate(0.0, 9).mastery == 0.5
    assert mastery_label(SkillEstimate(1.0, 4), "fr") == "non évalué (4 réponses)"
    assert mastery_label(SkillEstimate(math.log(3), 8), "fr") == "75 % (8 réponses)"
    assert mastery_label(SkillEstimate(math.log(3), 8), "en") == "75% (8 answers)"


def test_to_dict_round_trip():
    assert SkillEstimate.from_dict(SkillEstimate(0.25, 3).to_dict()) == SkillEstimate(0.25, 3)
    assert ItemEstimate.from_dict(ItemEstimate(-1.5, 9).to_dict()) == ItemEstimate(-1.5, 9)


def test_new_skills_and_items_start_from_what_is_known():
    from precepteur.learning.mastery import starting_item, starting_skill, variance

    assert starting_skill([]) == SkillEstimate()
    assert starting_skill([SkillEstimate(3.0, 0)]) == SkillEstimate()  # nothing answered: no evidence
    # precision-weighted: 1/variance(0) = 1, 1/variance(20) = 1 + 0.05·20 = 2
    assert variance(0) == 1.0 and variance(20) == 0.5
    assert starting_skill([SkillEstimate(1.0, 0), SkillEstimate(-0.5, 20), SkillEstimate(0.7, 0)]) == \
        SkillEstimate(pytest.approx(-0.5), 0)
    assert starting_skill([SkillEstimate(1.0, 1), SkillEstimate(-0.5, 20)]) == \
        SkillEstimate(pytest.approx((1.0 / variance(1) - 1.0) / (1 / variance(1) + 2)), 0)
    # the mean of calibrated siblings only (5 answers or more)
    assert starting_item([ItemEstimate(1.0, 5), ItemEstimate(2.0, 9), ItemEstimate(-4.0, 4)]) == ItemEstimate(1.5, 0)
    assert starting_item([ItemEstimate(-4.0, 4)]) == ItemEstimate()


def test_band_chance_adds_the_uncertainty_of_theta_and_d():
    from precepteur.learning.mastery import band_chance

    band = (0.6, 0.9)
    # open item, theta - d = logit(0.8) = 1.386; band logits 0.405 .. 2.197; spread sqrt(1 + 1) when nothing is known
    low, high = math.log(0.6 / 0.4), math.log(0.9 / 0.1)
    mean = math.log(4.0)

    def phi(z):
        return 0.5 * (1 + math.erf(z / math.sqrt(2)))

    fresh = band_chance(SkillEstimate(mean, 0), ItemEstimate(0.0, 0), 0.0, band)
    assert fresh == pytest.approx(phi((high - mean) / math.sqrt(2)) - phi((low - mean) / math.sqrt(2)), abs=1e-12)
    known = band_chance(SkillEstimate(mean, 100), ItemEstimate(0.0, 100), 0.0, band)
    assert known > 0.85 > 0.5 > fresh  # the same predicted P is far surer on calibrated estimates
    # a true/false item: P in [0.6, 0.9] is sigma in [0.2, 0.8], a wider band in logits
    assert band_chance(SkillEstimate(0.0, 100), ItemEstimate(0.0, 100), 0.5, band) > known
    assert band_chance(SkillEstimate(9.0, 100), ItemEstimate(0.0, 100), 0.0, band) < 0.01
