"""Export, erasure and retention of a learner's data, found from the schema; the audit log is append-only."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from precepteur.errors import InputError
from precepteur.gate.accounts import create_user
from precepteur.store.conversations import add_message, create_conversation
from precepteur.store.guard_models import AuditEntry, GradedWork, GuardFlag
from precepteur.store.models import Base, Conversation, Message, User
from precepteur.store.privacy import (
    ACTING_USER_COLUMNS, OWNER_COLUMNS, OWNING_USER_COLUMNS, audit, delete_learner, export_learner, purge,
    retention_cutoff, table_counts, unclassified_tables,
)

SECRET = "ma phrase zébrée introuvable 4242"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


@pytest.fixture
def school(db):
    with db.session() as s:
        prof = create_user(s, "prof", "teacher", password="prof-password-1")
        alice = create_user(s, "alice", "learner", password="alice-password", teacher=prof)
        bob = create_user(s, "bob", "learner", password="bob-password-1", teacher=prof)
        for user, text in ((alice, SECRET), (alice, "deuxième question"), (bob, "la question de bob")):
            conversation = create_conversation(s, user, title=text, level="4e", mode="explain", model="scripted")
            question = add_message(s, conversation, "user", text)
            add_message(s, conversation, "assistant", "réponse", model="scripted")
        s.add(GuardFlag(learner_id=alice.id, category="self_harm", layer="rules", message_id=question.id,
                        seen_by=prof.id))
        s.add(GradedWork(teacher_id=prof.id, title="DM 3", statement="Résous 2x + 3 = 7", answer="2"))
        audit(s, prof, "read_conversation", alice.id, "conversation", 1)
        audit(s, prof, "read_conversation", bob.id, "conversation", 3)
        s.commit()
        return {"prof": prof.id, "alice": alice.id, "bob": bob.id}


def test_every_table_is_classified_and_every_user_link_has_a_meaning(db):
    tables = sa.inspect(db.engine).get_table_names()
    assert unclassified_tables(tables) == []
    for table in Base.metadata.tables.values():
        for fk in table.foreign_keys:
            if fk.column.table.name == "users" and table.name != "users":
                assert fk.parent.name in OWNING_USER_COLUMNS | ACTING_USER_COLUMNS, (table.name, fk.parent.name)


def test_export_holds_every_row_of_the_learner_and_no_one_else(db, school):
    with db.session() as s:
        data = export_learner(s, school["alice"])
        counts = table_counts(s, school["alice"])
        assert {k: len(v) for k, v in data.items()} == counts
        assert counts["conversations"] == 2 and counts["messages"] == 4 and counts["guard_flags"] == 1
        assert counts["audit_log"] == 1 and counts["users"] == 1 and counts["api_tokens"] == 0
        assert counts.get("graded_work", 0) == 0  # the teacher's, not hers
        assert "password_hash" not in data["users"][0]
        assert any(m["content"] == SECRET for m in data["messages"])
        assert all(c["user_id"] == school["alice"] for c in data["conversations"])
        # The database's own counts agree.
        assert s.scalar(select(sa.func.count()).select_from(Message).join(Conversation)
                        .where(Conversation.user_id == school["alice"])) == 4


def test_delete_leaves_no_row_referring_to_the_learner(db, school):
    alice = school["alice"]
    with db.session() as s:
        counts = delete_learner(s, alice, actor=s.get(User, school["prof"]))
        s.commit()
    assert counts["messages"] == 4 and counts["audit_log"] == 1
    with db.session() as s:
        for table in Base.metadata.tables.values():
            for fk in table.foreign_keys:
                if fk.column.table.name == "users":
                    assert s.scalar(select(sa.func.count()).select_from(table).where(fk.parent == alice)) == 0
            for column in OWNER_COLUMNS.get(table.name, ()):
                assert s.scalar(select(sa.func.count()).select_from(table).where(table.c[column] == alice)) == 0
        assert s.scalar(select(sa.func.count()).select_from(Conversation)) == 1  # bob's stays
        assert s.scalar(select(sa.func.count()).select_from(GradedWork)) == 1
        assert [e.action for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))] == [
            "read_conversation", "erase_learner"]


def test_after_delete_and_vacuum_the_text_is_gone_from_the_file(db, school, tmp_path):
    if db.dialect != "sqlite":
        pytest.skip("the raw file check is for SQLite")
    with db.session() as s:
        delete_learner(s, school["alice"])
        s.commit()
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.exec_driver_sql("VACUUM")
    path = db.engine.url.database
    raw = b"".join(open(f, "rb").read() for f in (path,))
    assert SECRET.encode() not in raw and "zébrée".encode() not in raw


def test_the_audit_log_cannot_be_altered(db, school):
    for statement in ("UPDATE audit_log SET actor_name = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(sa.exc.DBAPIError):
            with db.engine.begin() as connection:
                connection.exec_driver_sql(statement)
    with db.session() as s:
        assert s.scalar(select(sa.func.count()).select_from(AuditEntry)) == 2


def test_retention_cutoffs_with_a_frozen_clock():
    assert retention_cutoff(at("2026-09-15T10:00:00"), "school_year") == at("2026-09-01T00:00:00")
    assert retention_cutoff(at("2027-03-01T10:00:00"), "school_year") == at("2026-09-01T00:00:00")
    assert retention_cutoff(at("2027-03-01T00:00:00"), 30) == at("2027-01-30T00:00:00")
    for bad in (0, 400, "forever", -3):
        with pytest.raises(InputError):
            retention_cutoff(at("2027-03-01T00:00:00"), bad)
    with pytest.raises(ValueError):
        retention_cutoff(datetime(2027, 3, 1), 30)


def test_purge_removes_last_school_years_conversations(db, school):
    with db.session() as s:
        conversations = list(s.scalars(select(Conversation).order_by(Conversation.id)))
        conversations[0].updated_at = at("2026-06-20T12:00:00")
        conversations[1].updated_at = at("2026-09-02T08:00:00")
        conversations[2].updated_at = at("2026-08-31T23:59:00")
        s.commit()
    now = at("2026-10-01T00:00:00")
    with db.session() as s:
        assert purge(s, now, "school_year", dry_run=True) == 2
        assert purge(s, now, "school_year") == 2
        s.commit()
    with db.session() as s:
        assert [c.id for c in s.scalars(select(Conversation))] == [conversations[1].id]
        assert s.scalar(select(sa.func.count()).select_from(Message)) == 2
