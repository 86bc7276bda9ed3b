"""`precepteur class create | code | codes | list`: a teacher's classes and their join codes.

`class code CLASS` prints a fresh join code alone on its last line (a script takes
it with `tail -n 1`); `class codes CLASS` prints every code of the class with its
state, for printing and handing out. CLASS is a class's number or its name.
"""

from __future__ import annotations

import json

import click

from ..errors import InputError
from ..i18n import t
from ..store._types import utcnow
from ._common import load_settings, table


def _open():
    from ..gate.bootstrap import open_database
    from ..library import LibraryService

    settings = load_settings()
    return settings, open_database(settings), LibraryService(settings)


def _class(s, name: str):
    from ..store.classes import find_class

    room = find_class(s, name)
    if room is None:
        raise InputError("learning.class.unknown", name=name)
    return room


@click.group(name="class")
def command() -> None:
    """Classes et codes d'accès / Classes and join codes."""


@command.command("create")
@click.argument("name")
@click.option("--teacher", "teacher_name", required=True, help="The teacher's account.")
@click.option("--level", default=None, help="The class's level (6e, 2nde, Terminale...).")
@click.option("--library", "libraries", multiple=True, help="A library assigned to the class (repeatable).")
@click.option("--no-points", is_flag=True, help="Do not show points to this class's learners.")
def create(name: str, teacher_name: str, level: str | None, libraries: tuple[str, ...], no_points: bool) -> None:
    """Create a class / Créer une classe."""
    from ..gate.accounts import get_user
    from ..store.classes import create_class

    settings, db, service = _open()
    try:
        known = {lib.name for lib in service.list()}
        for library in libraries:
            if library not in known:
                raise InputError("learning.class.unknown_library", name=library)
        with db.session() as s:
            teacher = get_user(s, teacher_name)
            if teacher is None:
                raise InputError("accounts.user_unknown", name=teacher_name)
            room = create_class(s, name, teacher, level=level, libraries=libraries, points=not no_points)
            room_id, room_name = room.id, room.name
    finally:
        db.dispose()
    click.echo(t("learning.cli.created", settings.language, id=room_id, name=room_name))


@command.command("code")
@click.argument("class_name", metavar="CLASS")
@click.option("--days", type=click.IntRange(1, 365), default=14, show_default=True, help="Days the code is valid.")
def code(class_name: str, days: int) -> None:
    """Make a join code (printed on the last line) / Créer un code d'accès."""
    from ..store.classes import new_code

    settings, db, _service = _open()
    try:
        with db.session() as s:
            row = new_code(s, _class(s, class_name), utcnow(), days)
            value, expires = row.code, row.expires_at
    finally:
        db.dispose()
    click.echo(t("learning.cli.code", settings.language, expires=expires.strftime("%Y-%m-%d %H:%M UTC")))
    click.echo(value)


@command.command("codes")
@click.argument("class_name", metavar="CLASS")
def codes(class_name: str) -> None:
    """Every join code of a class, to print / Les codes d'une classe, à imprimer."""
    from ..store.classes import code_state, codes_of

    settings, db, _service = _open()
    ui = settings.language
    now = utcnow()
    try:
        with db.session() as s:
            room = _class(s, class_name)
            rows = [[c.code, c.expires_at.strftime("%Y-%m-%d"), t(f"learning.code_state.{code_state(c, now)}", ui),
                     str(c.uses)] for c in codes_of(s, room.id)]
            title = room.name
    finally:
        db.dispose()
    click.echo(title)
    click.echo(table([[t("learning.cli.col.code", ui), t("learning.cli.col.expires", ui),
                       t("learning.cli.col.state", ui), t("learning.cli.col.uses", ui)], *rows]))


@command.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
def list_(as_json: bool) -> None:
    """List the classes / Lister les classes."""
    from sqlalchemy import select

    from ..store.classes import libraries_of, members
    from ..store.learning_models import SchoolClass
    from ..store.models import User

    settings, db, _service = _open()
    ui = settings.language
    try:
        with db.session() as s:
            out = []
            for room in s.scalars(select(SchoolClass).order_by(SchoolClass.id)):
                teacher = s.get(User, room.teacher_id)
                out.append({"id": room.id, "name": room.name, "teacher": teacher.name if teacher else None,
                            "level": room.level, "libraries": libraries_of(s, room.id),
                            "learners": [m.name for m in members(s, room.id)], "points": room.points})
    finally:
        db.dispose()
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False))
        return
    if not out:
        click.echo(t("learning.cli.none", ui))
        return
    header = [t(f"learning.cli.col.{k}", ui) for k in ("id", "name", "teacher", "level", "libraries", "learners")]
    click.echo(table([header, *[[str(c["id"]), c["name"], c["teacher"] or "-", c["level"] or "-",
                                  ", ".join(c["libraries"]) or "-", str(len(c["learners"]))] for c in out]]))
