"""Accounts, passwords and API tokens.

Learner accounts are pseudonymous: a name, a role, a level, a teacher, no e-mail.
Names are 2 to NAME_CHARS ASCII letters, digits, `.`, `-` or `_`, with at least
one letter (so a name never reads as an id); they are unique without regard to
case. Passwords are hashed with argon2id (argon2-cffi defaults); `authenticate`
spends the same hashing work when the name is unknown, so timing does not tell
which names exist.

API tokens are `prc_` + 43 URL-safe characters (TOKEN_BYTES random bytes). The
plaintext is shown once; only its sha256 is kept (a random 256-bit secret needs
no slow hash), with its first TOKEN_PREFIX_CHARS characters for display.
`user_for_token` records `last_used_at` at most once per LAST_USED_RESOLUTION,
so an API call is not a database write every time.

Constants: MIN_NAME_CHARS, NAME_CHARS, MIN_PASSWORD_CHARS, MAX_PASSWORD_CHARS,
TOKEN_BYTES, TOKEN_PREFIX, TOKEN_PREFIX_CHARS, TOKEN_NAME_CHARS, LAST_USED_RESOLUTION.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import InputError
from ..i18n import LANGUAGES
from ..learning.levels import parse_level
from ..store._types import utcnow
from ..store.models import NAME_CHARS, TOKEN_NAME_CHARS, TOKEN_PREFIX_CHARS, ApiToken, User
from .access import LEARNER, ROLES, TEACHER
from .sessions import end_all_sessions

MIN_NAME_CHARS = 2
MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_CHARS = 1024
TOKEN_BYTES = 32
TOKEN_PREFIX = "prc_"
TOKEN_CHARS = len(TOKEN_PREFIX) + 43  # token_urlsafe(32) is 43 characters
LAST_USED_RESOLUTION = timedelta(minutes=1)

_NAME_RE = re.compile(r"[A-Za-z0-9._-]+")
_HASHER = PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _HASHER.hash(secrets.token_urlsafe(16))


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not (MIN_NAME_CHARS <= len(name) <= NAME_CHARS) or not _NAME_RE.fullmatch(name):
        raise InputError("accounts.name_invalid", name=name, min=MIN_NAME_CHARS, max=NAME_CHARS)
    if not any(c.isalpha() for c in name):
        raise InputError("accounts.name_needs_letter", name=name)
    return name


def _find_by_name(s: Session, name: str) -> User | None:
    return s.scalars(select(User).where(func.lower(User.name) == name.strip().lower())).first()


def get_user(s: Session, name_or_id: str | int) -> User | None:
    """The user with this id (int) or name (str, any case), or None."""
    if isinstance(name_or_id, int):
        return s.get(User, name_or_id)
    return _find_by_name(s, name_or_id)


def list_users(s: Session) -> list[User]:
    """Every account, by name."""
    return list(s.scalars(select(User).order_by(func.lower(User.name))))


def create_user(
    s: Session,
    name: str,
    role: str,
    *,
    level: str | None = None,
    password: str | None = None,
    teacher: User | str | int | None = None,
    lang: str = "fr",
) -> User:
    """A new account; a learner may be attached to a teacher. Duplicate names are refused."""
    name = _check_name(name)
    if role not in ROLES:
        raise InputError("accounts.role_invalid", role=role, roles=", ".join(ROLES))
    if _find_by_name(s, name) is not None:
        raise InputError("accounts.name_taken", name=name)
    level_code = None
    if level is not None:
        parsed = parse_level(level)
        if parsed is None:
            raise InputError("accounts.level_invalid", level=level)
        level_code = parsed.code
    if lang not in LANGUAGES:
        raise InputError("accounts.lang_invalid", language=lang, languages=", ".join(LANGUAGES))
    teacher_user = None
    if teacher is not None:
        teacher_user = teacher if isinstance(teacher, User) else get_user(s, teacher)
        if teacher_user is None:
            raise InputError("accounts.user_unknown", name=teacher)
        if teacher_user.role != TEACHER:
            raise InputError("accounts.not_a_teacher", name=teacher_user.name)
        if role != LEARNER:
            raise InputError("accounts.teacher_for_learners_only")
    user = User(
        name=name,
        role=role,
        level=level_code,
        lang=lang,
        teacher_id=teacher_user.id if teacher_user else None,
        created_at=utcnow(),
        disabled=False,
    )
    if password is not None:
        set_password(s, user, password)
    s.add(user)
    s.flush()
    return user


def set_password(s: Session, user: User, password: str) -> None:
    """Replace the user's password (argon2id hash); her sign-in sessions end."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_CHARS:
        raise InputError("accounts.password_short", min=MIN_PASSWORD_CHARS)
    if len(password) > MAX_PASSWORD_CHARS:
        raise InputError("accounts.password_long", max=MAX_PASSWORD_CHARS)
    user.password_hash = _HASHER.hash(password)
    s.add(user)
    s.flush()
    end_all_sessions(s, user.id)


def set_disabled(s: Session, user: User, disabled: bool) -> None:
    """Disable an account (its sessions end; its tokens stop working) or enable it again."""
    user.disabled = bool(disabled)
    s.flush()
    if user.disabled:
        end_all_sessions(s, user.id)


def authenticate(s: Session, name: str, password: str) -> User | None:
    """The user when the password is right and the account enabled, else None."""
    user = _find_by_name(s, name) if isinstance(name, str) else None
    usable = user is not None and user.password_hash is not None and not user.disabled
    stored = user.password_hash if usable else _dummy_hash()
    if not isinstance(password, str) or len(password) > MAX_PASSWORD_CHARS:
        password = ""
    try:
        _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if not usable:
        return None
    if _HASHER.check_needs_rehash(stored):
        user.password_hash = _HASHER.hash(password)
        s.flush()
    return user


def _token_hash(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def create_token(s: Session, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new API token for `user`: the record and the plaintext, to show once."""
    label = " ".join((name or "").split())
    if len(label) > TOKEN_NAME_CHARS:
        raise InputError("accounts.token_name_long", max=TOKEN_NAME_CHARS)
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    token = ApiToken(
        user_id=user.id,
        name=label,
        prefix=plaintext[:TOKEN_PREFIX_CHARS],
        token_hash=_token_hash(plaintext),
        created_at=utcnow(),
    )
    s.add(token)
    s.flush()
    return token, plaintext


def revoke_token(s: Session, token_id: int) -> None:
    """Revoke a token for good (revoking twice keeps the first date)."""
    token = s.get(ApiToken, token_id)
    if token is None:
        raise InputError("accounts.token_unknown", id=token_id)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        s.flush()


def user_for_token(s: Session, plaintext: str, *, now: datetime | None = None) -> User | None:
    """The enabled user owning this live token, or None; notes when it was used."""
    if not isinstance(plaintext, str) or not plaintext.startswith(TOKEN_PREFIX):
        return None
    if len(plaintext) != TOKEN_CHARS:
        return None
    token = s.scalars(
        select(ApiToken).where(
            ApiToken.token_hash == _token_hash(plaintext), ApiToken.revoked_at.is_(None)
        )
    ).first()
    if token is None or token.user.disabled:
        return None
    now = now or utcnow()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
        s.flush()
    return token.user


def list_tokens(s: Session, user: User | None = None) -> list[ApiToken]:
    """All tokens, or those of one user, oldest first."""
    query = select(ApiToken).order_by(ApiToken.id)
    if user is not None:
        query = query.where(ApiToken.user_id == user.id)
    return list(s.scalars(query))
