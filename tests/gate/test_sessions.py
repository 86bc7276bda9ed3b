"""Server-side sessions on SQLite and PostgreSQL: a cookie's secret works only while
its session row lives (issue 10, defect 5)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from precepteur.gate import sessions
from precepteur.gate.accounts import create_user, set_disabled, set_password
from precepteur.store.runtime_models import WebSession

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)


def _user(db, name="lea"):
    with db.session() as s:
        return create_user(s, name, "learner", password=f"{name}-password").id


def _who(db, secret, user_id, now=T0):
    with db.session() as s:
        user = sessions.session_user(s, secret, user_id, now=now)
        return user.name if user else None


def test_a_session_lives_until_it_is_ended(db):
    lea = _user(db)
    with db.session() as s:
        from precepteur.store.models import User

        secret = sessions.open_session(s, s.get(User, lea), now=T0)
    assert _who(db, secret, lea) == "lea"
    with db.session() as s:
        sessions.end_session(s, secret)
    assert _who(db, secret, lea) is None


def test_only_its_own_account_and_secret_and_before_expiry(db):
    lea, tom = _user(db), _user(db, "tom")
    with db.session() as s:
        from precepteur.store.models import User

        secret = sessions.open_session(s, s.get(User, lea), now=T0)
        stored = s.query(WebSession).one()
        assert stored.token_hash != secret and len(stored.token_hash) == 64  # only the hash is kept
    assert _who(db, secret, tom) is None
    assert _who(db, secret + "x", lea) is None
    assert _who(db, None, lea) is None and _who(db, 12, lea) is None
    assert _who(db, secret, lea, now=T0 + sessions.LIFETIME - timedelta(seconds=1)) == "lea"
    assert _who(db, secret, lea, now=T0 + sessions.LIFETIME) is None
    with db.session() as s:
        assert sessions.forget_expired(s, now=T0 + sessions.LIFETIME) == 1


def test_a_new_password_and_a_disabled_account_end_every_session(db):
    lea = _user(db)
    from precepteur.store.models import User

    with db.session() as s:
        phone, school = (sessions.open_session(s, s.get(User, lea), now=T0) for _ in range(2))
    with db.session() as s:
        set_password(s, s.get(User, lea), "a-new-password")
    assert _who(db, phone, lea) is None and _who(db, school, lea) is None
    with db.session() as s:
        again = sessions.open_session(s, s.get(User, lea), now=T0)
    with db.session() as s:
        set_disabled(s, s.get(User, lea), True)
    assert _who(db, again, lea) is None
    with db.session() as s:
        set_disabled(s, s.get(User, lea), False)
        assert sessions.end_all_sessions(s, lea) == 0
