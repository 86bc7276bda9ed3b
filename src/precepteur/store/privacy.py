"""A learner's data, found by reading the schema itself: export it, erase it, expire it.

Which rows belong to a learner is not listed by hand: `learner_tables()` walks the
foreign keys of the schema from `users`. A row belongs to the learner when it points
to her user row, or to a row that does (messages through conversations, and so on,
transitively), through a column of OWNING_USER_COLUMNS (a column of ACTING_USER_COLUMNS,
such as the teacher who saw a flag, records who acted and does not make the row hers;
a test fails on a foreign key to users that is in neither). Tables whose ownership is not a foreign key are named in
OWNER_COLUMNS (the audit log keeps plain ids so that it outlives accounts); tables that
hold no personal data are named in NOT_PERSONAL. A test fails when a new table is in
none of these, so a new table cannot be forgotten by export or erasure.

- `export_learner(s, user_id)` -> {table: [row, ...]} with every column, JSON-ready.
- `delete_learner(s, user_id)` erases those rows, children first, lifting the audit
  log's append-only triggers for the learner's own rows only, inside the caller's
  transaction; then the erasure itself is audited (without the learner's name).
- `purge(s, now, retention)` deletes conversations not touched since the cutoff:
  "school_year" (the default) keeps the current French school year, which starts on
  1 September; a number keeps that many days, at most MAX_RETENTION_DAYS.
- `audit(s, actor, action, subject_id, object_type, object_id)` appends to the log.

Constants: OWNER_COLUMNS, OWNING_USER_COLUMNS, ACTING_USER_COLUMNS, NOT_PERSONAL, MAX_RETENTION_DAYS, SCHOOL_YEAR_START.
"""

from __future__ import annotations

from collections import deque
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import Table, delete, inspect, select, text
from sqlalchemy.orm import Session

from ..errors import InputError
from .guard_models import AuditEntry
from .models import Base, Conversation, Message, User

OWNER_COLUMNS = {"audit_log": ("subject_id", "actor_id")}
# A foreign key to users either says whose row it is, or who did something to it.
OWNING_USER_COLUMNS = frozenset({"user_id", "learner_id", "owner_id", "judge_id", "student_id", "member_id"})
ACTING_USER_COLUMNS = frozenset({"teacher_id", "seen_by", "created_by", "reviewed_by", "edited_by", "actor_id",
                                 "changed_by", "approved_by"})
# Libraries are the teacher's course material, kept like the SQLite index files of one PC
# (their owner is a setting in library_meta, as in those files).
NOT_PERSONAL = frozenset({"alembic_version", "library_settings", "topic_settings", "workers", "libraries",
                          "library_meta", "library_documents", "library_passages", "library_vectors",
                          "gate_switches", "gate_incidents"})  # kill switches and the status page's incidents
# (table, column) pairs whose "user_id" records who acted, not whose row it is.
ACTING_OVERRIDES = frozenset({("item_events", "user_id")})
MAX_RETENTION_DAYS = 366
SCHOOL_YEAR_START = (9, 1)  # month, day


def _plain(value):
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value


def learner_tables() -> list[tuple[Table, list[tuple[str, str, str]]]]:
    """Tables reachable from `users` by foreign keys, parents before children, with the
    (column, parent table, parent column) links that make a row belong to a learner."""
    tables = Base.metadata.tables
    links: dict[str, list[tuple[str, str, str]]] = {}
    for table in tables.values():
        for fk in table.foreign_keys:
            links.setdefault(table.name, []).append((fk.parent.name, fk.column.table.name, fk.column.name))
    order, seen, queue = [], {"users"}, deque(["users"])
    while queue:
        parent = queue.popleft()
        for name, table_links in sorted(links.items()):
            if name not in seen and any(p == parent for _, p, _ in table_links):
                seen.add(name)
                order.append(name)
                queue.append(name)
    return [(tables[name], [link for link in links[name] if link[1] in seen]) for name in order]


def unclassified_tables(table_names) -> list[str]:
    """Tables neither reached from users, nor in OWNER_COLUMNS, nor declared NOT_PERSONAL."""
    known = {"users"} | {t.name for t, _ in learner_tables()} | set(OWNER_COLUMNS) | NOT_PERSONAL
    return sorted(set(table_names) - known)


def _owned_ids(s: Session, user_id: int) -> dict[str, set]:
    """{table: primary keys of the rows that belong to the learner}."""
    owned: dict[str, set] = {"users": {user_id}}
    for table, links in learner_tables():
        key = list(table.primary_key.columns)[0]
        ids: set = set()
        for column, parent, parent_column in links:
            parents = owned.get(parent, set())
            if not parents:
                continue
            if parent == "users" and (column not in OWNING_USER_COLUMNS or (table.name, column) in ACTING_OVERRIDES):
                continue  # e.g. guard_flags.seen_by: the teacher who read a flag does not own it
            rows = s.execute(select(key).where(table.c[column].in_(parents))).scalars()
            ids.update(rows)
        owned[table.name] = ids
    return owned




def _other_rows(s: Session, name: str, user_id: int) -> list:
    table = Base.metadata.tables[name]
    clause = None
    for column in OWNER_COLUMNS[name]:
        condition = table.c[column] == user_id
        clause = condition if clause is None else clause | condition
    return list(s.execute(select(table).where(clause)).mappings())


def export_learner(s: Session, user_id: int) -> dict[str, list[dict]]:
    """Every row of every table that belongs to the learner, column by column."""
    user = s.get(User, user_id)
    if user is None:
        raise InputError("privacy.unknown_user", user=user_id)
    owned = _owned_ids(s, user_id)
    out: dict[str, list[dict]] = {}
    for name, ids in owned.items():
        table = Base.metadata.tables[name]
        key = list(table.primary_key.columns)[0]
        rows = s.execute(select(table).where(key.in_(ids)).order_by(key)).mappings() if ids else []
        out[name] = [{k: _plain(v) for k, v in row.items() if k != "password_hash"} for row in rows]
    for name in OWNER_COLUMNS:
        out[name] = [{k: _plain(v) for k, v in row.items()} for row in _other_rows(s, name, user_id)]
    return out


def _with_audit_unlocked(s: Session, work) -> None:
    """Run `work()` with the audit log's delete trigger lifted, inside this transaction."""
    dialect = s.get_bind().dialect.name
    if dialect == "postgresql":
        s.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_delete"))
        try:
            work()
        finally:
            s.execute(text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_delete"))
    else:
        s.execute(text("DROP TRIGGER IF EXISTS audit_log_no_delete"))
        try:
            work()
        finally:
            s.execute(text("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
                           "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"))


def delete_learner(s: Session, user_id: int, actor: User | None = None) -> dict[str, int]:
    """Erase every row that belongs to the learner; {table: rows deleted}."""
    user = s.get(User, user_id)
    if user is None:
        raise InputError("privacy.unknown_user", user=user_id)
    owned = _owned_ids(s, user_id)
    counts: dict[str, int] = {}
    for table, _links in reversed(learner_tables()):
        ids = owned.get(table.name, set())
        if ids:
            key = list(table.primary_key.columns)[0]
            counts[table.name] = s.execute(delete(table).where(key.in_(ids))).rowcount
    audit_table = Base.metadata.tables["audit_log"]

    def erase_audit():
        clause = (audit_table.c.subject_id == user_id) | (audit_table.c.actor_id == user_id)
        counts["audit_log"] = s.execute(delete(audit_table).where(clause)).rowcount

    _with_audit_unlocked(s, erase_audit)
    s.execute(delete(User.__table__).where(User.__table__.c.id == user_id))
    counts["users"] = 1
    s.flush()
    if actor is not None:
        audit(s, actor, "erase_learner", None, "user", None)
    return counts


def retention_cutoff(now: datetime, retention: str | int) -> datetime:
    """The instant before which conversations are purged."""
    if now.tzinfo is None:
        raise ValueError("naive datetime: pass an aware UTC datetime")
    if str(retention) == "school_year":
        month, day = SCHOOL_YEAR_START
        year = now.year if (now.month, now.day) >= (month, day) else now.year - 1
        return datetime(year, month, day, tzinfo=timezone.utc)
    try:
        days = int(retention)
    except (TypeError, ValueError):
        raise InputError("privacy.bad_retention", value=str(retention), limit=MAX_RETENTION_DAYS) from None
    if not 1 <= days <= MAX_RETENTION_DAYS:
        raise InputError("privacy.bad_retention", value=str(retention), limit=MAX_RETENTION_DAYS)
    return now - timedelta(days=days)


def purge(s: Session, now: datetime, retention: str | int = "school_year", dry_run: bool = False) -> int:
    """Delete (or count) the conversations untouched since the retention cutoff."""
    cutoff = retention_cutoff(now, retention)
    stale = select(Conversation.id).where(Conversation.updated_at < cutoff)
    ids = list(s.execute(stale).scalars())
    if ids and not dry_run:
        s.execute(delete(Message).where(Message.conversation_id.in_(ids)))
        s.execute(delete(Conversation).where(Conversation.id.in_(ids)))
    return len(ids)


def audit(s: Session, actor: User, action: str, subject_id: int | None, object_type: str,
          object_id: int | None) -> None:
    """Append one entry to the audit log (in the caller's transaction)."""
    s.add(AuditEntry(actor_id=actor.id, actor_name=actor.name, actor_role=actor.role, action=action,
                     subject_id=subject_id, object_type=object_type, object_id=object_id))


def table_counts(s: Session, user_id: int) -> dict[str, int]:
    """Rows per table that belong to the learner (what an export must hold)."""
    return {name: len(rows) for name, rows in export_learner(s, user_id).items()}


def database_tables(s: Session) -> list[str]:
    return inspect(s.get_bind()).get_table_names()
