"""The curriculum skills map of a library: its topics (what the pages and API call a
"skill", « notion »), built from the library's own structure.

Named *Topic* in code so that no one confuses it with the `skills/` package of
deterministic computations. The default map has one topic per document and top
heading (document → chapter → heading: the first heading of a passage's path, or
the one below a title that covers the whole document), plus one for a document's
text before its first heading. A topic's id comes
only from its document name and its heading text (slugged), so re-ingesting a
changed document keeps the ids of the headings that survive.

A teacher then renames, merges or hides topics (`TopicSetting`, stored by
`store.items`); `build_topics` applies those settings: a merged topic's passages
join its target (chains are followed, cycles ignored), a hidden topic stays listed
with `hidden=True` so it can be shown again, and learners never practise it.

Pure functions over plain data, except `library_topics`, the thin shell that reads
a library's passages.

Constants: MAX_TOPIC_ID_CHARS, MAX_LABEL_CHARS, HEADING_SEPARATOR.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..library.types import Passage

MAX_TOPIC_ID_CHARS = 200
MAX_LABEL_CHARS = 200
HEADING_SEPARATOR = " › "

_NUMBERING = re.compile(r"^\s*(?:[0-9]+|[a-zA-Z]|[ivxIVX]+)(?:[.)]|\s*[-–:])\s+")
_SLUG_DROP = re.compile(r"[^a-z0-9.]+")


def slug(text: str) -> str:
    """Lower-case ASCII with dashes: "2) Protocoles de routage" -> "2-protocoles-de-routage"."""
    folded = unicodedata.normalize("NFKD", text.lower().replace("œ", "oe").replace("æ", "ae"))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _SLUG_DROP.sub("-", folded).strip("-.")


def top_heading(heading_path: str) -> str:
    """The first heading of a passage's heading path ("" when the passage has none)."""
    return heading_path.split(HEADING_SEPARATOR, 1)[0].strip() if heading_path else ""


def topic_id(document: str, heading: str) -> str:
    """The stable id of the topic of `document` under top heading `heading`."""
    base = slug(document) or "document"
    ident = f"{base}:{slug(heading)}" if slug(heading) else base
    if len(ident) > MAX_TOPIC_ID_CHARS:
        digest = hashlib.sha256(f"{document}\n{heading}".encode()).hexdigest()[:10]
        ident = f"{ident[: MAX_TOPIC_ID_CHARS - 11]}~{digest}"
    return ident


def heading_label(heading: str) -> str:
    """A heading as a label: its numbering ("2)", "a)", "II.") dropped, first letter upper-case."""
    text = " ".join(_NUMBERING.sub("", heading).split()) or " ".join(heading.split())
    return (text[:1].upper() + text[1:])[:MAX_LABEL_CHARS]


def _document_label(document: str) -> str:
    stem = document.rsplit("/", 1)[-1]
    return stem.rsplit(".", 1)[0] if "." in stem else stem


@dataclass(frozen=True)
class TopicSetting:
    """A teacher's choice about one topic: a new label, a merge into another, hidden."""

    topic_id: str
    label: str | None = None
    merged_into: str | None = None
    hidden: bool = False


@dataclass
class Topic:
    """One skill of a library: its id, label, where it comes from, and its passages."""

    id: str
    label: str
    document: str
    heading: str
    passages: list[Passage] = field(default_factory=list)
    hidden: bool = False
    merged: list[str] = field(default_factory=list)  # ids of the topics merged into this one
    default_label: str = ""

    @property
    def words(self) -> int:
        return sum(len(p.text.split()) for p in self.passages)

    def to_dict(self) -> dict:
        """The `/api/libraries/{name}/skills` object."""
        return {
            "id": self.id, "label": self.label, "document": self.document, "heading": self.heading,
            "passages": len(self.passages), "hidden": self.hidden, "merged": list(self.merged),
        }


def resolve(topic: str, settings: Mapping[str, TopicSetting]) -> str:
    """The topic that `topic` has been merged into (following chains; a cycle stops where it loops)."""
    seen = {topic}
    while True:
        setting = settings.get(topic)
        target = setting.merged_into if setting else None
        if not target or target in seen:
            return topic
        seen.add(target)
        topic = target


def _split(heading_path: str) -> list[str]:
    return [h.strip() for h in heading_path.split(HEADING_SEPARATOR)] if heading_path else []


def chapter_depth(paths: Iterable[list[str]]) -> int:
    """How many leading headings every passage of a document shares (a title over the whole
    document, "La cellule" over its sections): topics start below them."""
    paths = [p for p in paths if p]
    if not paths:
        return 0
    depth = 0
    while (all(len(p) > depth for p in paths) and len({p[depth] for p in paths}) == 1
           and any(len(p) > depth + 1 for p in paths)):
        depth += 1
    return depth


def topic_heading(path: list[str], depth: int) -> str:
    """The heading that names a passage's topic: the one just below the shared title(s)."""
    if not path:
        return ""
    return path[depth] if len(path) > depth else path[-1]


def default_topics(passages: Iterable[Passage]) -> list[Topic]:
    """The library's own map: one topic per document and top heading (below a title that covers
    the whole document), in reading order."""
    passages = list(passages)
    depths: dict[str, int] = {}
    for document in dict.fromkeys(p.document for p in passages):
        depths[document] = chapter_depth(_split(p.heading) for p in passages if p.document == document)
    topics: dict[str, Topic] = {}
    for passage in passages:
        heading = topic_heading(_split(passage.heading), depths[passage.document])
        ident = topic_id(passage.document, heading)
        topic = topics.get(ident)
        if topic is None:
            label = heading_label(heading) if heading else _document_label(passage.document)
            topic = topics[ident] = Topic(ident, label, passage.document, heading, default_label=label)
        topic.passages.append(passage)
    # The same heading in several documents ("Ce qu'il faut savoir"): say which document.
    by_label: dict[str, list[Topic]] = {}
    for topic in topics.values():
        by_label.setdefault(topic.label.casefold(), []).append(topic)
    for same in by_label.values():
        if len(same) > 1:
            for topic in same:
                if topic.heading:
                    topic.label = topic.default_label = f"{topic.label} ({_document_label(topic.document)})"
    return list(topics.values())


def build_topics(passages: Iterable[Passage], settings: Mapping[str, TopicSetting] | None = None) -> list[Topic]:
    """The skills map with the teacher's settings applied (merged topics folded into their target)."""
    settings = settings or {}
    topics = default_topics(passages)
    by_id = {topic.id: topic for topic in topics}
    kept: list[Topic] = []
    for topic in topics:
        target = resolve(topic.id, settings)
        if target != topic.id and target in by_id:
            by_id[target].passages.extend(topic.passages)
            by_id[target].merged.append(topic.id)
            continue
        kept.append(topic)
    for topic in kept:
        setting = settings.get(topic.id)
        if setting is not None:
            if setting.label:
                topic.label = setting.label[:MAX_LABEL_CHARS]
            topic.hidden = setting.hidden
    return kept


def find_topic(topics: Iterable[Topic], ident: str, settings: Mapping[str, TopicSetting] | None = None) -> Topic | None:
    """The topic `ident` names, directly or through a merge; None when there is none."""
    target = resolve(ident, settings or {})
    return next((topic for topic in topics if topic.id in (ident, target)), None)


def library_topics(library_service, name: str, settings: Mapping[str, TopicSetting] | None = None) -> list[Topic]:
    """The skills map of library `name` (reads its passages; raises for an unknown library)."""
    return build_topics(library_service.passages(name), settings)


__all__ = [
    "HEADING_SEPARATOR", "MAX_LABEL_CHARS", "MAX_TOPIC_ID_CHARS", "Topic", "TopicSetting", "build_topics",
    "chapter_depth", "default_topics", "find_topic", "heading_label", "library_topics", "resolve", "slug",
    "top_heading", "topic_heading", "topic_id",
]
