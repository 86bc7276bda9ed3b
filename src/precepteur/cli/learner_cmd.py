"""`precepteur learner progress NAME [--json]`: a learner's skills, mastery and due reviews.

`--json` prints the `GET /api/me/progress` object: `{"skills": [{"skill", "mastery",
"due", "reviews", ...}], "due_now", "weekly", "points"?}`. Without it, one line a
skill: its label, mastery as a probability with its answers ("non évalué" under 5),
and the next review due.
"""

from __future__ import annotations

import json

import click

from ..errors import InputError
from ..i18n import t
from ..store._types import utcnow
from ._common import load_settings, table


@click.group(name="learner")
def command() -> None:
    """Progrès d'un élève / A learner's progress."""


@command.command("progress")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print the progress as one JSON object.")
def progress(name: str, as_json: bool) -> None:
    """Mastery per skill and due reviews / Maîtrise par notion et révisions dues."""
    from ..gate.accounts import get_user
    from ..gate.bootstrap import open_database
    from ..learning.mastery import SkillEstimate, mastery_label
    from ..library import LibraryService
    from ..store.progress import learner_progress

    settings = load_settings()
    ui = settings.language
    db = open_database(settings)
    try:
        with db.session() as s:
            user = get_user(s, name)
            if user is None:
                raise InputError("accounts.user_unknown", name=name)
            data = learner_progress(LibraryService(settings), s, user, utcnow())
    finally:
        db.dispose()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    if not data["skills"]:
        click.echo(t("learning.cli.no_progress", ui, name=name))
        return
    rows = [[t("learning.cli.col.skill", ui), t("learning.cli.col.mastery", ui), t("learning.cli.col.due", ui)]]
    for row in data["skills"]:
        import math

        theta = math.log(row["mastery"] / (1 - row["mastery"])) if 0 < row["mastery"] < 1 else 0.0
        label = mastery_label(SkillEstimate(theta, row["answers"]), ui)
        rows.append([row["label"], label, row["due"] or "-"])
    click.echo(table(rows))
    click.echo(t("learning.cli.due_now", ui, count=data["due_now"]))
