"""Repository of a library's teaching settings: its skills map choices (rename, merge,
hide a skill) and the library's level(s) and auto-approval.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..learning.topics import TopicSetting
from ._types import utcnow
from .items_models import LibrarySettingsRow, TopicSettingRow


@dataclass(frozen=True)
class LibrarySettings:
    library: str
    levels: list[str] = field(default_factory=list)
    auto_approve: bool = False

    def to_dict(self) -> dict:
        return {"library": self.library, "levels": list(self.levels), "auto_approve": self.auto_approve}


def topic_settings(s: Session, library: str) -> dict[str, TopicSetting]:
    """The teacher's settings of every skill of `library` that has one."""
    rows = s.scalars(select(TopicSettingRow).where(TopicSettingRow.library == library)).all()
    return {r.topic_id: TopicSetting(r.topic_id, r.label, r.merged_into, r.hidden) for r in rows}


def save_topic_setting(s: Session, library: str, setting: TopicSetting) -> TopicSetting:
    """Store (or replace) one skill's setting; a setting equal to the default is removed."""
    row = s.scalar(select(TopicSettingRow).where(
        TopicSettingRow.library == library, TopicSettingRow.topic_id == setting.topic_id))
    if not setting.label and not setting.merged_into and not setting.hidden:
        if row is not None:
            s.delete(row)
        s.flush()
        return setting
    if row is None:
        row = TopicSettingRow(library=library, topic_id=setting.topic_id)
        s.add(row)
    row.label, row.merged_into, row.hidden, row.updated_at = setting.label, setting.merged_into, setting.hidden, utcnow()
    s.flush()
    return setting


def library_settings(s: Session, library: str) -> LibrarySettings:
    row = s.get(LibrarySettingsRow, library)
    if row is None:
        return LibrarySettings(library)
    return LibrarySettings(library, list(row.levels or []), bool(row.auto_approve))


def save_library_settings(s: Session, library: str, *, levels: list[str] | None = None,
                          auto_approve: bool | None = None) -> LibrarySettings:
    row = s.get(LibrarySettingsRow, library)
    if row is None:
        row = LibrarySettingsRow(library=library, levels=[], auto_approve=False)
        s.add(row)
    if levels is not None:
        row.levels = list(levels)
    if auto_approve is not None:
        row.auto_approve = bool(auto_approve)
    row.updated_at = utcnow()
    s.flush()
    return library_settings(s, library)


__all__ = ["LibrarySettings", "library_settings", "save_library_settings", "save_topic_setting", "topic_settings"]
