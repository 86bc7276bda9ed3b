"""`precepteur items`: generate, list, review and import exercises of a library.

`generate` runs in the foreground with progress on stderr and exits 0 when it has
finished (even with fewer items than asked: it says so); Ctrl-C stops it after the
current passage and prints how to resume (`--resume JOB`). `list --json` prints a
JSON list of `{"id", "skill", "kind", "prompt", "choices", "key", "status",
"source": {"document", "locator", "quote"}, "checks"}` (the issue's contract).
`approve`/`reject` take item ids; `--as NAME` records who did it.
"""

from __future__ import annotations

import json
import sys
import threading

import click

from ..errors import InputError
from ..i18n import t
from ..learning.items.types import KINDS, STATUSES
from ._common import load_settings, table

EXIT_INTERRUPTED = 130


def _open():
    from ..gate.bootstrap import open_database
    from ..library import LibraryService

    settings = load_settings()
    return settings, open_database(settings), LibraryService(settings)


def _user_id(db, name: str | None, lang: str) -> int | None:
    if not name:
        return None
    from ..gate.accounts import get_user

    with db.session() as s:
        user = get_user(s, name)
        if user is None:
            raise InputError("items.cli.unknown_user", name=name)
        return user.id


def _kinds(value: str | None) -> tuple[str, ...]:
    if not value:
        return KINDS
    kinds = tuple(k.strip() for k in value.replace(";", ",").split(",") if k.strip())
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise InputError("items.error.unknown_kind", kinds=", ".join(unknown) or "-", known=", ".join(KINDS))
    return kinds


@click.group(name="items")
def command() -> None:
    """Exercices tirés des documents / Exercises from the documents."""


@command.command("generate")
@click.argument("library")
@click.option("--skill", default=None, help="Only this skill (its id, see `items skills`).")
@click.option("--count", type=click.IntRange(1, 2000), default=20, show_default=True,
              help="Accepted items wanted, spread over the skills.")
@click.option("--kinds", default=None, help=f"Comma-separated kinds among {', '.join(KINDS)} (default: all).")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--resume", "resume", type=int, default=None, help="Resume job JOB where it stopped.")
@click.option("--model", "model_name", default=None, help="Model name (default: the configured one).")
@click.option("--as", "as_user", default=None, help="Account the items are recorded for.")
def generate(library: str, skill: str | None, count: int, kinds: str | None, seed: int, resume: int | None,
             model_name: str | None, as_user: str | None) -> None:
    """Generate, check and store exercises for LIBRARY (drafts, unless auto-approval is on)."""
    from ..learning.items.generate import GenerationRequest
    from ..learning.items.jobs import new_job, run_job
    from ..llm import get_model
    from ..store.curriculum import library_settings
    from ..store.item_jobs import get_job

    settings, db, service = _open()
    lang = settings.language
    service.info(library)  # an unknown library fails here, before the model loads
    if resume is not None:
        with db.session() as s:
            job = get_job(s, resume)
        if job is None or job.library != library:
            raise InputError("items.error.unknown_job", job=resume)
        job_id = job.id
    else:
        with db.session() as s:
            levels = library_settings(s, library).levels
        request = GenerationRequest(library, count, _kinds(kinds), skill, seed, levels[0] if levels else None, lang)
        job_id = new_job(db, request, _user_id(db, as_user, lang)).id
    model = get_model(model_name, settings)
    interactive = sys.stderr.isatty()
    last = {"accepted": -1}

    def progress(p) -> None:
        if p.accepted == last["accepted"] and not interactive and p.cursor % 10:
            return
        last["accepted"] = p.accepted
        line = t("items.cli.progress", lang, job=job_id, accepted=p.accepted, candidates=p.candidates,
                 done=p.cursor, total=p.units)
        click.echo(f"\r\033[K{line}" if interactive else line, err=True, nl=not interactive)

    cancel = threading.Event()
    try:
        result = run_job(db, service, model, job_id, cancel=cancel, on_progress=progress, lang=lang)
    except KeyboardInterrupt:
        cancel.set()
        click.echo("", err=True)
        click.echo(t("items.cli.interrupted", lang, job=job_id, library=library), err=True)
        sys.exit(EXIT_INTERRUPTED)
    if interactive:
        click.echo("", err=True)
    click.echo(t("items.cli.finished", lang, job=job_id, message=result.message), err=True)
    if result.state == "error":
        sys.exit(2)


@command.command("list")
@click.argument("library")
@click.option("--status", type=click.Choice(STATUSES), default=None)
@click.option("--skill", default=None)
@click.option("--kind", type=click.Choice(KINDS), default=None)
@click.option("--json", "as_json", is_flag=True, help="JSON list (id, skill, kind, prompt, choices, key, status, source, checks).")
def list_(library: str, status: str | None, skill: str | None, kind: str | None, as_json: bool) -> None:
    """List the items of LIBRARY."""
    from ..store.items import list_items

    settings, db, service = _open()
    service.info(library)
    with db.session() as s:
        items = list_items(s, library, status=status, skill=skill, kind=kind)
    if as_json:
        click.echo(json.dumps([item.to_dict() for item in items], ensure_ascii=False, indent=2))
        return
    lang = settings.language
    if not items:
        click.echo(t("items.cli.none", lang))
        return
    rows = [[t("items.cli.col.id", lang), t("items.cli.col.status", lang), t("items.cli.col.kind", lang),
             t("items.cli.col.skill", lang), t("items.cli.col.prompt", lang), t("items.cli.col.key", lang)]]
    for item in items:
        prompt = item.prompt if len(item.prompt) <= 70 else item.prompt[:69] + "…"
        checks = "" if item.passed else " ✗"
        rows.append([str(item.id), item.status + checks, item.kind, item.skill[:40], prompt, item.key[:30]])
    click.echo(table(rows))


def _review(ids: tuple[int, ...], status: str, as_user: str | None) -> None:
    from ..store.items import set_status

    settings, db, _service = _open()
    lang = settings.language
    with db.session() as s:
        changed, missing = set_status(s, ids, status, user_id=_user_id(db, as_user, lang))
    for item in changed:
        click.echo(t(f"items.cli.{status}", lang, id=item.id))
    for item_id in missing:
        click.echo(t("items.error.unknown_item", lang, item=item_id), err=True)
    if missing:
        sys.exit(1)


@command.command("approve")
@click.argument("ids", nargs=-1, type=int, required=True)
@click.option("--as", "as_user", default=None, help="Account the review is recorded for.")
def approve(ids: tuple[int, ...], as_user: str | None) -> None:
    """Approve items: learners may practise them."""
    _review(ids, "approved", as_user)


@command.command("reject")
@click.argument("ids", nargs=-1, type=int, required=True)
@click.option("--as", "as_user", default=None, help="Account the review is recorded for.")
def reject(ids: tuple[int, ...], as_user: str | None) -> None:
    """Reject items: learners never see them."""
    _review(ids, "rejected", as_user)


@command.command("import")
@click.argument("library")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--as", "as_user", default=None, help="Account the items are recorded for.")
def import_(library: str, file: str, as_user: str | None) -> None:
    """Import a teacher's own questions (CSV or Markdown) into LIBRARY as drafts."""
    from pathlib import Path

    from ..learning.items.bank import import_items
    from ..learning.items.importing import MAX_IMPORT_BYTES

    settings, db, service = _open()
    lang = settings.language
    service.info(library)
    path = Path(file)
    if path.stat().st_size > MAX_IMPORT_BYTES:
        raise InputError("items.error.import_too_large", limit=MAX_IMPORT_BYTES // (1024 * 1024))
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    with db.session() as s:
        report = import_items(s, service, library, text, path.name, user_id=_user_id(db, as_user, lang), lang=lang)
    for line, message in report.errors:
        click.echo(t("items.import.line", lang, line=line, message=message), err=True)
    click.echo(t("items.cli.imported", lang, created=len(report.created), errors=len(report.errors)), err=True)
    if not report.created and report.errors:
        sys.exit(1)


@command.command("skills")
@click.argument("library")
@click.option("--json", "as_json", is_flag=True)
def skills(library: str, as_json: bool) -> None:
    """The skills map of LIBRARY (id, label, passages)."""
    from ..learning.topics import library_topics
    from ..store.curriculum import topic_settings

    settings, db, service = _open()
    with db.session() as s:
        topics = library_topics(service, library, topic_settings(s, library))
    if as_json:
        click.echo(json.dumps([topic.to_dict() for topic in topics], ensure_ascii=False, indent=2))
        return
    lang = settings.language
    rows = [[t("items.cli.col.skill", lang), t("items.cli.col.label", lang), t("items.cli.col.passages", lang)]]
    rows += [[topic.id, topic.label + (" (—)" if topic.hidden else ""), str(len(topic.passages))] for topic in topics]
    click.echo(table(rows))
