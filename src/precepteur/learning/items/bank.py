"""The teacher's side of the bank: her own items (by hand or imported) and her edits,
checked before they are stored, with the history kept by `store.items`.

A teacher's item needs no passage to exist, but the bank looks for one: the
library passage that best matches the question and contains the answer gives it a
source (the sentence that holds the answer, quoted verbatim) and a skill. An edit
replaces the fields given and is checked again in code (not by the model: an
edit is answered at once); an edit that breaks the item's shape is refused with
the reasons and changes nothing, one that fails a quality check is kept as a
draft with its failed checks shown.

Constants: EDITABLE_FIELDS, SEARCH_K.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...errors import InputError
from ...i18n import t
from ...library.analysis import analyse
from ...store.curriculum import library_settings, topic_settings
from ...store.items import add_item, get_item, known_items, update_item
from ..topics import find_topic, library_topics, slug
from .checks import KnownItem, check_schema, validate
from .importing import Draft, RowError, parse
from .text import display, sentences
from .types import KINDS, NO_SOURCE, Item, Source

EDITABLE_FIELDS = ("kind", "prompt", "key", "choices", "variants", "explanation", "tolerance", "skill", "level", "hint")
SEARCH_K = 5


class ItemInvalid(InputError):
    """An item a teacher wrote or edited that cannot be stored as it is; `reasons` says why."""

    def __init__(self, reasons: list[str], lang: str = "fr"):
        self.reasons = reasons
        super().__init__("items.error.invalid", lang, reasons="; ".join(reasons))


@dataclass
class ImportReport:
    created: list[Item] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, message)

    def to_dict(self) -> dict:
        return {"created": [i.to_dict() for i in self.created],
                "errors": [{"line": line, "message": message} for line, message in self.errors]}


def _source_for(library_service, library: str, prompt: str, key: str) -> tuple[Source, str, str]:
    """(source, context, document) of the library sentence that best supports `key` for `prompt`."""
    try:
        hits = library_service.search(library, f"{prompt} {key}", k=SEARCH_K)
    except InputError:
        return NO_SOURCE, "", ""
    key_stems = set(analyse(key))
    for hit in hits:
        passage_stems = set(analyse(hit.text))
        if key_stems and not key_stems <= passage_stems:
            continue
        from ...library.types import Passage

        passage = Passage(hit.document, 0, hit.start, hit.end, hit.text, hit.heading, hit.locator)
        for sentence in sentences(passage):
            if not key_stems or key_stems <= set(analyse(sentence.text)):
                source = Source(hit.document, hit.locator, sentence.text, sentence.start, sentence.end)
                return source, display(hit.text), hit.heading
    return NO_SOURCE, "", ""


def _skill_for(library_service, library: str, settings, wanted: str, source: Source, heading: str) -> str | None:
    topics = library_topics(library_service, library, settings)
    if wanted:
        found = find_topic(topics, wanted, settings)
        if found is None:
            folded = slug(wanted)
            found = next((tp for tp in topics if slug(tp.label) == folded or tp.id == folded), None)
        return found.id if found else None
    if source.document:
        for topic in topics:
            if any(p.document == source.document and p.start <= source.start < p.end for p in topic.passages):
                return topic.id
    return None


def check(s, library_service, item: Item, *, lang: str = "fr", model=None) -> Item:
    """`item` with every check run against the library and the bank (code checks; the model's if given)."""
    document_text = None
    if item.source.document:
        try:
            document_text = library_service.document_text(item.library, item.source.document)
        except InputError:
            document_text = None
    known = [KnownItem(*row) for row in known_items(s, item.library)]
    return validate(item, document_text=document_text, known=known, model=model, lang=lang,
                    sourced=bool(item.source.document))


def _refuse_malformed(item: Item, lang: str) -> None:
    if not item.checks.get("schema", False):
        raise ItemInvalid([item.failed_reasons.get("schema", t("items.reason.empty", lang))], lang)


def create_item(s, library_service, library: str, draft: Draft, *, user_id: int | None, lang: str = "fr",
                action: str = "create") -> Item:
    """Store a teacher's own item (sourced and given a skill when the library supports it)."""
    if draft.kind not in KINDS:
        raise ItemInvalid([t("items.reason.unknown_kind", lang)], lang)
    levels = library_settings(s, library).levels
    item = Item(id=0, library=library, skill="", kind=draft.kind, level=levels[0] if levels else None,
                prompt=draft.prompt, choices=draft.choices, key=draft.key, variants=list(draft.variants),
                explanation=draft.explanation, tolerance=draft.tolerance, source=NO_SOURCE, status="draft", checks={},
                generator="import" if action == "import" else "manual")
    problem = check_schema(item)
    if problem is not None:
        raise ItemInvalid([t(f"items.reason.{problem}", lang)], lang)
    settings = topic_settings(s, library)
    source, context, heading = _source_for(library_service, library, draft.prompt, draft.key)
    skill = _skill_for(library_service, library, settings, draft.skill, source, heading)
    if skill is None:
        key = "items.reason.no_skill" if draft.skill else "items.reason.no_source_no_skill"
        raise ItemInvalid([t(key, lang, skill=draft.skill)], lang)
    checked = check(s, library_service, item.copy(skill=skill, source=source, context=context), lang=lang)
    _refuse_malformed(checked, lang)
    return add_item(s, checked, user_id=user_id, action=action)


def edit_item(s, library_service, item_id: int, changes: dict, *, user_id: int | None, lang: str = "fr") -> Item:
    """Apply a teacher's changes to an item, check it again, and store it (or refuse, changing nothing)."""
    current = get_item(s, item_id)
    if current is None:
        raise InputError("items.error.unknown_item", item=item_id)
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise ItemInvalid([t("items.reason.not_editable", lang, fields=", ".join(unknown))], lang)
    values = {name: changes[name] for name in EDITABLE_FIELDS if name in changes}
    if "skill" in values:
        settings = topic_settings(s, current.library)
        skill = _skill_for(library_service, current.library, settings, str(values["skill"]), NO_SOURCE, "")
        if skill is None:
            raise ItemInvalid([t("items.reason.no_skill", lang, skill=values["skill"])], lang)
        values["skill"] = skill
    edited = current.copy(**values)
    if edited.kind not in ("mcq", "true_false") and "choices" not in values:
        edited = edited.copy(choices=None)
    checked = check(s, library_service, edited, lang=lang)
    _refuse_malformed(checked, lang)
    if not checked.passed:
        checked = checked.copy(status="draft")
    return update_item(s, item_id, checked, user_id=user_id)


def import_items(s, library_service, library: str, text: str, filename: str, *, user_id: int | None,
                 lang: str = "fr") -> ImportReport:
    """Import a CSV or Markdown list: every good row becomes a draft item, every bad one a message."""
    report = ImportReport()
    for row in parse(text, filename):
        if isinstance(row, RowError):
            report.errors.append((row.line, t(f"items.import.{row.key}", lang,
                                              value=row.params[0] if row.params else "")))
            continue
        try:
            report.created.append(create_item(s, library_service, library, row, user_id=user_id, lang=lang,
                                              action="import"))
        except ItemInvalid as exc:
            report.errors.append((row.line, exc.message(lang)))
    return report


__all__ = ["EDITABLE_FIELDS", "ImportReport", "ItemInvalid", "check", "create_item", "edit_item", "import_items"]
