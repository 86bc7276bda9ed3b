"""`Database`: URLs, SQLite tuning, transactions, the one-writer lock, column types."""

from __future__ import annotations

import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from precepteur.config import Settings
from precepteur.store import Database, normalize_url
from precepteur.store.conversations import add_message, create_conversation, update_message
from precepteur.store.models import Conversation, Message, User
from precepteur.tutor.types import Citation


def _user(s, name="alice", role="learner", teacher_id=None) -> User:
    user = User(name=name, role=role, teacher_id=teacher_id)
    s.add(user)
    s.flush()
    return user


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u:p@db:5432/prec", "postgresql+psycopg://u:p@db:5432/prec"),
        ("postgres://u:p@db/prec", "postgresql+psycopg://u:p@db/prec"),
        ("postgresql+psycopg://u:p@db/prec", "postgresql+psycopg://u:p@db/prec"),
        ("sqlite:////var/lib/p.db", "sqlite:////var/lib/p.db"),
    ],
)
def test_urls_are_normalised_to_psycopg(given, expected):
    assert normalize_url(given).render_as_string(hide_password=False) == expected


def test_settings_choose_sqlite_in_home_or_the_given_url(tmp_path):
    home = tmp_path / "nested" / "home"
    db = Database(Settings(home=home))
    assert db.url == f"sqlite:///{home / 'precepteur.db'}"
    assert home.is_dir()  # SQLite needs its folder before the first connection
    db.dispose()
    pg = Database(Settings(home=home, database_url="postgresql://u:secret@db/prec"))
    assert pg.url == "postgresql+psycopg://u:secret@db/prec"
    assert "secret" not in repr(pg)
    pg.dispose()


def test_sqlite_runs_in_wal_with_foreign_keys_and_busy_timeout(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'p.db'}")
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 15000
    db.dispose()


def test_session_commits_on_success_and_rolls_back_on_error(db):
    with db.session() as s:
        _user(s, "kept")
    with pytest.raises(RuntimeError):
        with db.session() as s:
            _user(s, "dropped")
            raise RuntimeError("boom")
    with db.session() as s:
        assert s.scalars(select(User.name)).all() == ["kept"]
    assert not db.is_empty()


def test_foreign_keys_are_enforced(db):
    with pytest.raises(IntegrityError):
        with db.session() as s:
            s.add(Conversation(user_id=999, level="6e", mode="explain", model="m"))


def test_write_lock_is_released_after_commit_and_rollback(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'p.db'}")
    db.migrate()
    assert db.write_lock is not None and not db.write_lock.locked()
    with db.session() as s:
        _user(s, "one")
        assert db.write_lock.locked()
    assert not db.write_lock.locked()
    with pytest.raises(IntegrityError):
        with db.session() as s:
            _user(s, "one")
    assert not db.write_lock.locked()
    with db.session() as s:  # a session that never commits or rolls back explicitly
        s.connection().execute(text("UPDATE users SET lang = 'en'"))
        s.close()
    assert not db.write_lock.locked()
    db.dispose()


def test_concurrent_writers_from_threads(db):
    with db.session() as s:
        conversation = create_conversation(
            s, _user(s), title="t", level="6e", mode="explain", library=None, model="m"
        )
        answers = [add_message(s, conversation, "assistant", "", complete=False).id for _ in range(4)]
    errors: list[BaseException] = []

    def stream(message_id: int) -> None:
        try:
            text_so_far = ""
            for i in range(25):
                text_so_far += f"{i} "
                with db.session() as ws:
                    update_message(ws, message_id, content=text_so_far)
            with db.session() as ws:
                update_message(ws, message_id, complete=True)
        except BaseException as exc:  # collected for the main thread
            errors.append(exc)

    threads = [threading.Thread(target=stream, args=(mid,)) for mid in answers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    expected = "".join(f"{i} " for i in range(25))
    with db.session() as s:
        stored = s.scalars(select(Message).order_by(Message.id)).all()
        assert [(m.content, m.complete) for m in stored] == [(expected, True)] * 4


def test_timestamps_come_back_aware_utc_and_lists_as_json(db):
    moment = datetime(2025, 1, 27, 9, 30, tzinfo=timezone.utc)
    with db.session() as s:
        user = _user(s)
        user.created_at = moment
        conversation = create_conversation(
            s, user, title="t", level="6e", mode="explain", library="nsi", model="m"
        )
        message = add_message(s, conversation, "assistant", "réponse")
        update_message(
            s, message.id, citations=[Citation("cours.md", "§ 2", "« cité »")], skills=[{"name": "count"}]
        )
        message_id = message.id
    with db.session() as s:
        assert s.get(User, user.id).created_at == moment
        stored = s.get(Message, message_id)
        assert stored.created_at.tzinfo is not None and stored.created_at.utcoffset().total_seconds() == 0
        assert stored.citations == [{"document": "cours.md", "locator": "§ 2", "quote": "« cité »"}]
        assert stored.skills == [{"name": "count"}]
        raw = s.execute(text("SELECT citations FROM messages")).scalar()
        assert raw == '[{"document": "cours.md", "locator": "§ 2", "quote": "« cité »"}]'


def test_naive_datetimes_are_refused(db):
    with pytest.raises(Exception, match="naive datetime"):
        with db.session() as s:
            user = _user(s)
            user.created_at = datetime(2025, 1, 27, 9, 30)
            s.flush()


def test_a_writer_waiting_too_long_gets_a_clear_error(tmp_path, monkeypatch):
    from precepteur.errors import PrecepteurError
    from precepteur.store import _sqlite

    monkeypatch.setattr(_sqlite, "BUSY_TIMEOUT_S", 0.2)
    db = Database(f"sqlite:///{tmp_path / 'p.db'}")
    db.migrate()
    with db.session() as holder:
        _user(holder, "first")  # holds the writer lock until this block ends
        with pytest.raises(PrecepteurError) as caught:
            with db.session() as s:
                _user(s, "second")
        assert caught.value.key == "store.busy"
    assert not db.write_lock.locked()
    with db.session() as s:
        assert s.scalars(select(User.name)).all() == ["first"]
    db.dispose()
