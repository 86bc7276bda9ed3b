"""`precepteur library`: add, list, remove and search the teacher's documents.

`add` prints progress and per-file errors on stderr and exits non-zero only when a
path is missing or nothing at all could be added; `search --json` prints a list of
`{"document", "locator", "text", "score"}` objects (the DESIGN.md contract), and
`list --json` a list of `{"name", "documents", "passages", "embedded"}` (documents: a count).
"""

from __future__ import annotations

import json
import sys

import click

from ..i18n import t
from ._common import load_settings

EXIT_NOTHING_ADDED = 1


def _service():
    from ..library import LibraryService

    settings = load_settings()
    return LibraryService(settings), settings.language


@click.group(name="library")
def command() -> None:
    """Bibliothèques de l'enseignant / Teacher libraries."""


@command.command("add")
@click.argument("name")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--no-embed", is_flag=True, help="Full-text index only; embed later / plein texte seulement.")
def add(name: str, paths: tuple[str, ...], no_embed: bool) -> None:
    """Add files or folders to library NAME (created if missing)."""
    service, lang = _service()
    interactive = sys.stderr.isatty()
    last_step = {"embed": -1}

    def progress(phase: str, done: int, total: int, item: str) -> None:
        key = "library.cli.reading" if phase == "read" else "library.cli.embedding"
        line = t(key, lang, done=done, total=total, item=item)
        if interactive:
            click.echo(f"\r\033[K{line}", err=True, nl=done == total)
            return
        # In a log, one line per file read and one per ~5% of passages embedded.
        step = done * 20 // max(total, 1)
        if phase == "read" or done == total or step != last_step["embed"]:
            last_step["embed"] = step
            click.echo(line, err=True)

    report = service.add(name, list(paths), progress=progress, embed=not no_embed)
    for error in report.errors:
        click.echo(t("library.cli.file_error", lang, path=error.path, message=error.message), err=True)
    click.echo(t("library.cli.summary", lang, library=name, added=len(report.added), updated=len(report.updated),
                 unchanged=len(report.unchanged), errors=len(report.errors), skipped=len(report.skipped),
                 passages=report.passages, embedded=report.embedded, seconds=round(report.seconds, 1),
                 fts_seconds=round(report.fts_seconds, 1)), err=True)
    if not report.ok:
        click.echo(f"precepteur: {t('library.cli.nothing_added', lang)}", err=True)
        sys.exit(EXIT_NOTHING_ADDED)


@command.command("list")
@click.option("--json", "as_json", is_flag=True, help="JSON list of {name, documents, passages, embedded}.")
def list_(as_json: bool) -> None:
    """List libraries with their size."""
    service, lang = _service()
    libraries = service.list()
    if as_json:
        rows = [{"name": i.name, "documents": i.documents, "passages": i.passages, "embedded": i.embedded}
                for i in libraries]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not libraries:
        click.echo(t("library.cli.no_libraries", lang))
    for info in libraries:
        click.echo(t("library.cli.list_row", lang, name=info.name, documents=info.documents, passages=info.passages,
                     embedded=info.embedded, restricted=t("library.cli.restricted", lang) if info.restricted else ""))


@command.command("remove")
@click.argument("name")
@click.argument("document", required=False)
def remove(name: str, document: str | None) -> None:
    """Remove library NAME, or only its DOCUMENT."""
    service, lang = _service()
    service.remove(name, document)
    if document is None:
        click.echo(t("library.cli.removed", lang, name=name))
    else:
        click.echo(t("library.cli.removed_document", lang, name=name, document=document))


@command.command("search")
@click.argument("name")
@click.argument("query")
@click.option("-k", "k", type=click.IntRange(1, 100), default=5, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON list of {document, locator, text, score}.")
def search(name: str, query: str, k: int, as_json: bool) -> None:
    """Search library NAME for QUERY."""
    service, lang = _service()
    hits = service.search(name, query, k=k)
    if as_json:
        click.echo(json.dumps([hit.to_dict() for hit in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo(t("library.cli.no_results", lang))
    for rank, hit in enumerate(hits, start=1):
        excerpt = " ".join(hit.text.split())
        click.echo(f"{rank}. [{hit.score:.2f}] {hit.locator}\n   {excerpt[:300]}{'…' if len(excerpt) > 300 else ''}")
