"""One database: its engine, its sessions, and its migrations.

`Database(settings_or_url)` accepts `Settings` (SQLite file in `PRECEPTEUR_HOME`
unless `PRECEPTEUR_DATABASE_URL` is set) or a SQLAlchemy URL. `postgresql://` and
`postgres://` URLs are rewritten to the psycopg 3 driver, which is imported only
when a PostgreSQL URL is used. Nothing connects until the first query.

The schema comes only from Alembic: `migrate()` upgrades to head with the
migrations shipped in this package (no alembic.ini needed). On PostgreSQL an
advisory lock keeps several web workers from migrating at once.

Connection pools are sized for the web app's worker threads (FastAPI's 40 plus
answer and ingestion threads): a request that finds no free connection within
POOL_TIMEOUT_S gets `StoreBusy` (503, Retry-After) rather than hanging.

Constants: MIGRATION_LOCK_KEY (the PostgreSQL advisory lock id), SQLITE_POOL,
POSTGRES_POOL ((pool_size, max_overflow)), POOL_TIMEOUT_S.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from ..config import Settings
from ..errors import PrecepteurError
from . import _sqlite
from .models import User

MIGRATION_LOCK_KEY = 0x50524543  # "PREC"
SQLITE_POOL = (20, 60)  # SQLite connections are file handles: cheap
POSTGRES_POOL = (10, 30)  # well under PostgreSQL's default max_connections=100
POOL_TIMEOUT_S = 10.0
_POSTGRES_DRIVER = "postgresql+psycopg"


def normalize_url(url: str) -> URL:
    """The SQLAlchemy URL to use: bare PostgreSQL URLs go through psycopg 3."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername=_POSTGRES_DRIVER)
    return parsed


def migrations_path() -> Path:
    return Path(str(resources.files("precepteur.store") / "migrations"))


def head_revision() -> str:
    """The newest migration shipped in this package (what `migrate()` brings a schema to)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(migrations_path()))
    return ScriptDirectory.from_config(config).get_current_head()


class Database:
    """An engine plus transactional sessions over it."""

    def __init__(self, settings_or_url: Settings | str):
        raw = settings_or_url.database if isinstance(settings_or_url, Settings) else settings_or_url
        self._url = normalize_url(raw)
        self.write_lock: threading.Lock | None = None
        self.engine: Engine = self._create_engine()
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def url(self) -> str:
        return self._url.render_as_string(hide_password=False)

    @property
    def dialect(self) -> str:
        return self._url.get_backend_name()

    def __repr__(self) -> str:
        return f"Database({self._url.render_as_string(hide_password=True)!r})"

    def _create_engine(self) -> Engine:
        if self.dialect == "sqlite":
            database = self._url.database
            if database and database != ":memory:" and not database.startswith("file:"):
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(
                self._url,
                connect_args={"timeout": _sqlite.BUSY_TIMEOUT_S, "check_same_thread": False},
                **self._pool_args(SQLITE_POOL),
            )
            self.write_lock = _sqlite.configure(engine)
            return engine
        try:
            return create_engine(self._url, pool_pre_ping=True, **self._pool_args(POSTGRES_POOL))
        except ImportError as exc:
            raise PrecepteurError("store.driver_missing", driver=self._url.drivername) from exc

    def _pool_args(self, sizes: tuple[int, int]) -> dict:
        if self._url.database in (None, "", ":memory:"):
            return {}  # in-memory SQLite uses a single-connection pool
        return {"pool_size": sizes[0], "max_overflow": sizes[1], "pool_timeout": POOL_TIMEOUT_S}

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block succeeds and rolls back when it raises."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def migrate(self) -> None:
        """Bring the schema to the newest migration (does nothing when already there)."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(migrations_path()))
        with self.engine.begin() as connection:
            if self.dialect == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def compact(self) -> None:
        """Give deleted rows' space back so erased text is gone from the file (SQLite VACUUM,
        PostgreSQL VACUUM of every table)."""
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            if self.dialect == "sqlite":
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.exec_driver_sql("VACUUM")
            if self.dialect == "sqlite":
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def revision(self) -> str | None:
        """The migration the schema is at, or None before the first one."""
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def is_empty(self) -> bool:
        """True when no account exists yet (including before the first migration)."""
        with self.engine.connect() as connection:
            if not inspect(connection).has_table(User.__tablename__):
                return True
            return connection.execute(select(User.id).limit(1)).first() is None

    def dispose(self) -> None:
        self.engine.dispose()
