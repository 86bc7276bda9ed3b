"""Accounts, passwords and API tokens on every backend."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta, timezone

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from precepteur.errors import InputError
from precepteur.gate import accounts
from precepteur.gate.accounts import (
    authenticate,
    create_token,
    create_user,
    get_user,
    list_tokens,
    list_users,
    revoke_token,
    set_password,
    user_for_token,
)
from precepteur.store.models import ApiToken, User

T0 = datetime(2025, 1, 27, 9, 0, tzinfo=timezone.utc)
TOKEN_RE = re.compile(r"prc_[A-Za-z0-9_-]{43}")


def test_create_users_with_roles_levels_and_teacher(db):
    with db.session() as s:
        ana = create_user(s, "ana", "teacher", password="correct horse")
        learner = create_user(s, "eleve-12", "learner", level="sixième", teacher="ANA", lang="en")
        assert (learner.role, learner.level, learner.teacher_id, learner.lang) == ("learner", "6e", ana.id, "en")
        assert learner.password_hash is None and not learner.disabled
        assert learner.created_at.tzinfo is not None
    with db.session() as s:
        assert [u.name for u in list_users(s)] == ["ana", "eleve-12"]
        assert get_user(s, "Eleve-12").id == learner.id
        assert get_user(s, learner.id).name == "eleve-12"
        assert get_user(s, "nobody") is None
        assert get_user(s, ana.id).learners[0].name == "eleve-12"


@pytest.mark.parametrize(
    ("name", "role", "options", "key"),
    [
        ("a", "learner", {}, "accounts.name_invalid"),
        ("x" * 65, "learner", {}, "accounts.name_invalid"),
        ("zoé", "learner", {}, "accounts.name_invalid"),
        ("with space", "learner", {}, "accounts.name_invalid"),
        ("1234", "learner", {}, "accounts.name_needs_letter"),
        ("ok-name", "owner", {}, "accounts.role_invalid"),
        ("ok-name", "learner", {"level": "licence 3"}, "accounts.level_invalid"),
        ("ok-name", "learner", {"lang": "de"}, "accounts.lang_invalid"),
        ("ok-name", "learner", {"teacher": "ghost"}, "accounts.user_unknown"),
        ("ok-name", "learner", {"teacher": "boss"}, "accounts.not_a_teacher"),
        ("ok-name", "teacher", {"teacher": "ana"}, "accounts.teacher_for_learners_only"),
        ("ok-name", "learner", {"password": "short"}, "accounts.password_short"),
        ("ANA", "learner", {}, "accounts.name_taken"),
    ],
)
def test_invalid_accounts_are_refused(db, name, role, options, key):
    with db.session() as s:
        create_user(s, "ana", "teacher")
        create_user(s, "boss", "admin")
    with pytest.raises(InputError) as caught:
        with db.session() as s:
            create_user(s, name, role, **options)
    assert caught.value.key == key
    assert "\n" not in str(caught.value)
    with db.session() as s:
        assert [u.name for u in list_users(s)] == ["ana", "boss"]


def test_duplicate_names_are_refused_by_the_database_too(db):
    from sqlalchemy.exc import IntegrityError

    with db.session() as s:
        create_user(s, "ana", "teacher")
    with pytest.raises(IntegrityError):
        with db.session() as s:
            s.add(User(name="ana", role="learner"))


def test_passwords_are_argon2_and_checked(db):
    with db.session() as s:
        create_user(s, "ana", "teacher", password="correct horse")
        create_user(s, "eleve", "learner")
    with db.session() as s:
        ana = get_user(s, "ana")
        assert ana.password_hash.startswith("$argon2id$")
        assert "correct horse" not in ana.password_hash
        assert authenticate(s, "ana", "correct horse").id == ana.id
        assert authenticate(s, "Ana", "correct horse").id == ana.id
        assert authenticate(s, "ana", "wrong horse") is None
        assert authenticate(s, "ana", "") is None
        assert authenticate(s, "nobody", "correct horse") is None
        assert authenticate(s, "eleve", "anything at all") is None  # no password yet
        set_password(s, get_user(s, "eleve"), "a new secret")
        assert authenticate(s, "eleve", "a new secret").name == "eleve"
        with pytest.raises(InputError):
            set_password(s, ana, "1234567")
        with pytest.raises(InputError):
            set_password(s, ana, "x" * (accounts.MAX_PASSWORD_CHARS + 1))
        ana.disabled = True
        assert authenticate(s, "ana", "correct horse") is None


def test_weak_hashes_are_upgraded_at_login(db):
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("correct horse")
    with db.session() as s:
        ana = create_user(s, "ana", "teacher")
        ana.password_hash = weak
    with db.session() as s:
        assert authenticate(s, "ana", "correct horse") is not None
    with db.session() as s:
        upgraded = get_user(s, "ana").password_hash
        assert upgraded != weak and not PasswordHasher().check_needs_rehash(upgraded)
        assert authenticate(s, "ana", "correct horse") is not None


def test_token_lifecycle(db):
    with db.session() as s:
        learner = create_user(s, "eleve", "learner")
        token, plaintext = create_token(s, learner, "  mon   script ")
        token_id = token.id
    assert TOKEN_RE.fullmatch(plaintext)
    with db.session() as s:
        stored = s.get(ApiToken, token_id)
        assert stored.name == "mon script"
        assert stored.prefix == plaintext[:8]
        assert stored.token_hash == hashlib.sha256(plaintext.encode()).hexdigest()
        assert plaintext not in {stored.token_hash, stored.prefix, stored.name}
        assert stored.last_used_at is None
        assert user_for_token(s, plaintext, now=T0).name == "eleve"
        assert s.get(ApiToken, token_id).last_used_at == T0
        # Used again within a minute: no write; later: recorded.
        user_for_token(s, plaintext, now=T0 + timedelta(seconds=30))
        assert s.get(ApiToken, token_id).last_used_at == T0
        user_for_token(s, plaintext, now=T0 + timedelta(minutes=2))
        assert s.get(ApiToken, token_id).last_used_at == T0 + timedelta(minutes=2)
    with db.session() as s:
        assert user_for_token(s, plaintext[:-1] + ("A" if plaintext[-1] != "A" else "B")) is None
        assert user_for_token(s, "prc_short") is None
        assert user_for_token(s, "") is None
        revoke_token(s, token_id)
    with db.session() as s:
        assert user_for_token(s, plaintext) is None
        first = s.get(ApiToken, token_id).revoked_at
        assert first is not None
        revoke_token(s, token_id)
        assert s.get(ApiToken, token_id).revoked_at == first
        with pytest.raises(InputError):
            revoke_token(s, 9999)


def test_tokens_of_disabled_users_stop_working_and_are_listed_per_user(db):
    with db.session() as s:
        ana = create_user(s, "ana", "teacher")
        bob = create_user(s, "bob", "teacher")
        _, ana_token = create_token(s, ana)
        create_token(s, bob, "b1")
        create_token(s, bob, "b2")
        assert [t.name for t in list_tokens(s)] == ["", "b1", "b2"]
        assert [t.name for t in list_tokens(s, bob)] == ["b1", "b2"]
        assert user_for_token(s, ana_token).name == "ana"
        ana.disabled = True
        s.flush()
        assert user_for_token(s, ana_token) is None


def test_two_tokens_never_collide_and_deleting_a_user_removes_them(db):
    with db.session() as s:
        ana = create_user(s, "ana", "teacher")
        plaintexts = {create_token(s, ana)[1] for _ in range(20)}
        assert len(plaintexts) == 20
    with db.session() as s:
        s.delete(get_user(s, "ana"))
    with db.session() as s:
        assert s.scalars(select(ApiToken)).all() == []
