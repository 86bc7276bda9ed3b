"""Teacher libraries: readers, passages with locators, French full-text + dense hybrid search.

Public API: `LibraryService` (create, add, embed_pending, remove, list, documents,
search, document_text, visible_to), the `SearchIndex` seam and its SQLite backend,
`read_document`, `split_passages`, and the data types.
"""

from .errors import DocumentError, LibraryError
from .index import SearchIndex
from .passages import split_passages
from .readers import MAX_FILE_BYTES, SUPPORTED_EXTENSIONS, read_document
from .service import LibraryService
from .sqlite_index import SqliteIndex
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
    "LibraryService",
    "MAX_FILE_BYTES",
    "Passage",
    "SUPPORTED_EXTENSIONS",
    "SearchHit",
    "SearchIndex",
    "Segment",
    "SqliteIndex",
    "read_document",
    "split_passages",
]
