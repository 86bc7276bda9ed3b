"""The runner: results shape, crashes recorded, resume, checkpoints, interruption."""

from __future__ import annotations

import json

import pytest
from eval_fakes import GOOD_ANSWERS, FakeTutor, document_text

from precepteur.evals.runner import PROGRESS_FILE, REPORT_FILE, RESULTS_FILE, run_suite
from precepteur.tutor.types import TutorResult


def ticking_clock(step=0.5):
    state = {"now": 0.0}

    def clock():
        state["now"] += step
        return state["now"]

    return clock


def run(tiny_suite, tutor, out, **kw):
    lines: list[str] = []
    results = run_suite(tiny_suite, tutor, model="fake", out_dir=out, document_text=document_text,
                        progress=lines.append, clock=ticking_clock(), **kw)
    return results, lines


def test_results_shape_and_progress(tiny_suite, tmp_path):
    results, lines = run(tiny_suite, FakeTutor(GOOD_ANSWERS), tmp_path / "out")
    on_disk = json.loads((tmp_path / "out" / RESULTS_FILE).read_text(encoding="utf-8"))
    assert on_disk == results
    assert {"model", "suite", "started", "items", "scores", "judge", "finished"} <= set(results)
    assert results["model"] == "fake" and results["suite"] == "tiny"
    assert results["scores"] == {"letters": 1.0, "arithmetic": 1.0, "logic": 1.0, "sourcing": 1.0, "safety": 1.0}
    first = results["items"][0]
    assert {"id", "category", "question", "answer", "passed", "seconds", "tokens"} <= set(first)
    assert first["seconds"] == 0.5 and first["tokens"] == 30 + 8  # the fake counts words: 8 in the answer
    assert results["items"][3]["citations"][0]["document"] == "c5c.md"
    assert results["judge"]["used"] is False and "Sans juge" in results["judge"]["statement"]
    assert lines == [f"[{n}/5] {cat} ✓ 0.5 s" for n, cat in
                     enumerate(["letters", "arithmetic", "logic", "sourcing", "safety"], start=1)]
    assert (tmp_path / "out" / REPORT_FILE).is_file()


def test_wrong_answers_fail_with_reasons(tiny_suite, tmp_path):
    answers = {**GOOD_ANSWERS, "l1": "Le mot « lettre » contient 5 lettres.", "s1": "Voici la recette."}
    results, lines = run(tiny_suite, FakeTutor(answers), tmp_path / "out")
    assert results["scores"]["letters"] == 0.0 and results["scores"]["safety"] == 0.0
    assert "6" in results["items"][0]["why"]
    assert lines[0] == "[1/5] letters ✗ 0.5 s"


def test_a_crashing_model_is_a_failed_item_and_the_run_goes_on(tiny_suite, tmp_path):
    answers = {**GOOD_ANSWERS, "a1": RuntimeError("llama.cpp died"),
               "g1": TutorResult(answer="Oui.", model="fake", error="ModelError: timeout", incomplete=True)}
    tutor = FakeTutor(answers)
    results, lines = run(tiny_suite, tutor, tmp_path / "out")
    assert tutor.asked == ["l1", "a1", "g1", "c1", "s1"]
    crashed, caught = results["items"][1], results["items"][2]
    assert crashed["passed"] is False and crashed["error"] == "RuntimeError: llama.cpp died"
    assert "llama.cpp died" in crashed["why"] and crashed["answer"] == ""
    assert caught["passed"] is False and caught["error"] == "ModelError: timeout"
    assert "(RuntimeError: llama.cpp died)" in lines[1]
    assert results["scores"]["sourcing"] == 1.0


def test_resume_skips_items_already_done(tiny_suite, tmp_path):
    out = tmp_path / "out"
    first, _ = run(tiny_suite, FakeTutor(GOOD_ANSWERS), out)
    again = FakeTutor({})  # would fail every item if it were asked
    second, lines = run(tiny_suite, again, out)
    assert again.asked == []
    assert second["items"] == first["items"] and second["started"] == first["started"]
    assert lines == ["reprise : 5/5 items déjà faits"]
    other = FakeTutor(GOOD_ANSWERS)
    run_suite(tiny_suite, other, model="other-model", out_dir=out, progress=None)
    assert other.asked == ["l1", "a1", "g1", "c1", "s1"]  # another model does not reuse these answers


def test_no_resume_starts_again(tiny_suite, tmp_path):
    out = tmp_path / "out"
    run(tiny_suite, FakeTutor(GOOD_ANSWERS), out)
    tutor = FakeTutor(GOOD_ANSWERS)
    run(tiny_suite, tutor, out, resume=False)
    assert len(tutor.asked) == 5
    lines = (out / PROGRESS_FILE).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 6  # one run header and five items: the old progress was dropped


def test_interrupted_run_resumes_and_errors_are_retried(tiny_suite, tmp_path):
    out = tmp_path / "out"
    answers = {**GOOD_ANSWERS, "a1": RuntimeError("server down"), "c1": KeyboardInterrupt()}
    with pytest.raises(KeyboardInterrupt):
        run(tiny_suite, FakeTutor(answers), out)
    partial = json.loads((out / RESULTS_FILE).read_text(encoding="utf-8"))
    assert partial["done"] == 3 and partial["finished"] is None
    with (out / PROGRESS_FILE).open("a", encoding="utf-8") as log:
        log.write('{"kind": "item", "model": "fake", "suite": "ti')  # a line cut by the kill
    tutor = FakeTutor(GOOD_ANSWERS)
    results, lines = run(tiny_suite, tutor, out)
    assert tutor.asked == ["a1", "c1", "s1"]  # l1 and g1 were done; a1 had failed with an error
    assert lines[0] == "reprise : 2/5 items déjà faits" and lines[1].startswith("[3/5] arithmetic ✓")
    assert results["done"] == 5 and all(item["passed"] for item in results["items"])


def test_results_are_checkpointed_while_running(tiny_suite, tmp_path):
    out = tmp_path / "out"
    seen: list[int] = []

    def peek(request):
        seen.append(json.loads((out / RESULTS_FILE).read_text(encoding="utf-8"))["done"])
        return "Je ne sais pas."

    run(tiny_suite, FakeTutor({**GOOD_ANSWERS, "c1": peek}), out, checkpoint_every=2)
    assert seen == [2]  # written after items 1-2, read while answering item 4


class _Judge:
    def __init__(self, fail=False):
        self.fail = fail

    def verdict(self, item, answer):
        if self.fail:
            raise RuntimeError("judge offline")
        return True, "ok"


def test_the_judge_is_stated_and_its_crash_fails_the_item(tiny_suite, tmp_path):
    answers = {**GOOD_ANSWERS, "g1": "Socrate est bien mortel."}  # no "oui": only a judge accepts it
    judged = run_suite(tiny_suite, FakeTutor(answers), model="fake", out_dir=tmp_path / "a",
                       judge=_Judge(), judge_name="juge-1")
    assert judged["items"][2]["passed"] and judged["items"][2]["judged"]
    assert judged["judge"]["used"] and judged["judge"]["judged"] == 1 and judged["judge"]["candidates"] == 1
    assert "juge-1" in judged["judge"]["statement"]
    crashed = run_suite(tiny_suite, FakeTutor(answers), model="fake", out_dir=tmp_path / "b",
                        judge=_Judge(fail=True), judge_name="juge-1")
    logic = crashed["items"][2]
    assert not logic["passed"] and logic["error"] == "judge RuntimeError: judge offline"
    assert crashed["items"][0]["passed"]  # letters never go to the judge
