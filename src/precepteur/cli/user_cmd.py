"""`precepteur user add | list | passwd`: accounts from the command line.

Passwords never appear on the command line: `--password-stdin` reads one from
standard input (the first line); without it, a terminal is asked twice. A
learner may be created without a password (pseudonymous, until an admin sets
one); an admin or a teacher may not.
"""

from __future__ import annotations

import json
import sys

import click

from ..errors import InputError
from ..gate import accounts
from ..gate.access import LEARNER, ROLES
from ..gate.bootstrap import open_database
from ..i18n import t
from ._common import load_settings, table


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _read_password(password_stdin: bool, lang: str, required: bool) -> str | None:
    """The password from stdin, from a twice-asked terminal prompt, or None."""
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if _stdin_is_terminal():
        first = click.prompt(t("cli.user.password_prompt", lang), hide_input=True)
        second = click.prompt(t("cli.user.password_confirm", lang), hide_input=True)
        if first != second:
            raise InputError("accounts.password_mismatch")
        return first
    if required:
        raise InputError("accounts.password_required")
    return None



@click.group(name="user")
def command() -> None:
    """Accounts / Comptes."""


@command.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--level", default=None, help="Learner's level (CM2, 6e, 2nde, Terminale...).")
@click.option("--teacher", default=None, help="The learner's teacher (account name).")
@click.option("--lang", default="fr", show_default=True, help="Interface language (fr, en).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def add(name: str, role: str, level: str | None, teacher: str | None, lang: str, password_stdin: bool) -> None:
    """Create an account / Créer un compte."""
    settings = load_settings()
    ui = settings.language
    # A learner without a password is fine; prompting a learner only when asked keeps scripts simple.
    asks = password_stdin or role != LEARNER
    password = _read_password(password_stdin, ui, required=role != LEARNER) if asks else None
    db = open_database(settings)
    try:
        with db.session() as s:
            user = accounts.create_user(
                s, name, role, level=level, password=password, teacher=teacher, lang=lang
            )
    finally:
        db.dispose()
    click.echo(t("cli.user.created", ui, name=user.name, role=user.role, id=user.id))
    if user.password_hash is None:
        click.echo(t("cli.user.no_password", ui, name=user.name))


@command.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
def list_(as_json: bool) -> None:
    """List accounts / Lister les comptes."""
    settings = load_settings()
    ui = settings.language
    db = open_database(settings)
    try:
        with db.session() as s:
            users = accounts.list_users(s)
            names = {u.id: u.name for u in users}
            records = [
                {
                    "id": u.id,
                    "name": u.name,
                    "role": u.role,
                    "level": u.level,
                    "teacher": names.get(u.teacher_id),
                    "lang": u.lang,
                    "has_password": u.password_hash is not None,
                    "disabled": u.disabled,
                    "created_at": u.created_at.isoformat(),
                }
                for u in users
            ]
    finally:
        db.dispose()
    if as_json:
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    if not records:
        click.echo(t("cli.user.none", ui))
        return
    yes, no = t("cli.user.yes", ui), t("cli.user.no", ui)
    rows = [t("cli.user.columns", ui).split("|")]
    for r in records:
        rows.append([
            str(r["id"]), r["name"], r["role"], r["level"] or "-", r["teacher"] or "-", r["lang"],
            yes if r["has_password"] else no, yes if r["disabled"] else no,
        ])
    click.echo(table(rows))


@command.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def passwd(name: str, password_stdin: bool) -> None:
    """Set an account's password / Définir un mot de passe."""
    settings = load_settings()
    ui = settings.language
    password = _read_password(password_stdin, ui, required=True)
    db = open_database(settings)
    try:
        with db.session() as s:
            user = accounts.get_user(s, name)
            if user is None:
                raise InputError("accounts.user_unknown", name=name)
            accounts.set_password(s, user, password)
    finally:
        db.dispose()
    click.echo(t("cli.user.password_set", ui, name=user.name))
