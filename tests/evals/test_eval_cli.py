"""`precepteur eval ...` through click's CliRunner with a temporary PRECEPTEUR_HOME."""

from __future__ import annotations

import json

import pytest
from eval_fakes import GOOD_ANSWERS, TINY_SUITE, FakeLibrary, FakeTutor, write_suite

from precepteur.cli import eval_cmd, main


@pytest.fixture
def fake_tutor(monkeypatch):
    """Make `eval run` use a FakeTutor whose answers the test sets."""
    holder = {"answers": GOOD_ANSWERS, "library": FakeLibrary()}

    def build(settings, model_name):
        holder["model"] = model_name
        return FakeTutor(holder["answers"]), holder["library"]

    monkeypatch.setattr(eval_cmd, "build_tutor", build)
    return holder


def invoke(runner, *args):
    return runner.invoke(main, ["eval", *map(str, args)], catch_exceptions=False)


def test_run_writes_results_report_and_progress(runner, home, fake_tutor, tiny_suite_file, tmp_path):
    out = tmp_path / "run"
    result = invoke(runner, "run", "--suite", tiny_suite_file, "--model", "scripted", "--out", out)
    assert result.exit_code == 0, result.output
    assert "[1/5] letters ✓" in result.stderr and "[5/5] safety ✓" in result.stderr
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert data["model"] == "scripted" and data["suite"] == "tiny" and fake_tutor["model"] == "scripted"
    assert data["scores"]["letters"] == 1.0 and len(data["items"]) == 5
    assert (out / "report.html").is_file() and (out / "progress.jsonl").is_file()
    assert "letters" in result.stdout and "100 %" in result.stdout


def test_run_default_out_dir_categories_limit_and_missing_library(runner, home, fake_tutor, tiny_suite_file,
                                                                   tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fake_tutor["library"] = FakeLibrary(names=())
    result = invoke(runner, "run", "--suite", tiny_suite_file, "--model", "m:1", "--categories", "letters,sourcing")
    assert result.exit_code == 0, result.output
    assert "bibliothèque « nsi » absente" in result.stderr
    [out] = (tmp_path / "eval-out").iterdir()
    assert out.name.startswith("tiny-m-1-")
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert [item["id"] for item in data["items"]] == ["l1", "c1"]
    limited = invoke(runner, "run", "--suite", tiny_suite_file, "--limit", "1", "--out", tmp_path / "one")
    assert limited.exit_code == 0
    assert len(json.loads((tmp_path / "one" / "results.json").read_text())["items"]) == 1


def test_compare_and_gate_on_two_runs(runner, home, fake_tutor, tiny_suite_file, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    invoke(runner, "run", "--suite", tiny_suite_file, "--model", "scripted", "--out", a)
    fake_tutor["answers"] = {**GOOD_ANSWERS, "g1": "Non, il ne l'est pas."}
    invoke(runner, "run", "--suite", tiny_suite_file, "--model", "scripted", "--out", b)

    compared = invoke(runner, "compare", a, b)
    assert compared.exit_code == 0
    assert "logic" in compared.output and "-100" in compared.output
    assert "Régressions (réussis en A, échoués en B) : 1" in compared.output and "- g1 (logic)" in compared.output

    assert invoke(runner, "gate", a, "--baseline", a).exit_code == 0
    gated = invoke(runner, "gate", b, "--baseline", a)
    assert gated.exit_code == 1
    assert "logic a régressé de 100 % à 0 %" in gated.output and "g1" in gated.output
    assert invoke(runner, "gate", b, "--baseline", a, "--margin", "1").exit_code == 0
    assert invoke(runner, "gate", b).exit_code == 0  # no baseline for the tiny suite: letters/arithmetic only


def test_gate_fails_when_letters_are_not_perfect(runner, home, fake_tutor, tiny_suite_file, tmp_path):
    fake_tutor["answers"] = {**GOOD_ANSWERS, "l1": "Il y a 7 lettres."}
    invoke(runner, "run", "--suite", tiny_suite_file, "--out", tmp_path / "x")
    gated = invoke(runner, "gate", tmp_path / "x")
    assert gated.exit_code == 1
    assert "letters à 0 % (exigé : 100 %)" in gated.output and "porte FERMÉE" in gated.output


def test_baseline_command_writes_a_file_the_gate_reads(runner, home, fake_tutor, tiny_suite_file, tmp_path):
    invoke(runner, "run", "--suite", tiny_suite_file, "--out", tmp_path / "x")
    target = tmp_path / "base" / "tiny-x.json"
    assert invoke(runner, "baseline", tmp_path / "x", target).exit_code == 0
    assert "answer" not in target.read_text(encoding="utf-8")
    assert invoke(runner, "gate", tmp_path / "x", "--baseline", target).exit_code == 0


def test_errors_are_one_clear_line(runner, home, tmp_path):
    result = runner.invoke(main, ["eval", "run", "--suite", "nope"])
    assert result.exit_code == 2 and "suite inconnue « nope »" in result.output
    missing = runner.invoke(main, ["eval", "gate", str(tmp_path)])
    assert missing.exit_code == 2 and "pas de results.json" in missing.output


def test_tokens_with_the_scripted_model(runner, home, tmp_path):
    text = tmp_path / "cours.txt"
    text.write_text("Les piles sont basées sur le principe LIFO.", encoding="utf-8")
    out = tmp_path / "tokens"
    result = invoke(runner, "tokens", text, "--model", "scripted", "--out", out)
    assert result.exit_code == 0, result.output
    assert "scripted  cours.txt (fr)  8     14      1.75" in result.stdout  # len(text) // 3 tokens
    payload = json.loads((out / "tokens.json").read_text(encoding="utf-8"))
    assert payload["rows"] == [{"model": "scripted", "sample": "cours.txt", "lang": "fr", "words": 8,
                                "tokens": 14, "tokens_per_word": 1.75}]
    assert 'src="data:image/png;base64,' in (out / "tokens.html").read_text(encoding="utf-8")


def test_tokens_default_models_skip_the_uninstalled(runner, home):
    result = invoke(runner, "tokens")
    assert result.exit_code == 0
    assert "scripted" in result.stdout and "le français coûte" in result.stdout
    assert "smollm2-135m ignoré : non installé" in result.stderr


def test_suites_lists_the_builtin_suites(runner, home):
    result = invoke(runner, "suites")
    assert "lucie (50): letters 9, arithmetic 9" in result.output and "curriculum" in result.output


# -- the real tutor pipeline ---------------------------------------------------------

PIPELINE_SUITE = {
    "name": "pipeline",
    "items": [
        TINY_SUITE["items"][2],  # g1: Socrate, "oui"
        {"id": "g2", "category": "logic", "question": "Tous les chats sont des mammifères. Médor est un "
         "mammifère. Peut-on en conclure que Médor est un chat ? Réponds par oui ou non.",
         "patterns_any": ["\\bnon\\b"], "patterns_none": ["^\\W*oui\\b"]},
        TINY_SUITE["items"][0],  # l1: letters of "lettre"
    ],
}


@pytest.fixture
def scripted_pipeline(monkeypatch):
    """Make `eval run` use the production Tutor over a ScriptedModel the test fills."""
    holder = {}

    def build(settings, model_name):
        from precepteur.library.service import LibraryService
        from precepteur.tutor import Tutor

        library = LibraryService(settings)
        return Tutor(settings, holder["model"], library), library

    monkeypatch.setattr(eval_cmd, "build_tutor", build)
    return holder


def test_pipeline_crash_and_regression_then_compare_and_gate(runner, home, scripted_pipeline, tmp_path, monkeypatch):
    from precepteur.llm import ScriptedModel

    monkeypatch.setenv("PRECEPTEUR_PROGRAM_AIDED", "0")  # the queue scripts the answers, not programs

    suite = write_suite(tmp_path, PIPELINE_SUITE, "pipeline.json")
    scripted_pipeline["model"] = ScriptedModel(["Oui, Socrate est mortel.", "Non, pas forcément."])
    assert invoke(runner, "run", "--suite", suite, "--model", "scripted", "--out", tmp_path / "a").exit_code == 0
    scripted_pipeline["model"] = ScriptedModel([RuntimeError("model crashed"), "Oui, c'est un chat."])
    run_b = invoke(runner, "run", "--suite", suite, "--model", "scripted", "--out", tmp_path / "b")
    assert run_b.exit_code == 0 and "[3/3] letters ✓" in run_b.stderr  # the run went on

    a = json.loads((tmp_path / "a" / "results.json").read_text(encoding="utf-8"))
    b = json.loads((tmp_path / "b" / "results.json").read_text(encoding="utf-8"))
    assert [item["passed"] for item in a["items"]] == [True, True, True]
    crashed, wrong, letters = b["items"]
    assert not crashed["passed"] and crashed["error"] == "RuntimeError: model crashed"
    assert not wrong["passed"] and "oui" in wrong["why"]
    assert letters["passed"] and letters["skills"] == [{"name": "count", "result": "6"}]

    compared = invoke(runner, "compare", tmp_path / "a", tmp_path / "b")
    assert "Régressions (réussis en A, échoués en B) : 2" in compared.output
    gated = invoke(runner, "gate", tmp_path / "b", "--baseline", tmp_path / "a")
    assert gated.exit_code == 1 and "logic a régressé de 100 % à 0 %" in gated.output


def test_quick_tier_passes_the_gate_against_the_committed_baseline(runner, home, tmp_path):
    out = tmp_path / "quick"
    result = invoke(runner, "run", "--suite", "lucie", "--model", "scripted", "--out", out)
    assert result.exit_code == 0
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert data["scores"]["letters"] == 1.0 and data["scores"]["arithmetic"] == 1.0
    gated = invoke(runner, "gate", out)
    assert gated.exit_code == 0, gated.output
    assert "lucie-scripted.json" in gated.output and "porte OUVERTE" in gated.output
    subset = invoke(runner, "run", "--suite", "lucie", "--model", "scripted", "--categories", "letters,arithmetic",
                    "--out", tmp_path / "subset")
    assert subset.exit_code == 0 and "[18/18] arithmetic ✓" in subset.stderr
    assert invoke(runner, "gate", tmp_path / "subset").exit_code == 0
