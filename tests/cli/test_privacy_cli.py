"""`precepteur privacy export|delete` and `precepteur purge` on a real SQLite file."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone

from precepteur.config import Settings
from precepteur.gate.accounts import create_user
from precepteur.store import Database
from precepteur.store.conversations import add_message, create_conversation


def seed(home) -> None:
    db = Database(Settings(home=home))
    db.migrate()
    with db.session() as s:
        prof = create_user(s, "prof", "teacher", password="prof-password-1")
        alice = create_user(s, "alice", "learner", password="alice-password", teacher=prof)
        old = create_conversation(s, alice, title="vieille", level="4e", mode="explain", model="scripted")
        add_message(s, old, "user", "une question de l'an dernier, mot-témoin-ancien")
        old.updated_at = datetime(2026, 5, 1, tzinfo=timezone.utc)
        new = create_conversation(s, alice, title="récente", level="4e", mode="explain", model="scripted")
        add_message(s, new, "user", "une question de septembre, mot-témoin-récent")
        new.updated_at = datetime(2026, 9, 10, tzinfo=timezone.utc)
        s.commit()
    db.dispose()


def conversations(home) -> list[str]:
    return [r[0] for r in sqlite3.connect(home / "precepteur.db").execute("SELECT title FROM conversations ORDER BY id")]


def test_purge_with_a_frozen_clock(cli, home):
    run = cli
    seed(home)
    dry = run("purge", "--now", "2026-10-01T00:00:00+00:00", "--dry-run")
    assert dry.exit_code == 0 and "1 conversation" in dry.stdout and "2026-09-01" in dry.stdout
    assert conversations(home) == ["vieille", "récente"]
    done = run("purge", "--now", "2026-10-01T00:00:00+00:00")
    assert done.exit_code == 0 and conversations(home) == ["récente"]
    assert b"mot-t\xc3\xa9moin-ancien" not in (home / "precepteur.db").read_bytes()
    assert run("purge", "--retention", "forever").exit_code == 2
    assert run("purge", "--now", "demain").exit_code == 2


def test_export_then_delete(cli, home, tmp_path):
    run = cli
    seed(home)
    out = tmp_path / "alice.json"
    exported = run("privacy", "export", "alice", "--out", str(out))
    assert exported.exit_code == 0, exported.output
    data = json.loads(out.read_text())
    assert len(data["tables"]["conversations"]) == 2 and len(data["tables"]["messages"]) == 2
    assert run("privacy", "delete", "alice").exit_code == 2  # --yes is required
    assert run("privacy", "export", "prof").exit_code == 2  # learners only
    deleted = run("privacy", "delete", "alice", "--yes")
    assert deleted.exit_code == 0 and "messages 2" in deleted.stdout
    raw = (home / "precepteur.db").read_bytes()
    assert "mot-témoin".encode() not in raw and b"alice" not in raw
    assert run("privacy", "export", "alice").exit_code == 2
