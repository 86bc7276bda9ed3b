"""The wait estimate on exact numbers: rates, medians, slots, and no estimate under 20 samples."""

from __future__ import annotations

import pytest

from precepteur.gate.eta import (
    ENTRY_WINDOW_S, MIN_SAMPLES, Ahead, Measures, Running, Timing, estimate, floor_of, floor_rise, quantile, start_in,
)


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


def test_the_floor_rise_is_its_slope_over_the_window():
    samples = [(100.0, 1000.0), (110.0, 1300.0), (130.0, 1600.0)]
    assert floor_rise(samples, now=130.0) == pytest.approx(20.0)  # 600 over 30 s
    assert floor_rise(samples, now=130.0 + ENTRY_WINDOW_S - 5) == 0.0  # one sample left in the window
    assert floor_rise([(100.0, 1000.0), (105.0, 1100.0)], now=105.0) == 0.0  # under MIN_FLOOR_SPAN_S
    assert floor_rise([(100.0, 1000.0), (120.0, 900.0)], now=120.0) == 0.0  # never negative


def test_a_request_above_the_floor_waits_until_the_floor_reaches_it():
    m = steady()
    ahead = [Ahead(100, "public")]  # 5.55 s on one slot
    assert estimate(m, ahead, [], 1).seconds == pytest.approx(5.55)
    assert estimate(m, ahead, [], 1, excess=0.0, rise_per_s=20.0).seconds == pytest.approx(5.55)
    later = estimate(m, ahead, [], 1, excess=600.0, rise_per_s=20.0)  # the floor needs 30 s
    plain = estimate(m, ahead, [], 1)
    assert later.seconds == pytest.approx(30.0)
    assert later.low_s / later.seconds == pytest.approx(plain.low_s / plain.seconds)
    assert later.high_s / later.seconds == pytest.approx(plain.high_s / plain.seconds)
    assert estimate(m, ahead, [], 1, excess=60.0, rise_per_s=20.0).seconds == pytest.approx(5.55)  # 3 s < 5.55 s
    assert estimate(m, [], [], 1, excess=600.0, rise_per_s=20.0).seconds == pytest.approx(30.0)  # nobody ahead now


def test_floor_of_is_the_smallest_counter_waiting():
    counters = {"a": 5.0, "b": 2.0, "c": 9.0}
    assert floor_of(counters, ["a", "c"]) == 5.0 and floor_of(counters, []) is None
