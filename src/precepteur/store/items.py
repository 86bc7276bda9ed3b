"""Repository of the item bank: read, add, edit, review, and the history of every change.

Skills are resolved through the teacher's settings when items are read: an item
made for a skill that was later merged into another reports the target skill, and
items of a hidden skill never reach learners (`approved_items`). Every write
records an `ItemEvent` with who, when, and the item before and after.

Constants: MAX_LIST (a listing's cap).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..learning.answers import normalize
from ..learning.items.types import STATUSES, Item, Source
from ..learning.topics import resolve
from ._types import utcnow
from .curriculum import topic_settings
from .items_models import ItemEvent, StoredItem

MAX_LIST = 5000
_ACTIONS = {"approved": "approve", "rejected": "reject", "draft": "draft"}


def fingerprint(kind: str, prompt: str, key: str) -> str:
    """What two copies of the same item share: kind, normalised prompt and key."""
    return hashlib.sha256(f"{kind}\n{normalize(prompt)}\n{normalize(key)}".encode()).hexdigest()


def _to_item(row: StoredItem, settings=None) -> Item:
    skill = resolve(row.skill, settings) if settings else row.skill
    return Item(
        id=row.id, library=row.library, skill=skill, kind=row.kind, level=row.level, prompt=row.prompt,
        choices=list(row.choices) if row.choices is not None else None, key=row.key,
        variants=list(row.variants or []), explanation=row.explanation or "", tolerance=row.tolerance,
        source=Source(row.source_document, row.source_locator, row.source_quote, row.source_start, row.source_end),
        status=row.status, checks=dict(row.checks or {}), hint=row.hint or "", generator=row.generator or "",
        context=row.context or "", failed_reasons=dict(row.reasons or {}),
    )


def _fill(row: StoredItem, item: Item) -> None:
    row.skill, row.kind, row.level, row.prompt = item.skill, item.kind, item.level, item.prompt
    row.choices = list(item.choices) if item.choices is not None else None
    row.key, row.variants, row.explanation, row.tolerance = item.key, list(item.variants), item.explanation, item.tolerance
    row.hint, row.context, row.generator = item.hint, item.context, item.generator
    row.source_document, row.source_locator = item.source.document, item.source.locator
    row.source_quote, row.source_start, row.source_end = item.source.quote, item.source.start, item.source.end
    row.checks, row.reasons = dict(item.checks), dict(item.failed_reasons)
    row.fingerprint = fingerprint(item.kind, item.prompt, item.key)


def _event(s: Session, item_id: int, action: str, user_id: int | None, before: dict | None, after: dict | None) -> None:
    s.add(ItemEvent(item_id=item_id, user_id=user_id, action=action, before=before, after=after))


def get_item(s: Session, item_id: int) -> Item | None:
    """One item by id (with its skill resolved), or None."""
    row = s.get(StoredItem, int(item_id)) if str(item_id).lstrip("-").isdigit() else None
    if row is None:
        return None
    return _to_item(row, topic_settings(s, row.library))


def list_items(s: Session, library: str, *, status: str | None = None, skill: str | None = None,
               kind: str | None = None, failed: bool | None = None, include_hidden: bool = True) -> list[Item]:
    """The items of a library, by skill then id, filtered as asked (`failed`: some check failed)."""
    settings = topic_settings(s, library)
    query = select(StoredItem).where(StoredItem.library == library)
    if status is not None:
        query = query.where(StoredItem.status == status)
    if kind is not None:
        query = query.where(StoredItem.kind == kind)
    rows = s.scalars(query.order_by(StoredItem.id).limit(MAX_LIST)).all()
    items = [_to_item(row, settings) for row in rows]
    if skill is not None:
        wanted = resolve(skill, settings)
        items = [item for item in items if item.skill == wanted]
    if not include_hidden:
        items = [item for item in items if not (settings.get(item.skill) and settings[item.skill].hidden)]
    if failed is not None:
        items = [item for item in items if (not item.passed) == failed]
    return sorted(items, key=lambda item: (item.skill, item.id))


def approved_items(s: Session, library: str, skill: str | None = None) -> list[Item]:
    """What learners may practise: approved items of visible skills (of one skill when given)."""
    return list_items(s, library, status="approved", skill=skill, include_hidden=False)


def known_items(s: Session, library: str) -> list[tuple[int, str, str, str, str]]:
    """(id, kind, prompt, key, quote) of every item of a library, rejected ones too (duplicate checks)."""
    rows = s.execute(select(StoredItem.id, StoredItem.kind, StoredItem.prompt, StoredItem.key, StoredItem.source_quote)
                     .where(StoredItem.library == library)).all()
    return [tuple(r) for r in rows]


def add_item(s: Session, item: Item, *, user_id: int | None = None, action: str = "generate",
             job_id: int | None = None) -> Item:
    """Store a new item (its `id` is ignored) and record its creation."""
    if item.status not in STATUSES:
        raise ValueError(f"unknown status {item.status!r}")
    row = StoredItem(library=item.library, status=item.status, job_id=job_id, created_by=user_id)
    _fill(row, item)
    s.add(row)
    s.flush()
    stored = _to_item(row)
    _event(s, row.id, action, user_id, None, stored.to_full_dict())
    return get_item(s, row.id)


def update_item(s: Session, item_id: int, item: Item, *, user_id: int | None) -> Item | None:
    """Replace an item's content (already validated by the caller); its status is kept unless changed."""
    row = s.get(StoredItem, int(item_id))
    if row is None:
        return None
    before = _to_item(row).to_full_dict()
    _fill(row, item)
    row.status = item.status if item.status in STATUSES else row.status
    row.updated_at = utcnow()
    s.flush()
    _event(s, row.id, "edit", user_id, before, _to_item(row).to_full_dict())
    return get_item(s, row.id)


def set_status(s: Session, item_ids: Iterable[int], status: str, *, user_id: int | None,
               library: str | None = None) -> tuple[list[Item], list[int]]:
    """Review several items at once: (items changed, ids not found); an unchanged status is no event."""
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    changed, missing = [], []
    for item_id in item_ids:
        row = s.get(StoredItem, int(item_id))
        if row is None or (library is not None and row.library != library):
            missing.append(int(item_id))
            continue
        if row.status != status:
            before = _to_item(row).to_full_dict()
            row.status, row.updated_at = status, utcnow()
            s.flush()
            _event(s, row.id, _ACTIONS[status], user_id, before, _to_item(row).to_full_dict())
        changed.append(get_item(s, row.id))
    return changed, missing


def history(s: Session, item_id: int) -> list[dict]:
    """Every change of an item, oldest first: {"action", "user_id", "at", "before", "after"}."""
    rows = s.scalars(select(ItemEvent).where(ItemEvent.item_id == int(item_id)).order_by(ItemEvent.id)).all()
    return [{"action": r.action, "user_id": r.user_id, "at": r.at.isoformat(), "before": r.before, "after": r.after}
            for r in rows]


def counts(s: Session, library: str) -> dict[str, dict[str, int]]:
    """{skill: {status: n}} for a library (skills resolved)."""
    out: dict[str, dict[str, int]] = {}
    for item in list_items(s, library):
        out.setdefault(item.skill, {}).setdefault(item.status, 0)
        out[item.skill][item.status] += 1
    return out


__all__ = ["add_item", "approved_items", "counts", "fingerprint", "get_item", "history", "known_items",
           "list_items", "set_status", "update_item"]
