"""The schema after `migrate()`: exact columns of every table, on every backend,
and no drift between the migrations and the ORM models."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR

from precepteur.store.database import head_revision
from precepteur.store.models import Base

# (column, type, length or None, nullable), in table order.
EXPECTED = {
    "users": [
        ("id", sa.Integer, None, False),
        ("name", sa.String, 64, False),
        ("role", sa.String, 16, False),
        ("level", sa.String, 16, True),
        ("lang", sa.String, 8, False),
        ("password_hash", sa.String, 255, True),
        ("teacher_id", sa.Integer, None, True),
        ("created_at", sa.DateTime, None, False),
        ("disabled", sa.Boolean, None, False),
    ],
    "api_tokens": [
        ("id", sa.Integer, None, False),
        ("user_id", sa.Integer, None, False),
        ("name", sa.String, 100, False),
        ("prefix", sa.String, 8, False),
        ("token_hash", sa.String, 64, False),
        ("created_at", sa.DateTime, None, False),
        ("last_used_at", sa.DateTime, None, True),
        ("revoked_at", sa.DateTime, None, True),
    ],
    "conversations": [
        ("id", sa.Integer, None, False),
        ("user_id", sa.Integer, None, False),
        ("title", sa.String, 200, False),
        ("level", sa.String, 16, False),
        ("mode", sa.String, 16, False),
        ("library", sa.String, 100, True),
        ("model", sa.String, 200, False),
        ("created_at", sa.DateTime, None, False),
        ("updated_at", sa.DateTime, None, False),
    ],
    "messages": [
        ("id", sa.Integer, None, False),
        ("conversation_id", sa.Integer, None, False),
        ("role", sa.String, 16, False),
        ("content", sa.Text, None, False),
        ("complete", sa.Boolean, None, False),
        ("citations", sa.Text, None, False),
        ("skills", sa.Text, None, False),
        ("declined", sa.Boolean, None, False),
        ("model", sa.String, 200, True),
        ("error", sa.Text, None, True),
        ("created_at", sa.DateTime, None, False),
        ("updated_at", sa.DateTime, None, False),
    ],
    "guard_flags": [
        ("id", sa.Integer, None, False),
        ("learner_id", sa.Integer, None, False),
        ("category", sa.String, 32, False),
        ("layer", sa.String, 16, False),
        ("message_id", sa.Integer, None, True),
        ("created_at", sa.DateTime, None, False),
        ("seen_at", sa.DateTime, None, True),
        ("seen_by", sa.Integer, None, True),
    ],
    "audit_log": [
        ("id", sa.Integer, None, False),
        ("at", sa.DateTime, None, False),
        ("actor_id", sa.Integer, None, True),
        ("actor_name", sa.String, 64, False),
        ("actor_role", sa.String, 16, False),
        ("action", sa.String, 32, False),
        ("subject_id", sa.Integer, None, True),
        ("object_type", sa.String, 32, False),
        ("object_id", sa.Integer, None, True),
    ],
    "graded_work": [
        ("id", sa.Integer, None, False),
        ("teacher_id", sa.Integer, None, False),
        ("library", sa.String, 100, True),
        ("title", sa.String, 200, False),
        ("statement", sa.Text, None, False),
        ("solution", sa.Text, None, True),
        ("answer", sa.String, 200, True),
        ("active", sa.Boolean, None, False),
        ("created_at", sa.DateTime, None, False),
    ],
    "item_jobs": [
        ("id", sa.Integer, None, False),
        ("library", sa.String, 100, False),
        ("created_by", sa.Integer, None, True),
        ("params", sa.Text, None, False),
        ("state", sa.String, 16, False),
        ("wanted", sa.Integer, None, False),
        ("accepted", sa.Integer, None, False),
        ("candidates", sa.Integer, None, False),
        ("cursor", sa.Integer, None, False),
        ("stats", sa.Text, None, False),
        ("message", sa.Text, None, False),
        ("created_at", sa.DateTime, None, False),
        ("updated_at", sa.DateTime, None, False),
    ],
    "items": [
        ("id", sa.Integer, None, False),
        ("library", sa.String, 100, False),
        ("skill", sa.String, 200, False),
        ("kind", sa.String, 16, False),
        ("level", sa.String, 16, True),
        ("prompt", sa.Text, None, False),
        ("choices", sa.Text, None, True),
        ("key", sa.Text, None, False),
        ("variants", sa.Text, None, False),
        ("explanation", sa.Text, None, False),
        ("tolerance", sa.Float, None, True),
        ("hint", sa.Text, None, False),
        ("context", sa.Text, None, False),
        ("source_document", sa.String, 500, False),
        ("source_locator", sa.String, 1000, False),
        ("source_quote", sa.Text, None, False),
        ("source_start", sa.Integer, None, False),
        ("source_end", sa.Integer, None, False),
        ("status", sa.String, 16, False),
        ("checks", sa.Text, None, False),
        ("reasons", sa.Text, None, False),
        ("generator", sa.String, 40, False),
        ("fingerprint", sa.String, 64, False),
        ("job_id", sa.Integer, None, True),
        ("created_by", sa.Integer, None, True),
        ("created_at", sa.DateTime, None, False),
        ("updated_at", sa.DateTime, None, False),
    ],
    "item_events": [
        ("id", sa.Integer, None, False),
        ("item_id", sa.Integer, None, False),
        ("user_id", sa.Integer, None, True),
        ("action", sa.String, 16, False),
        ("before", sa.Text, None, True),
        ("after", sa.Text, None, True),
        ("at", sa.DateTime, None, False),
    ],
    "topic_settings": [
        ("id", sa.Integer, None, False),
        ("library", sa.String, 100, False),
        ("topic_id", sa.String, 200, False),
        ("label", sa.String, 200, True),
        ("merged_into", sa.String, 200, True),
        ("hidden", sa.Boolean, None, False),
        ("updated_at", sa.DateTime, None, False),
    ],
    "library_settings": [
        ("library", sa.String, 100, False),
        ("levels", sa.Text, None, False),
        ("auto_approve", sa.Boolean, None, False),
        ("updated_at", sa.DateTime, None, False),
    ],
    "web_sessions": [
        ("id", sa.Integer, None, False),
        ("user_id", sa.Integer, None, False),
        ("token_hash", sa.String, 64, False),
        ("created_at", sa.DateTime, None, False),
        ("expires_at", sa.DateTime, None, False),
    ],
    "workers": [
        ("id", sa.String, 32, False),
        ("host", sa.String, 255, False),
        ("pid", sa.Integer, None, False),
        ("started_at", sa.DateTime, None, False),
        ("heartbeat_at", sa.DateTime, None, False),
    ],
    "answer_owners": [
        ("message_id", sa.Integer, None, False),
        ("worker_id", sa.String, 32, False),
    ],
    "classes": [
        ("id", sa.Integer, None, False),
        ("name", sa.String, 100, False),
        ("teacher_id", sa.Integer, None, False),
        ("level", sa.String, 16, True),
        ("points", sa.Boolean, None, False),
        ("weekly_goal", sa.Integer, None, False),
        ("created_at", sa.DateTime, None, False),
        ("training_opt_in", sa.Boolean, None, False),
    ],
    "class_libraries": [
        ("class_id", sa.Integer, None, False),
        ("library", sa.String, 100, False),
    ],
    "class_members": [
        ("class_id", sa.Integer, None, False),
        ("user_id", sa.Integer, None, False),
        ("joined_at", sa.DateTime, None, False),
    ],
    "join_codes": [
        ("id", sa.Integer, None, False),
        ("class_id", sa.Integer, None, False),
        ("code", sa.String, 16, False),
        ("created_at", sa.DateTime, None, False),
        ("expires_at", sa.DateTime, None, False),
        ("revoked_at", sa.DateTime, None, True),
        ("uses", sa.Integer, None, False),
    ],
    "practice_sessions": [
        ("id", sa.String, 32, False),
        ("learner_id", sa.Integer, None, False),
        ("library", sa.String, 100, False),
        ("skill", sa.String, 200, True),
        ("plan", sa.Text, None, False),
        ("hinted", sa.Text, None, False),
        ("before", sa.Text, None, False),
        ("points", sa.Integer, None, False),
        ("created_at", sa.DateTime, None, False),
        ("finished_at", sa.DateTime, None, True),
    ],
    "practice_answers": [
        ("id", sa.Integer, None, False),
        ("session_id", sa.String, 32, False),
        ("learner_id", sa.Integer, None, False),
        ("item_id", sa.Integer, None, False),
        ("skill", sa.String, 200, False),
        ("answer", sa.Text, None, False),
        ("correct", sa.Boolean, None, False),
        ("hinted", sa.Boolean, None, False),
        ("attempt", sa.Integer, None, False),
        ("first", sa.Boolean, None, False),
        ("reviewed", sa.Boolean, None, False),
        ("mastery", sa.Float, None, True),
        ("at", sa.DateTime, None, False),
        ("graded_by", sa.String, 16, False),
    ],
    "skill_estimates": [
        ("id", sa.Integer, None, False),
        ("learner_id", sa.Integer, None, False),
        ("library", sa.String, 100, False),
        ("skill", sa.String, 200, False),
        ("theta", sa.Float, None, False),
        ("answers", sa.Integer, None, False),
        ("updated_at", sa.DateTime, None, False),
    ],
    "item_estimates": [
        ("item_id", sa.Integer, None, False),
        ("difficulty", sa.Float, None, False),
        ("answers", sa.Integer, None, False),
        ("updated_at", sa.DateTime, None, False),
    ],
    "review_cards": [
        ("id", sa.Integer, None, False),
        ("learner_id", sa.Integer, None, False),
        ("item_id", sa.Integer, None, False),
        ("card", sa.Text, None, False),
        ("due", sa.DateTime, None, False),
        ("last_review", sa.DateTime, None, True),
    ],
    "review_logs": [
        ("id", sa.Integer, None, False),
        ("learner_id", sa.Integer, None, False),
        ("item_id", sa.Integer, None, False),
        ("log", sa.Text, None, False),
        ("at", sa.DateTime, None, False),
    ],
    "arena_contestants": [
        ("id", sa.Integer, None, False),
        ("name", sa.String, 64, False),
        ("model", sa.String, 200, False),
        ("model_sha256", sa.String, 64, True),
        ("model_url", sa.String, 500, True),
        ("prompt_version", sa.String, 32, False),
        ("temperature", sa.Float, None, True),
        ("output_licence", sa.String, 64, False),
        ("allows_training", sa.Boolean, None, False),
        ("active", sa.Boolean, None, False),
        ("created_by", sa.Integer, None, True),
        ("created_at", sa.DateTime, None, False),
    ],
    "arena_battles": [
        ("id", sa.Integer, None, False),
        ("public_id", sa.String, 32, False),
        ("user_id", sa.Integer, None, False),
        ("question", sa.Text, None, False),
        ("level", sa.String, 16, False),
        ("lang", sa.String, 8, False),
        ("library", sa.String, 100, True),
        ("pairing", sa.String, 16, False),
        ("anony", sa.Boolean, None, False),
        ("contestant_a_id", sa.Integer, None, False),
        ("contestant_b_id", sa.Integer, None, False),
        ("passages", sa.Text, None, False),
        ("answer_a", sa.Text, None, False),
        ("answer_b", sa.Text, None, False),
        ("citations_a", sa.Text, None, False),
        ("citations_b", sa.Text, None, False),
        ("tokens_a", sa.Integer, None, False),
        ("tokens_b", sa.Integer, None, False),
        ("seconds_a", sa.Float, None, False),
        ("seconds_b", sa.Float, None, False),
        ("state", sa.String, 16, False),
        ("leaked", sa.Boolean, None, False),
        ("leak_reason", sa.String, 200, True),
        ("errored", sa.Boolean, None, False),
        ("excluded", sa.Boolean, None, False),
        ("review_status", sa.String, 16, True),
        ("review_verdict", sa.String, 16, True),
        ("reference_answer", sa.Text, None, True),
        ("reviewed_by", sa.Integer, None, True),
        ("reviewed_at", sa.DateTime, None, True),
        ("created_at", sa.DateTime, None, False),
    ],
    "arena_votes": [
        ("id", sa.Integer, None, False),
        ("battle_id", sa.Integer, None, False),
        ("judge_id", sa.Integer, None, True),
        ("verdict", sa.String, 16, False),
        ("reasons_a", sa.Text, None, False),
        ("reasons_b", sa.Text, None, False),
        ("comment", sa.Text, None, False),
        ("role", sa.String, 16, False),
        ("level", sa.String, 16, True),
        ("consent", sa.Boolean, None, False),
        ("minor", sa.Boolean, None, False),
        ("cohort", sa.Boolean, None, False),
        ("created_at", sa.DateTime, None, False),
    ],
    "answer_feedback": [
        ("id", sa.Integer, None, False),
        ("message_id", sa.Integer, None, False),
        ("user_id", sa.Integer, None, False),
        ("rating", sa.String, 8, False),
        ("reasons", sa.Text, None, False),
        ("comment", sa.Text, None, False),
        ("problem", sa.Boolean, None, False),
        ("review_status", sa.String, 16, True),
        ("reviewed_by", sa.Integer, None, True),
        ("reviewed_at", sa.DateTime, None, True),
        ("created_at", sa.DateTime, None, False),
    ],
    "libraries": [
        ("id", sa.Integer, None, False),
        ("name", sa.String, 100, False),
        ("generation", sa.Integer, None, False),
        ("created_at", sa.DateTime, None, False),
    ],
    "library_meta": [
        ("library_id", sa.Integer, None, False),
        ("key", sa.String, 64, False),
        ("value", sa.Text, None, False),
    ],
    "library_documents": [
        ("id", sa.Integer, None, False),
        ("library_id", sa.Integer, None, False),
        ("name", sa.String, 500, False),
        ("kind", sa.String, 16, False),
        ("sha256", sa.String, 64, False),
        ("source_path", sa.Text, None, False),
        ("chars", sa.Integer, None, False),
        ("added_at", sa.DateTime, None, False),
        ("text", sa.Text, None, False),
        ("original", sa.LargeBinary, None, True),
    ],
    "library_passages": [
        ("id", sa.Integer, None, False),
        ("library_id", sa.Integer, None, False),
        ("document_id", sa.Integer, None, False),
        ("ordinal", sa.Integer, None, False),
        ("start_char", sa.Integer, None, False),
        ("end_char", sa.Integer, None, False),
        ("heading", sa.Text, None, False),
        ("locator", sa.Text, None, False),
        ("text", sa.Text, None, False),
        ("page", sa.Integer, None, True),
        ("terms", sa.Text, None, False),  # tsvector on PostgreSQL
        ("tf", sa.Text, None, False),  # jsonb on PostgreSQL
        ("length", sa.Integer, None, False),
        ("vector", sa.LargeBinary, None, True),
    ],
    "gate_members": [
        ("user_id", sa.Integer, None, False),
        ("cohort", sa.String, 32, False),
        ("joined_at", sa.DateTime, None, False),
    ],
    "gate_used_invitations": [
        ("nonce", sa.String, 64, False),
        ("cohort", sa.String, 32, False),
        ("user_id", sa.Integer, None, True),
        ("redeemed_at", sa.DateTime, None, False),
    ],
    "gate_switches": [
        ("scope", sa.String, 32, False),
        ("killed", sa.Boolean, None, False),
        ("message", sa.String, 500, False),
        ("retry_after", sa.Integer, None, False),
        ("updated_at", sa.DateTime, None, False),
    ],
    "gate_incidents": [
        ("id", sa.Integer, None, False),
        ("title", sa.String, 200, False),
        ("body", sa.Text, None, False),
        ("started_at", sa.DateTime, None, False),
        ("ended_at", sa.DateTime, None, True),
    ],
}
# Made by 0011_scale only where the pgvector extension exists; not part of the ORM schema.
OPTIONAL = {"library_vectors"}


def _kind(column_type) -> tuple[type, int | None]:
    if isinstance(column_type, (TSVECTOR, JSONB)):
        return sa.Text, None
    for kind in (sa.Boolean, sa.DateTime, sa.Integer, sa.Float, sa.Text, sa.String, sa.LargeBinary):
        if isinstance(column_type, kind):
            length = getattr(column_type, "length", None) if kind is sa.String else None
            return kind, length
    raise AssertionError(f"unexpected column type {column_type!r}")


def test_tables_and_columns_are_exactly_these(db):
    inspector = sa.inspect(db.engine)
    assert set(inspector.get_table_names()) - OPTIONAL == set(EXPECTED) | {"alembic_version"}
    for table, expected in EXPECTED.items():
        actual = []
        for column in inspector.get_columns(table):
            kind, length = _kind(column["type"])
            actual.append((column["name"], kind, length, column["nullable"]))
        assert actual == expected, table


def test_foreign_keys_and_unique_names(db):
    inspector = sa.inspect(db.engine)
    fks = {
        table: sorted(
            (tuple(fk["constrained_columns"]), fk["referred_table"], fk["options"].get("ondelete"))
            for fk in inspector.get_foreign_keys(table)
        )
        for table in EXPECTED
    }
    assert fks == {
        "users": [(("teacher_id",), "users", "SET NULL")],
        "api_tokens": [(("user_id",), "users", "CASCADE")],
        "conversations": [(("user_id",), "users", "CASCADE")],
        "messages": [(("conversation_id",), "conversations", "CASCADE")],
        "guard_flags": [(("learner_id",), "users", "CASCADE"), (("message_id",), "messages", "SET NULL"),
                        (("seen_by",), "users", "SET NULL")],
        "audit_log": [],
        "graded_work": [(("teacher_id",), "users", "CASCADE")],
        "item_jobs": [(("created_by",), "users", "SET NULL")],
        "items": [(("created_by",), "users", "SET NULL"), (("job_id",), "item_jobs", "SET NULL")],
        "item_events": [(("item_id",), "items", "CASCADE"), (("user_id",), "users", "SET NULL")],
        "topic_settings": [],
        "library_settings": [],
        "web_sessions": [(("user_id",), "users", "CASCADE")],
        "workers": [],
        "answer_owners": [(("message_id",), "messages", "CASCADE")],
        "classes": [(("teacher_id",), "users", "CASCADE")],
        "class_libraries": [(("class_id",), "classes", "CASCADE")],
        "class_members": [(("class_id",), "classes", "CASCADE"), (("user_id",), "users", "CASCADE")],
        "join_codes": [(("class_id",), "classes", "CASCADE")],
        "practice_sessions": [(("learner_id",), "users", "CASCADE")],
        "practice_answers": [(("item_id",), "items", "CASCADE"), (("learner_id",), "users", "CASCADE"),
                             (("session_id",), "practice_sessions", "CASCADE")],
        "skill_estimates": [(("learner_id",), "users", "CASCADE")],
        "item_estimates": [(("item_id",), "items", "CASCADE")],
        "review_cards": [(("item_id",), "items", "CASCADE"), (("learner_id",), "users", "CASCADE")],
        "review_logs": [(("item_id",), "items", "CASCADE"), (("learner_id",), "users", "CASCADE")],
        "arena_contestants": [(("created_by",), "users", "SET NULL")],
        "arena_battles": [(("contestant_a_id",), "arena_contestants", "CASCADE"),
                          (("contestant_b_id",), "arena_contestants", "CASCADE"),
                          (("reviewed_by",), "users", "SET NULL"), (("user_id",), "users", "CASCADE")],
        "arena_votes": [(("battle_id",), "arena_battles", "CASCADE"), (("judge_id",), "users", "SET NULL")],
        "answer_feedback": [(("message_id",), "messages", "CASCADE"), (("reviewed_by",), "users", "SET NULL"),
                            (("user_id",), "users", "CASCADE")],
        "libraries": [],
        "library_meta": [(("library_id",), "libraries", "CASCADE")],
        "library_documents": [(("library_id",), "libraries", "CASCADE")],
        "library_passages": [(("document_id",), "library_documents", "CASCADE"),
                             (("library_id",), "libraries", "CASCADE")],
        "gate_members": [(("user_id",), "users", "CASCADE")],
        "gate_used_invitations": [(("user_id",), "users", "SET NULL")],
        "gate_switches": [],
        "gate_incidents": [],
    }
    unique = {
        table: sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(table))
        for table in ("users", "api_tokens", "topic_settings", "web_sessions", "classes", "join_codes",
                      "skill_estimates", "review_cards", "libraries", "library_documents")
    }
    assert unique == {"users": [("name",)], "api_tokens": [("token_hash",)],
                      "topic_settings": [("library", "topic_id")], "web_sessions": [("token_hash",)],
                      "classes": [("teacher_id", "name")], "join_codes": [("code",)],
                      "skill_estimates": [("learner_id", "library", "skill")],
                      "libraries": [("name",)], "library_documents": [("library_id", "name")],
                      "review_cards": [("learner_id", "item_id")]}


def test_migrations_match_the_models(db):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_name": lambda name, kind, _: not (kind == "table" and name in OPTIONAL)})
        assert compare_metadata(context, Base.metadata) == []


def test_migrate_is_idempotent_and_records_head(db):
    assert db.revision() == head_revision()
    db.migrate()
    db.migrate()
    assert db.revision() == head_revision()


def test_fresh_database_has_no_schema_until_migrated(empty_db):
    assert empty_db.revision() is None
    assert empty_db.is_empty()
    assert sa.inspect(empty_db.engine).get_table_names() == []
    empty_db.migrate()
    assert empty_db.is_empty()
