"""`precepteur ask`: one question, one answer, streamed to the terminal or as one JSON object."""

from __future__ import annotations

import json
import sys

import click

from ..i18n import t
from ..learning.levels import DEFAULT_LEVEL
from ..textlang import detect_language
from ._common import load_settings


@click.command(name="ask")
@click.argument("question")
@click.option("--level", default=DEFAULT_LEVEL, show_default=True, help="CP … Terminale, adulte.")
@click.option("--library", default=None, help="Answer from this library, with citations.")
@click.option("--model", "model_name", default=None, help="Model name (see `precepteur model list`).")
@click.option("--mode", type=click.Choice(["explain", "socratic"]), default="explain", show_default=True)
@click.option("--lang", type=click.Choice(["fr", "en"]), default=None, help="Answer language (default: the question's).")
@click.option("--general/--no-general", default=False, help="Allow a labelled general answer when the library is silent.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (the documented contract).")
def command(question, level, library, model_name, mode, lang, general, as_json):
    """Ask the tutor one question / Poser une question au tuteur."""
    from ..tutor import Tutor, TutorRequest
    from ..llm import get_model

    settings = load_settings()
    request = TutorRequest(
        question=question, level=level, mode=mode, library=library, lang=lang,
        allow_general=general,
    )
    Tutor.validate(request)  # refuse bad input before spending seconds loading a model
    if library:
        from ..library.service import LibraryService

        library_service = LibraryService(settings)
        library_service.documents(library)  # an unknown library fails here, before the model loads
    else:
        library_service = None
    tutor = Tutor(settings, get_model(model_name, settings), library_service)

    result = None
    streamed = False
    for event in tutor.stream(request):
        kind = event["type"]
        if kind == "done":
            result = event["result"]
        elif as_json:
            continue
        elif kind == "delta":
            click.echo(event["text"], nl=False)
            streamed = True
        elif kind == "replace":
            click.echo("\n\n" + event["text"], nl=False)
    assert result is not None
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        if streamed:
            click.echo()
        out_lang = lang or detect_language(question)
        for fact in result.skills:
            click.echo(t("cli.skill_note", out_lang, name=fact.name, result=fact.result))
        for number, citation in enumerate(result.citations, 1):
            click.echo(f"[{number}] {citation.document} — {citation.locator}\n    « {citation.quote} »")
    if result.error:
        click.echo(f"precepteur: {result.error}", err=True)
        sys.exit(1)
