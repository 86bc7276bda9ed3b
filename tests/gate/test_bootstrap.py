"""First start: the operator is told how to create the first admin, once."""

from __future__ import annotations

from precepteur.store.database import head_revision

from precepteur.config import Settings
from precepteur.gate.accounts import create_user
from precepteur.gate.bootstrap import first_start_message, open_database
from precepteur.store.database import head_revision


def test_first_start_message_until_an_account_exists(db):
    assert first_start_message(db, "fr") == (
        "Aucun compte : créez le premier administrateur avec "
        "« precepteur user add admin --role admin --password-stdin »"
    )
    assert "precepteur user add admin --role admin --password-stdin" in first_start_message(db, "en")
    with db.session() as s:
        create_user(s, "admin", "admin")
    assert first_start_message(db, "fr") is None


def test_open_database_migrates_the_installation(tmp_path):
    db = open_database(Settings(home=tmp_path / "home"))
    assert db.revision() == head_revision()
    assert (tmp_path / "home" / "precepteur.db").is_file()
    assert first_start_message(db) is not None
    db.dispose()


def test_unmigrated_database_counts_as_empty(empty_db):
    assert first_start_message(empty_db, "fr") is not None
