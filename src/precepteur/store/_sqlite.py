"""SQLite tuning for one process: WAL, foreign keys, a busy timeout, and one writer.

SQLite allows one writer at a time; instead of letting threads poll on
"database is locked", a write takes a process-wide lock when its first
INSERT/UPDATE/DELETE/DDL statement runs and gives it back at commit or rollback.
Reads never take it (WAL lets them run beside the writer). Another process
(a CLI command next to `serve`) is still arbitrated by SQLite's busy timeout.

A writer that waits longer than WRITE_WAIT_S for the lock gets `StoreBusy`, which
the web app answers with 503 and Retry-After: a busy database is a reason to come
back shortly, never a client error.

Constants: BUSY_TIMEOUT_S (how long SQLite waits on another process's lock),
WRITE_WAIT_S (how long a writer waits for this process's writer lock).
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from ..errors import PrecepteurError

BUSY_TIMEOUT_S = 15.0
WRITE_WAIT_S = 10.0
_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")
_HELD = "precepteur_write_lock_held"


class StoreBusy(PrecepteurError):
    """The database stayed busy (locked, or no free connection) longer than a writer may wait."""


def _is_write(statement: str) -> bool:
    return statement.lstrip().split(None, 1)[0].upper() in _WRITE_VERBS if statement.strip() else False


def configure(engine: Engine) -> threading.Lock:
    """Install the pragmas and the writer lock on a SQLite engine; return the lock."""
    lock = threading.Lock()

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    def _release(info: dict) -> None:
        if info.pop(_HELD, False):
            lock.release()

    @event.listens_for(engine, "before_cursor_execute")
    def _take(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if conn.info.get(_HELD) or not _is_write(statement):
            return
        if not lock.acquire(timeout=WRITE_WAIT_S):
            raise StoreBusy("store.busy", seconds=int(WRITE_WAIT_S))
        conn.info[_HELD] = True

    @event.listens_for(engine, "commit")
    def _after_commit(conn: Any) -> None:
        _release(conn.info)

    @event.listens_for(engine, "rollback")
    def _after_rollback(conn: Any) -> None:
        _release(conn.info)

    # A connection given back to the pool without commit is rolled back by the pool.
    @event.listens_for(engine, "reset")
    def _on_reset(dbapi_connection: Any, connection_record: Any, reset_state: Any) -> None:
        _release(connection_record.info)

    @event.listens_for(engine, "close")
    def _on_close(_dbapi_connection: Any, record: Any) -> None:
        _release(record.info)

    return lock
