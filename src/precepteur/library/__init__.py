"""Teacher libraries: readers, passages with locators, French full-text + dense hybrid search.

Public API: `LibraryService` (create, add, embed_pending, remove, list, documents,
search, document_text, visible_to), the `SearchIndex` seam with its SQLite backend
(and `pg_index.PgIndex`, imported when the database is PostgreSQL), the
`LibraryStore` catalogue seam,
`read_document`, `split_passages`, and the data types.
"""

from .errors import DocumentError, LibraryError
from .index import LibraryStore, SearchIndex
from .passages import split_passages
from .readers import MAX_FILE_BYTES, SUPPORTED_EXTENSIONS, read_document
from .service import LibraryService
from .sqlite_index import SqliteIndex, SqliteLibraries
from .types import (
    AddReport,
    DocumentInfo,
    ExtractedDocument,
    FileError,
    LibraryInfo,
    Passage,
    SearchHit,
    Segment,
)

__all__ = [
    "AddReport",
    "DocumentError",
    "DocumentInfo",
    "ExtractedDocument",
    "FileError",
    "LibraryError",
    "LibraryInfo",
    "LibraryStore",
    "LibraryService",
    "MAX_FILE_BYTES",
    "Passage",
    "SUPPORTED_EXTENSIONS",
    "SearchHit",
    "SearchIndex",
    "Segment",
    "SqliteIndex",
    "SqliteLibraries",
    "read_document",
    "split_passages",
]
