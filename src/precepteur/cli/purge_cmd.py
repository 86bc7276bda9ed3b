"""`precepteur purge`: delete conversations older than the retention period.

The retention comes from `PRECEPTEUR_RETENTION` ("school_year", the default: what
precedes the current French school year, which starts on 1 September; or a number of
days, at most a year). `--now` freezes the clock (tests, or a catch-up run);
`--dry-run` only counts.
"""

from __future__ import annotations

from datetime import datetime, timezone

import click

from ..errors import InputError
from ..i18n import t
from ._common import load_settings


@click.command(name="purge")
@click.option("--retention", default=None, help='"school_year" or a number of days (default: settings).')
@click.option("--now", "now_text", default=None, help="The current instant, ISO 8601 (default: the clock).")
@click.option("--dry-run", is_flag=True, help="Count what would be deleted.")
def command(retention: str | None, now_text: str | None, dry_run: bool) -> None:
    """Supprimer les conversations trop anciennes / delete conversations past the retention period."""
    from ..store import Database
    from ..store.privacy import purge, retention_cutoff

    settings = load_settings()
    retention = retention or settings.retention
    now = datetime.now(timezone.utc)
    if now_text:
        try:
            now = datetime.fromisoformat(now_text)
        except ValueError:
            raise InputError("privacy.cli.bad_now", value=now_text) from None
        now = now if now.tzinfo else now.replace(tzinfo=timezone.utc)
    cutoff = retention_cutoff(now, retention)
    db = Database(settings)
    db.migrate()
    with db.session() as s:
        count = purge(s, now, retention, dry_run=dry_run)
        if not dry_run:
            s.commit()
    if not dry_run and count:
        db.compact()
    key = "privacy.cli.would_purge" if dry_run else "privacy.cli.purged"
    click.echo(t(key, settings.language, count=count, cutoff=cutoff.date().isoformat()))
