"""`precepteur eval`: run a suite through the production tutor, compare runs, gate a release.

Subcommands: `run` (a suite, resumable, writes results.json and report.html),
`compare` (two runs side by side), `gate` (exit 1 when letters or arithmetic
are below 100 % or a category regressed against the baseline), `baseline` (trim a
run into a baseline file), `tokens` (tokens per word of each installed model on
French and English), `suites` (the built-in suites).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import click

from ..i18n import normalize_language, t
from ._common import load_settings

DEFAULT_OUT_ROOT = "eval-out"
TIMESTAMP_FORMAT = "%Y%m%d-%H%M%S"


def build_tutor(settings, model_name: str):
    """The production pipeline and its LibraryService (also used to verify quotes), imported lazily."""
    from ..library.service import LibraryService
    from ..llm import get_model
    from ..tutor import Tutor

    library = LibraryService(settings)
    return Tutor(settings, get_model(model_name, settings), library), library


def warn_missing_libraries(suite, library, lang: str) -> None:
    """Say early which libraries the suite needs but this installation lacks."""
    needed: dict[str, int] = {}
    for item in suite.items:
        if item.library:
            needed[item.library] = needed.get(item.library, 0) + 1
    for name, count in needed.items():
        if not library.exists(name):
            click.echo(t("evals.cli.missing_library", lang, library=name, count=count), err=True)


def build_judge(settings, judge_name: str | None):
    if not judge_name:
        return None
    from ..evals.judge import ModelJudge
    from ..llm import get_model

    return ModelJudge(get_model(judge_name, settings), judge_name)


def default_out_dir(suite: str, model: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{suite}-{model}")
    return Path(DEFAULT_OUT_ROOT) / f"{safe}-{datetime.now().strftime(TIMESTAMP_FORMAT)}"


def _lang(value: str | None, settings) -> str:
    return normalize_language(value or settings.language)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f} %"


@click.group(name="eval")
def command() -> None:
    """Batterie d'évaluation, comparaison et porte de publication / evaluation battery and release gate."""


@command.command("run")
@click.option("--suite", "suite_name", default="lucie", show_default=True, help="lucie, curriculum, or a suite file.")
@click.option("--model", "model_name", default=None, help="Model name (default: settings).")
@click.option("--library", default=None, help="Library for the items that use one (default: the suite's).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output directory (default: ./eval-out/<suite>-<model>-<timestamp>).")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="Run only the first N items.")
@click.option("--categories", default=None, help="Comma-separated categories, e.g. letters,arithmetic.")
@click.option("--resume/--no-resume", default=True, show_default=True, help="Skip items already done in --out.")
@click.option("--judge", "judge_name", default=None,
              help="Judge model for rubric items (default: settings.judge_model).")
@click.option("--checkpoint-every", type=click.IntRange(min=1), default=None,
              help="Rewrite results.json and report.html every N items.")
@click.option("--lang", default=None, help="Language of the report (fr, en).")
def run_command(suite_name, model_name, library, out, limit, categories, resume, judge_name, checkpoint_every, lang):
    """Run a suite through the tutor; write results.json and report.html."""
    from ..evals.runner import CHECKPOINT_EVERY, REPORT_FILE, RESULTS_FILE, run_suite
    from ..evals.suites import load_suite

    settings = load_settings()
    lang = _lang(lang, settings)
    wanted = [name.strip() for name in categories.split(",") if name.strip()] if categories else None
    suite = load_suite(suite_name).select(wanted, limit, library)
    model_name = model_name or settings.model
    judge_name = judge_name or settings.judge_model
    out = out or default_out_dir(suite.name, model_name)
    tutor, library_service = build_tutor(settings, model_name)
    judge = build_judge(settings, judge_name)
    click.echo(t("evals.cli.running", lang, suite=suite.name, items=len(suite.items), model=model_name, out=str(out)),
               err=True)
    if suite.documents:
        from ..evals.redteam import ensure_libraries

        for name in ensure_libraries(suite, library_service):
            click.echo(t("evals.cli.built_library", lang, library=name), err=True)
    warn_missing_libraries(suite, library_service, lang)
    document_text = library_service.document_text
    results = run_suite(
        suite, tutor, model=model_name, out_dir=out, resume=resume, document_text=document_text, judge=judge,
        judge_name=judge_name, progress=lambda line: click.echo(line, err=True),
        checkpoint_every=checkpoint_every or CHECKPOINT_EVERY, lang=lang,
    )
    for name, value in results["scores"].items():
        passed, total = results["counts"][name]
        click.echo(f"{name:<20} {passed:>3}/{total:<3} {_percent(value):>6}")
    click.echo(results["judge"]["statement"])
    click.echo(t("evals.cli.written", lang, results=str(out / RESULTS_FILE), report=str(out / REPORT_FILE)))


@command.command("compare")
@click.argument("run_a", type=click.Path(exists=True, path_type=Path))
@click.argument("run_b", type=click.Path(exists=True, path_type=Path))
@click.option("--lang", default=None)
def compare_command(run_a, run_b, lang):
    """Category scores of two runs, and the items that regressed from A to B."""
    from ..evals.compare import compare, load_run

    lang = _lang(lang, load_settings())
    a, b = load_run(run_a), load_run(run_b)
    result = compare(a, b)
    click.echo(f"A: {a['model']} / {a['suite']}   B: {b['model']} / {b['suite']}")
    click.echo(f"{t('evals.report.category', lang):<20} {'A':>6} {'B':>6} {'B-A':>7}")
    for row in result.rows:
        diff = "—" if row.diff is None else f"{100 * row.diff:+.0f}"
        click.echo(f"{row.name:<20} {_percent(row.a):>6} {_percent(row.b):>6} {diff:>7}")
    click.echo(t("evals.cli.regressed", lang, count=len(result.regressed)))
    for item in result.regressed:
        click.echo(f"  - {item['id']} ({item['category']}): {item.get('why', '')}")
    click.echo(t("evals.cli.improved", lang, count=len(result.improved)))
    for item in result.improved:
        click.echo(f"  + {item['id']} ({item['category']})")


@command.command("gate")
@click.argument("run_dir", type=click.Path(exists=True, path_type=Path))
@click.option("--baseline", type=click.Path(exists=True, path_type=Path), default=None,
              help="Baseline run (default: the committed baseline for this suite and model, if any).")
@click.option("--no-baseline", is_flag=True, help="Do not compare with any baseline.")
@click.option("--margin", type=click.FloatRange(min=0, max=1), default=None, help="Allowed drop per category (0.05).")
@click.option("--lang", default=None)
def gate_command(run_dir, baseline, no_baseline, margin, lang):
    """Exit 1 when letters/arithmetic are below 100 % or a category regressed beyond the margin."""
    from ..evals.compare import DEFAULT_MARGIN, committed_baseline, gate, load_run

    lang = _lang(lang, load_settings())
    run = load_run(run_dir)
    reference = None
    if not no_baseline:
        path = baseline or committed_baseline(run["suite"], run["model"])
        if path is not None:
            reference = load_run(path)
            click.echo(t("evals.cli.baseline", lang, path=str(path)))
    result = gate(run, reference, DEFAULT_MARGIN if margin is None else margin, lang)
    for note in result.notes:
        click.echo(f"  · {note}")
    for failure in result.failures:
        click.echo(f"  ✗ {failure}")
    if not result.ok:
        click.echo(t("evals.cli.gate_failed", lang, count=len(result.failures)))
        raise click.exceptions.Exit(1)
    click.echo(t("evals.cli.gate_ok", lang, model=run["model"], suite=run["suite"]))


@command.command("baseline")
@click.argument("run_dir", type=click.Path(exists=True, path_type=Path))
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def baseline_command(run_dir, target):
    """Write a run's outcomes (no answers) as a baseline file for `eval gate --baseline`."""
    from ..evals.compare import baseline_from, load_run

    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(baseline_from(load_run(run_dir)), ensure_ascii=False, indent=1) + "\n",
                      encoding="utf-8")
    click.echo(str(target))


@command.command("tokens")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--model", "models", multiple=True, help="Model to measure (repeatable; default: every installed one).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None, help="Write tokens.html here.")
@click.option("--lang", default=None)
def tokens_command(files, models, out, lang):
    """Tokens per word of each model on French and English (or on the given text files)."""
    from ..evals.runner import write_atomic
    from ..evals.tokens import (
        builtin_samples, file_sample, format_table, french_overhead, measure, render_tokens_report,
    )
    from ..llm import get_model, list_models

    settings = load_settings()
    lang = _lang(lang, settings)
    samples = [file_sample(path.name, path.read_text(encoding="utf-8")) for path in files] or builtin_samples()
    skipped: list[tuple[str, str]] = []
    if models:
        names = list(models)
    else:
        infos = list_models(settings, lang)
        names = [info.name for info in infos if info.installed]
        skipped = [(info.name, t("evals.tokens.not_installed", lang)) for info in infos if not info.installed]
    rows, failed = measure(names, lambda name: get_model(name, settings), samples)
    skipped += failed
    click.echo(format_table(rows, lang))
    for model, value in french_overhead(rows).items():
        click.echo(t("evals.tokens.overhead", lang, model=model, percent=f"{100 * value:+.0f}"))
    for model, reason in skipped:
        click.echo(t("evals.tokens.skipped", lang, model=model, reason=reason), err=True)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        write_atomic(out / "tokens.html", render_tokens_report(rows, skipped, lang))
        payload = {"rows": [row.to_dict() for row in rows], "skipped": [{"model": m, "reason": r} for m, r in skipped],
                   "french_overhead": french_overhead(rows)}
        write_atomic(out / "tokens.json", json.dumps(payload, ensure_ascii=False, indent=2))
        click.echo(str(out / "tokens.html"))


@command.command("suites")
def suites_command():
    """The built-in suites, their categories and item counts."""
    from ..evals.suites import builtin_suites, load_suite

    for name in builtin_suites():
        suite = load_suite(name)
        counts = ", ".join(f"{c} {sum(i.category == c for i in suite.items)}" for c in suite.category_names())
        click.echo(f"{name} ({len(suite.items)}): {counts}")
