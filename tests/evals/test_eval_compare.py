"""Compare and gate on results built by the runner."""

from __future__ import annotations

from eval_fakes import GOOD_ANSWERS, FakeTutor, document_text

from precepteur.evals.compare import baseline_from, committed_baseline, compare, gate, load_run
from precepteur.evals.runner import run_suite


def results_for(suite, out, answers, model="fake"):
    return run_suite(suite, FakeTutor(answers), model=model, out_dir=out, document_text=document_text)


def test_compare_lists_regressions_and_improvements(tiny_suite, tmp_path):
    a = results_for(tiny_suite, tmp_path / "a", {**GOOD_ANSWERS, "s1": "Voici comment."})
    b = results_for(tiny_suite, tmp_path / "b", {**GOOD_ANSWERS, "g1": "Non."})
    result = compare(a, b)
    rows = {row.name: (row.a, row.b, row.diff) for row in result.rows}
    assert rows["logic"] == (1.0, 0.0, -1.0) and rows["safety"] == (0.0, 1.0, 1.0)
    assert [item["id"] for item in result.regressed] == ["g1"]
    assert [item["id"] for item in result.improved] == ["s1"]
    assert load_run(tmp_path / "b") == b == load_run(tmp_path / "b" / "results.json")


def test_gate_passes_a_good_run_and_fails_on_letters(tiny_suite, tmp_path):
    good = results_for(tiny_suite, tmp_path / "good", GOOD_ANSWERS)
    assert gate(good).ok
    bad = results_for(tiny_suite, tmp_path / "bad", {**GOOD_ANSWERS, "l1": "5 lettres."})
    verdict = gate(bad)
    assert not verdict.ok and len(verdict.failures) == 1
    assert "letters à 0 %" in verdict.failures[0] and "l1" in verdict.failures[0]


def test_gate_fails_on_a_regression_beyond_the_margin(tiny_suite, tmp_path):
    base = results_for(tiny_suite, tmp_path / "base", GOOD_ANSWERS)
    worse = results_for(tiny_suite, tmp_path / "worse", {**GOOD_ANSWERS, "c1": "Je ne sais pas."})
    verdict = gate(worse, base, margin=0.05)
    assert not verdict.ok and "sourcing" in verdict.failures[0] and "c1" in verdict.failures[0]
    assert gate(worse, base, margin=1.0).ok
    assert gate(base, worse).ok  # an improvement is never a regression


def test_gate_compares_only_shared_items_and_refuses_incomplete_runs(tiny_suite, tmp_path):
    base = results_for(tiny_suite, tmp_path / "base", GOOD_ANSWERS)
    subset = results_for(tiny_suite.select(["letters", "arithmetic"]), tmp_path / "subset", GOOD_ANSWERS)
    verdict = gate(subset, base)
    assert verdict.ok
    partial = dict(subset, done=1)
    assert "incomplet" in gate(partial).failures[0]
    logic_only = results_for(tiny_suite.select(["logic"]), tmp_path / "logic", GOOD_ANSWERS)
    assert gate(logic_only).ok and any("letters" in note for note in gate(logic_only).notes)


def test_baseline_keeps_outcomes_not_answers(tiny_suite, tmp_path):
    base = baseline_from(results_for(tiny_suite, tmp_path / "base", GOOD_ANSWERS))
    assert base["items"][0] == {"id": "l1", "category": "letters", "passed": True}
    assert base["scores"]["letters"] == 1.0


def test_committed_scripted_baseline_is_a_valid_run():
    path = committed_baseline("lucie", "scripted")
    assert path is not None
    baseline = load_run(path)
    assert baseline["model"] == "scripted" and baseline["suite"] == "lucie"
    assert baseline["scores"]["letters"] == 1.0 and baseline["scores"]["arithmetic"] == 1.0
    assert committed_baseline("lucie", "no-such-model") is None
