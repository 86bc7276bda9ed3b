"""`precepteur user` and `precepteur token` through click, then in the real SQLite file."""

from __future__ import annotations

from precepteur.store.database import head_revision

import json
import re
import sqlite3

import pytest
from click.testing import CliRunner

from precepteur.cli import main
from precepteur.gate import accounts
from precepteur.store import Database
from precepteur.store.database import head_revision

TOKEN_RE = re.compile(r"prc_[A-Za-z0-9_-]{43}")


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PRECEPTEUR_HOME", str(tmp_path))
    monkeypatch.delenv("PRECEPTEUR_DATABASE_URL", raising=False)
    monkeypatch.setenv("PRECEPTEUR_LANGUAGE", "fr")
    return tmp_path


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def rows(home, query: str) -> list[tuple]:
    connection = sqlite3.connect(home / "precepteur.db")
    try:
        return connection.execute(query).fetchall()
    finally:
        connection.close()


def test_user_add_creates_the_database_and_the_accounts(home):
    result = run("user", "add", "admin", "--role", "admin", "--password-stdin", input="un secret sûr\n")
    assert result.exit_code == 0, result.output
    assert result.stdout == "compte « admin » créé (rôle admin, id 1)\n"
    assert run("user", "add", "ana", "--role", "teacher", "--password-stdin", input="mot de passe\n").exit_code == 0
    result = run("user", "add", "eleve-7", "--role", "learner", "--level", "CM2", "--teacher", "ana")
    assert result.exit_code == 0, result.output
    assert "n'a pas de mot de passe" in result.stdout
    assert "precepteur user passwd eleve-7 --password-stdin" in result.stdout
    assert rows(home, "SELECT version_num FROM alembic_version") == [(head_revision(),)]
    assert rows(home, "SELECT id, name, role, level, teacher_id, lang, disabled FROM users ORDER BY id") == [
        (1, "admin", "admin", None, None, "fr", 0),
        (2, "ana", "teacher", None, None, "fr", 0),
        (3, "eleve-7", "learner", "CM2", 2, "fr", 0),
    ]
    hashes = dict(rows(home, "SELECT name, password_hash FROM users"))
    assert hashes["admin"].startswith("$argon2id$") and hashes["eleve-7"] is None
    db = Database(f"sqlite:///{home / 'precepteur.db'}")
    with db.session() as s:
        assert accounts.authenticate(s, "admin", "un secret sûr").name == "admin"
        assert accounts.authenticate(s, "admin", "un secret sur") is None
    db.dispose()


def test_admin_without_password_and_no_terminal_is_refused(home):
    result = run("user", "add", "boss", "--role", "admin")
    assert result.exit_code == 2
    assert result.stderr == (
        "precepteur: un compte administrateur ou enseignant doit avoir un mot de passe : "
        "utilisez --password-stdin\n"
    )
    assert not (home / "precepteur.db").exists()  # refused before anything is written


def test_terminal_is_asked_twice(home, monkeypatch):
    monkeypatch.setattr("precepteur.cli.user_cmd._stdin_is_terminal", lambda: True)
    result = run("user", "add", "boss", "--role", "teacher", input="premier essai\nautre chose\n")
    assert result.exit_code == 2 and "les deux mots de passe diffèrent" in result.stderr
    result = run("user", "add", "boss", "--role", "teacher", input="bon secret\nbon secret\n")
    assert result.exit_code == 0, result.output
    assert rows(home, "SELECT name, role FROM users") == [("boss", "teacher")]


def test_errors_are_one_line_and_exit_2(home):
    run("user", "add", "ana", "--role", "teacher", "--password-stdin", input="mot de passe\n")
    for args, message in [
        (("user", "add", "Ana", "--role", "learner"), "precepteur: le nom « Ana » est déjà pris\n"),
        (("user", "add", "x", "--role", "learner"), None),
        (("user", "add", "eleve", "--role", "learner", "--teacher", "nobody"), "precepteur: compte inconnu « nobody »\n"),
        (("user", "passwd", "nobody", "--password-stdin"), "precepteur: compte inconnu « nobody »\n"),
        (("token", "create", "nobody"), "precepteur: compte inconnu « nobody »\n"),
        (("token", "revoke", "42"), "precepteur: jeton inconnu (id 42)\n"),
    ]:
        result = run(*args, input="un mot de passe\n")
        assert result.exit_code == 2, args
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("precepteur: ")
        if message:
            assert result.stderr == message


def test_user_list_and_passwd(home):
    run("user", "add", "ana", "--role", "teacher", "--password-stdin", input="mot de passe\n")
    run("user", "add", "eleve-7", "--role", "learner", "--level", "6e", "--teacher", "ana")
    result = run("user", "list", "--json")
    listed = json.loads(result.stdout)
    assert [(u["name"], u["role"], u["level"], u["teacher"], u["has_password"]) for u in listed] == [
        ("ana", "teacher", None, None, True),
        ("eleve-7", "learner", "6e", "ana", False),
    ]
    table = run("user", "list").stdout.splitlines()
    assert table[0].split() == ["id", "nom", "rôle", "niveau", "enseignant", "langue", "mot", "de", "passe", "désactivé"]
    assert table[2].split() == ["2", "eleve-7", "learner", "6e", "ana", "fr", "non", "non"]
    result = run("user", "passwd", "eleve-7", "--password-stdin", input="nouveau secret\n")
    assert result.exit_code == 0 and result.stdout == "mot de passe de « eleve-7 » modifié\n"
    assert rows(home, "SELECT password_hash IS NOT NULL FROM users WHERE name = 'eleve-7'") == [(1,)]
    result = run("user", "passwd", "eleve-7", "--password-stdin", input="court\n")
    assert result.exit_code == 2 and "trop court" in result.stderr


def test_token_create_prints_the_token_on_its_last_line(home):
    run("user", "add", "ana", "--role", "teacher", "--password-stdin", input="mot de passe\n")
    result = run("token", "create", "ana", "--label", "Open WebUI")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("\n")
    lines = result.stdout.splitlines()
    assert TOKEN_RE.fullmatch(lines[-1])
    assert lines[:-1] == ["jeton 1 créé pour « ana » ; copiez-le maintenant, il ne sera plus affiché :"]
    plaintext = lines[-1]
    assert rows(home, "SELECT id, user_id, name, prefix, revoked_at FROM api_tokens") == [
        (1, 1, "Open WebUI", plaintext[:8], None)
    ]
    assert plaintext not in (home / "precepteur.db").read_bytes().decode("latin-1")

    listed = json.loads(run("token", "list", "ana", "--json").stdout)
    assert [(t["id"], t["user"], t["label"], t["prefix"], t["revoked_at"]) for t in listed] == [
        (1, "ana", "Open WebUI", plaintext[:8], None)
    ]
    assert run("token", "list").stdout.splitlines()[1].split()[:4] == ["1", "ana", "Open", "WebUI"]

    db = Database(f"sqlite:///{home / 'precepteur.db'}")
    with db.session() as s:
        assert accounts.user_for_token(s, plaintext).name == "ana"
    result = run("token", "revoke", "1")
    assert result.exit_code == 0 and result.stdout == "jeton 1 révoqué\n"
    with db.session() as s:
        assert accounts.user_for_token(s, plaintext) is None
    db.dispose()
    assert rows(home, "SELECT revoked_at IS NOT NULL FROM api_tokens") == [(1,)]
    assert run("token", "list", "nobody").exit_code == 2


def test_empty_lists(home):
    assert run("user", "list").stdout == "aucun compte\n"
    assert run("token", "list").stdout == "aucun jeton\n"
    assert json.loads(run("user", "list", "--json").stdout) == []
