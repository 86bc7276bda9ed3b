"""The search-index seam: what the library service needs from a storage backend.

`SearchIndex` is a small base class; `SqliteIndex` (one SQLite file per library,
FTS5 + float32 vector blobs) is the backend on one PC and `PgIndex` (every library
in the shared PostgreSQL database) the one for several workers. `LibraryStore` is
the catalogue of one installation's libraries on a backend (`open_store` picks it
from the settings: PostgreSQL when the database URL is PostgreSQL, else files). Writes are whole documents (a changed file replaces
its passages in one transaction, so a failed re-index leaves the old one intact);
vectors are filled in afterwards, and search works on whatever is ready.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable

import numpy as np

from .types import DocumentInfo, Passage, SearchHit

QueryEmbedder = Callable[[str], np.ndarray]


class SearchIndex(ABC):
    """Storage and retrieval for one library."""

    @abstractmethod
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        """A library setting (owner, restricted, created_at...)."""

    @abstractmethod
    def set_meta(self, key: str, value: str) -> None:
        """Store a library setting."""

    @abstractmethod
    def document_sha256(self, name: str) -> str | None:
        """The SHA-256 of the stored version of a document, or None when absent."""

    @abstractmethod
    def replace_document(
        self, name: str, kind: str, sha256: str, source_path: str, text: str, passages: list[Passage]
    ) -> None:
        """Insert or replace a document and its passages (full-text ready at return)."""

    @abstractmethod
    def remove_document(self, name: str) -> bool:
        """Delete a document and its passages; False when it was not there."""

    @abstractmethod
    def documents(self) -> list[DocumentInfo]:
        """The stored documents, by name."""

    @abstractmethod
    def document_text(self, name: str) -> str | None:
        """The full extracted text of a document, as passages' spans refer to it."""

    @abstractmethod
    def passages(self) -> list[Passage]:
        """Every passage, by document name then reading order (what the skills map is built from)."""

    @abstractmethod
    def counts(self) -> tuple[int, int, int]:
        """(documents, passages, embedded passages)."""

    @abstractmethod
    def pending(self, limit: int) -> list[tuple[int, str, str]]:
        """Up to `limit` passages without a vector: (passage_id, text, heading)."""

    @abstractmethod
    def store_vectors(self, ids: list[int], vectors: np.ndarray) -> None:
        """Attach vectors to passages."""

    @abstractmethod
    def search(self, query: str, k: int, embed_query: QueryEmbedder | None) -> list[SearchHit]:
        """The best `k` passages for `query`, best first (hybrid when vectors exist)."""


class LibraryStore(ABC):
    """The libraries of one installation on one backend: which exist, open, drop."""

    backend: str = "sqlite"  # where libraries live: "sqlite" (files on this machine) or "postgresql"
    vector_search: str = "numpy"  # how dense search runs: "numpy" (exact, in process) or "pgvector"

    @abstractmethod
    def exists(self, name: str) -> bool:
        """Whether a library of this name exists."""

    @abstractmethod
    def names(self) -> list[str]:
        """Every library's name, sorted."""

    @abstractmethod
    def open(self, name: str, create: bool = False) -> SearchIndex:
        """The index of a library (made empty first when `create`); LibraryError when unknown."""

    @abstractmethod
    def drop(self, name: str) -> None:
        """Delete a library and everything in it."""
