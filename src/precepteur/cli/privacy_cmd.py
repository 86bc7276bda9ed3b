"""`precepteur privacy`: a learner's data, exported or erased (right of access, right to erasure).

    precepteur privacy export NAME [--out FILE]   every row about NAME, as JSON
    precepteur privacy delete NAME --yes          erase NAME and every row that refers to her
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import InputError
from ..i18n import t
from ._common import load_settings


def _learner(s, name: str):
    from ..gate.accounts import get_user

    user = get_user(s, name)
    if user is None or user.role != "learner":
        raise InputError("privacy.unknown_user", user=name)
    return user


@click.group(name="privacy")
def command() -> None:
    """Données d'un élève : export et effacement / a learner's data: export and erasure."""


@command.command("export")
@click.argument("name")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write to FILE (default: stdout).")
def export_command(name: str, out: Path | None) -> None:
    """Every row stored about a learner, table by table (JSON)."""
    from ..store import Database
    from ..store.privacy import export_learner

    settings = load_settings()
    db = Database(settings)
    db.migrate()
    with db.session() as s:
        data = {"user": name, "tables": export_learner(s, _learner(s, name).id)}
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if out is None:
        click.echo(text)
    else:
        out.write_text(text + "\n", encoding="utf-8")
        counts = ", ".join(f"{table} {len(rows)}" for table, rows in data["tables"].items() if rows)
        click.echo(t("privacy.cli.exported", settings.language, path=str(out), counts=counts))


@command.command("delete")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Confirm the erasure (it cannot be undone).")
def delete_command(name: str, yes: bool) -> None:
    """Erase a learner and every row that refers to her, then compact the database."""
    from ..store import Database
    from ..store.privacy import delete_learner

    settings = load_settings()
    if not yes:
        raise InputError("privacy.cli.confirm", name=name)
    db = Database(settings)
    db.migrate()
    with db.session() as s:
        counts = delete_learner(s, _learner(s, name).id)
        s.commit()
    db.compact()
    click.echo(t("privacy.cli.deleted", settings.language, name=name,
                 counts=", ".join(f"{table} {n}" for table, n in counts.items() if n)))
