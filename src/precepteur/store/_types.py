"""Column types that behave the same on SQLite and PostgreSQL.

`UTCDateTime` stores timezone-aware UTC instants and always returns aware UTC
datetimes (SQLite keeps no zone, PostgreSQL returns the session's zone).
`JSONList` stores a list as JSON text, so both backends hold the same bytes;
items may be plain data or objects with a `to_dict()` method (tutor citations).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import DateTime, Text
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator[datetime]):
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware UTC datetime")
        value = value.astimezone(timezone.utc)
        # SQLite has no zone: store the naive UTC wall time, read back as UTC.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def _plain(item: Any) -> Any:
    if hasattr(item, "to_dict"):
        return item.to_dict()
    raise TypeError(f"not JSON serialisable: {type(item).__name__}")


class JSONList(TypeDecorator[list]):
    impl = Text
    cache_ok = True

    def process_bind_param(self, value: list | None, dialect: Any) -> str | None:
        if value is None:
            return None
        return json.dumps(list(value), ensure_ascii=False, default=_plain)

    def process_result_value(self, value: str | None, dialect: Any) -> list | None:
        if value is None:
            return None
        return json.loads(value)
