"""`precepteur token create | list | revoke`: API tokens for the OpenAI-compatible API.

`token create` prints the plaintext token alone on its last line, so a script
can take it with `tail -n 1`; it is never shown again.
"""

from __future__ import annotations

import json

import click

from ..errors import InputError
from ..gate import accounts
from ..gate.bootstrap import open_database
from ..i18n import t
from ._common import load_settings, table


def _when(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"



@click.group(name="token")
def command() -> None:
    """API tokens / Jetons d'API."""


@command.command("create")
@click.argument("name")
@click.option("--label", default="", help="What the token is for (shown in lists).")
def create(name: str, label: str) -> None:
    """Create a token for account NAME / Créer un jeton."""
    settings = load_settings()
    db = open_database(settings)
    try:
        with db.session() as s:
            user = accounts.get_user(s, name)
            if user is None:
                raise InputError("accounts.user_unknown", name=name)
            token, plaintext = accounts.create_token(s, user, label)
            owner = user.name
    finally:
        db.dispose()
    click.echo(t("cli.token.created", settings.language, id=token.id, name=owner))
    click.echo(plaintext)


@command.command("list")
@click.argument("name", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
def list_(name: str | None, as_json: bool) -> None:
    """List tokens, of one account or all / Lister les jetons."""
    settings = load_settings()
    ui = settings.language
    db = open_database(settings)
    try:
        with db.session() as s:
            user = None
            if name is not None:
                user = accounts.get_user(s, name)
                if user is None:
                    raise InputError("accounts.user_unknown", name=name)
            tokens = accounts.list_tokens(s, user)
            records = [
                {
                    "id": tok.id,
                    "user": tok.user.name,
                    "label": tok.name,
                    "prefix": tok.prefix,
                    "created_at": tok.created_at,
                    "last_used_at": tok.last_used_at,
                    "revoked_at": tok.revoked_at,
                }
                for tok in tokens
            ]
    finally:
        db.dispose()
    if as_json:
        stamps = ("created_at", "last_used_at", "revoked_at")
        plain = [{k: (v.isoformat() if k in stamps and v else v) for k, v in r.items()} for r in records]
        click.echo(json.dumps(plain, ensure_ascii=False, indent=2))
        return
    if not records:
        click.echo(t("cli.token.none", ui))
        return
    rows = [t("cli.token.columns", ui).split("|")]
    for r in records:
        rows.append([
            str(r["id"]), r["user"], r["label"] or "-", r["prefix"] + "…",
            _when(r["created_at"]), _when(r["last_used_at"]), _when(r["revoked_at"]),
        ])
    click.echo(table(rows))


@command.command("revoke")
@click.argument("token_id", metavar="ID", type=int)
def revoke(token_id: int) -> None:
    """Revoke a token by id / Révoquer un jeton."""
    settings = load_settings()
    db = open_database(settings)
    try:
        with db.session() as s:
            accounts.revoke_token(s, token_id)
    finally:
        db.dispose()
    click.echo(t("cli.token.revoked", settings.language, id=token_id))
