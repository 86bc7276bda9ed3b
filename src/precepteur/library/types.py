"""Plain data exchanged by the library: extracted documents, passages, hits, reports.

Every passage and hit carries its document, a locator a person can follow
("c11c.md › Listes chaînées › Insertion", "cours.pdf, page 4") and its character
span [start, end) in the document's extracted text, so `text[start:end]` is the
passage itself and a quote can always be checked against the stored text.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Segment:
    """A structural part of a document: a page, or the body under one heading path."""

    start: int
    end: int
    headings: tuple[str, ...] = ()
    page: int | None = None


@dataclass
class ExtractedDocument:
    """What a reader returns: the full text and its structural segments."""

    text: str
    segments: list[Segment]
    kind: str  # "pdf" | "docx" | "odt" | "markdown" | "html" | "text"
    title: str = ""


@dataclass(frozen=True)
class Passage:
    """One retrievable passage: `text == document_text[start:end]`."""

    document: str
    ordinal: int
    start: int
    end: int
    text: str
    heading: str  # the heading path joined with " › ", or "" when there is none
    locator: str
    page: int | None = None


@dataclass
class SearchHit:
    """One search result, best first; `score` is the fused score in [0, 1]."""

    document: str
    locator: str
    text: str
    score: float
    start: int
    end: int
    passage_id: int
    heading: str
    dense: float | None = None  # cosine similarity with the question, when embedded
    lexical: float = 0.0  # share of the question's content words found in the passage
    background: float | None = None  # the question's best cosine with general-knowledge topics

    def to_dict(self) -> dict:
        """The `library search --json` object (exactly these keys)."""
        return {"document": self.document, "locator": self.locator, "text": self.text, "score": round(self.score, 4)}


@dataclass(frozen=True)
class FileError:
    path: str
    message: str


@dataclass
class AddReport:
    """What `LibraryService.add` did with each file; errors never abort the batch."""

    library: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # unsupported files met inside folders
    errors: list[FileError] = field(default_factory=list)
    passages: int = 0
    embedded: int = 0
    fts_seconds: float = 0.0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when at least one file is in the library after this call."""
        return bool(self.added or self.updated or self.unchanged)


@dataclass(frozen=True)
class LibraryInfo:
    name: str
    owner: str | None
    restricted: bool
    documents: int
    passages: int
    embedded: int
    created_at: str

    def visible_to(self, user_id: object, role: str | None, teacher_id: object = None) -> bool:
        """Open libraries are for everyone; a restricted one for its owner, her learners, admins."""
        if not self.restricted or role == "admin":
            return True
        viewers = {str(x) for x in (user_id, teacher_id) if x is not None}
        return self.owner is not None and self.owner in viewers


@dataclass(frozen=True)
class DocumentInfo:
    name: str
    kind: str
    sha256: str
    chars: int
    passages: int
    added_at: str
    source_path: str
