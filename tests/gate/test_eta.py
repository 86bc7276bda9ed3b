"""The wait estimate on exact numbers: rates, medians, slots, and no estimate under 20 samples."""

from __future__ import annotations

import pytest

from precepteur.gate.eta import MIN_SAMPLES, Ahead, Measures, Running, Timing, estimate, quantile, start_in


def steady(n: int = MIN_SAMPLES, *, output: int = 101, cohort: str = "public") -> Measures:
    """n answers: 100-token prompts in 0.5 s (200 tok/s), `output` tokens at 20 tok/s after the first."""
    return Measures.of(
        Timing(cohort, 100, output, 0.5, 0.5 + (output - 1) / 20) for _ in range(n)
    )


def test_rates_are_moving_averages():
    m = Measures()
    m.add(Timing("public", 100, 11, 1.0, 2.0))  # 100 tok/s prefill, 10 tok/s decode
    assert (m.prefill_rate, m.decode_rate) == (100.0, 10.0)
    m.add(Timing("public", 200, 21, 1.0, 2.0))  # 200 and 20: +0.1 of the gap
    assert m.prefill_rate == pytest.approx(110.0) and m.decode_rate == pytest.approx(11.0)


def test_no_estimate_below_twenty_samples_never_zero():
    assert estimate(steady(MIN_SAMPLES - 1), [], [], 1) is None
    assert estimate(steady(MIN_SAMPLES), [], [], 1).seconds == 0.0


def test_one_slot_sums_what_is_ahead_plus_the_rest_of_the_running_answer():
    m = steady()  # one request of 100 prompt tokens and 101 out: 0.5 + 5.05 = 5.55 s
    running = [Running(100, "public", elapsed_s=2.0, generated=41)]  # 60 tokens left: 3 s
    ahead = [Ahead(100, "public"), Ahead(300, "public")]  # 5.55 + (1.5 + 5.05)
    assert start_in(m, ahead, running, 1) == pytest.approx(3.0 + 5.55 + 6.55)


def test_a_running_answer_still_in_prefill():
    m = steady()
    assert start_in(m, [], [Running(100, "public", elapsed_s=0.25)], 1) == pytest.approx(5.55 - 0.25)


def test_slots_take_the_requests_ahead_on_the_first_free_one():
    m = steady()
    running = [Running(100, "public", 1.0, generated=81), Running(100, "public", 1.0, generated=21)]  # 1 s, 4 s
    ahead = [Ahead(100, "public")] * 3
    # 4 slots: two are free now -> two start at 0; the third on the slot free at 1 s; me: the one free at 4 s
    assert start_in(m, ahead, running, 4) == pytest.approx(4.0)
    # 2 slots: ahead start at 1, 4 and 6.55 (= 1 + 5.55); the slots then free at 9.55 and 12.1: me at 9.55
    assert start_in(m, ahead, running, 2) == pytest.approx(9.55)


def test_expected_output_is_a_rolling_median_per_cohort():
    m = Measures.of([Timing("alpha", 100, n, 0.5, 1.0) for n in range(1, 22)]
                    + [Timing("beta", 100, 500, 0.5, 1.0) for _ in range(20)])
    assert m.output("alpha") == 11
    assert m.output("beta") == 500
    assert m.output("public") == quantile([*range(1, 22), *[500] * 20], 0.5)  # too few: every cohort


def test_the_range_comes_from_the_output_quartiles():
    timings = [Timing("public", 100, out, 0.5, 0.5 + (out - 1) / 20) for out in (41, 101, 161) * 7]
    m = Measures.of(timings)
    result = estimate(m, [Ahead(100, "public")], [], 1)
    assert result.low_s < result.seconds < result.high_s
    assert result.seconds == pytest.approx(0.5 + m.output("public") / m.decode_rate)
