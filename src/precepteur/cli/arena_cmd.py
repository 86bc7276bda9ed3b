"""`precepteur arena`: contestants, the leaderboard, and the preference export.

    precepteur arena contestant add NAME --model MODEL [--temperature T] [--prompt-version V]
    precepteur arena contestant list [--json]
    precepteur arena rank [--json]                      the leaderboard (a JSON list with --json)
    precepteur arena export --format jsonl|parquet OUT  the preference rows that may be published
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import InputError
from ..i18n import t
from ._common import load_settings, table

MAX_TEMPERATURE = 2.0


def _database(settings):
    from ..store import Database

    db = Database(settings)
    db.migrate()
    return db


@click.group(name="arena")
def command() -> None:
    """Arène : duels à l'aveugle, classement, données de préférence / blind battles, leaderboard, preferences."""


@command.group("contestant")
def contestant() -> None:
    """Concurrents de l'arène / arena contestants."""


@contestant.command("add")
@click.argument("name")
@click.option("--model", "model", required=True, help="Pack name, added GGUF, or openai:MODEL.")
@click.option("--temperature", type=float, default=None, help="Sampling temperature (default: the settings').")
@click.option("--prompt-version", default=None, help="Pipeline/prompt version (explain-1, socratic-1).")
@click.option("--licence", default=None, help="Licence of the model's outputs (default: the model's).")
@click.option("--no-training", is_flag=True, help="The outputs' licence forbids training: keep them out of exports.")
def add_command(name: str, model: str, temperature: float | None, prompt_version: str | None,
                licence: str | None, no_training: bool) -> None:
    """Add a contestant; its model must be installed (or served) now."""
    from ..arena.contest import DEFAULT_PROMPT_VERSION, check_prompt_version, model_identity
    from ..store import arena as store
    from ..store.arena_models import CONTESTANT_CHARS

    settings = load_settings()
    name = name.strip()
    if not name or len(name) > CONTESTANT_CHARS:
        raise InputError("arena.error.unknown_contestant", name=name[:CONTESTANT_CHARS])
    if temperature is not None and not 0.0 <= temperature <= MAX_TEMPERATURE:
        raise InputError("arena.error.bad_temperature", temperature=temperature)
    version = check_prompt_version(prompt_version or DEFAULT_PROMPT_VERSION)
    identity = model_identity(model, settings)
    with _database(settings).session() as s:
        row = store.add_contestant(
            s, name, identity.model, prompt_version=version, temperature=temperature,
            model_sha256=identity.sha256, model_url=identity.url, output_licence=licence or identity.licence,
            allows_training=not no_training,
        )
        s.commit()
        click.echo(t("arena.cli.added", settings.language, name=row.name, model=row.model, version=row.prompt_version))


@contestant.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
def list_command(as_json: bool) -> None:
    """The contestants, with their model, hash, version and sampling."""
    from ..store import arena as store

    settings = load_settings()
    with _database(settings).session() as s:
        rows = [{
            "name": c.name, "model": c.model, "model_sha256": c.model_sha256, "model_url": c.model_url,
            "prompt_version": c.prompt_version, "temperature": c.temperature, "output_licence": c.output_licence,
            "allows_training": c.allows_training, "active": c.active,
        } for c in store.list_contestants(s)]
    _show(rows, as_json, t("arena.cli.no_contestants", settings.language),
          ["name", "model", "sha256", "version", "temperature"],
          lambda r: [r["name"], r["model"], (r["model_sha256"] or r["model_url"] or "-")[:16], r["prompt_version"],
                     "-" if r["temperature"] is None else f"{r['temperature']:g}"])


def _show(rows: list[dict], as_json: bool, empty: str, header: list[str], cells) -> None:
    """A JSON list, a message when there is nothing, or a table."""
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not rows:
        click.echo(empty)
    else:
        click.echo(table([header] + [cells(r) for r in rows]))


@command.command("rank")
@click.option("--json", "as_json", is_flag=True, help="Print the leaderboard as a JSON list.")
def rank_command(as_json: bool) -> None:
    """The leaderboard: score with its 95% interval, rank range, votes, preliminary."""
    from ..arena.ranking import BOARD_SEED, fit
    from ..store import arena as store

    settings = load_settings()
    with _database(settings).session() as s:
        ratings = fit(store.comparisons(s), seed=BOARD_SEED)
    board = [r.to_dict() for r in ratings.board]
    _show(board, as_json, t("arena.board.empty", settings.language), ["rank", "contestant", "score", "95%", "n", ""],
          lambda r: [
              str(r["rank_low"]) if r["rank_low"] == r["rank_high"] else f"{r['rank_low']}-{r['rank_high']}",
              r["contestant"], f"{r['score']:.0f}", f"{r['ci_low']:.0f}-{r['ci_high']:.0f}", str(r["n"]),
              t("arena.board.preliminary", settings.language) if r["preliminary"] else ""])
    if as_json:
        return
    counts = ", ".join(f"{t('arena.report.' + key, settings.language)} {n}" for key, n in ratings.report.items())
    click.echo(counts)


@command.command("export")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "parquet"]), required=True)
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def export_command(fmt: str, out: Path) -> None:
    """Write the preference rows that may be published (a fresh secret pseudonymises judges)."""
    from ..arena import release

    settings = load_settings()
    with _database(settings).session() as s:
        report = release.export(s, out, fmt)
    click.echo(t("arena.cli.exported", settings.language, path=str(out), rows=report["rows"], votes=report["votes"]))
    click.echo(json.dumps(report, ensure_ascii=False))
