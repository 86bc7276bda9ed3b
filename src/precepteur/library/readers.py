"""Read one teacher file into text + structural segments, or fail with a clear reason.

`read_document(path, name)` checks the size before touching the content (a 500 MB
file is refused from its `stat`, never read), refuses empty and unsupported files,
then dispatches on the extension: PDF (pages), DOCX and ODT (heading paths, after a
zip-bomb check), Markdown and HTML (heading paths), plain text. Every failure is a
`DocumentError` naming the file, so a batch can report it and go on.

Constants: MAX_FILE_BYTES, SUPPORTED_EXTENSIONS.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ._markup import read_html, read_markdown, read_text
from ._docx import read_docx
from ._odt import read_odt
from ._pdf import read_pdf
from .errors import DocumentError
from .types import ExtractedDocument

MAX_FILE_BYTES = 50 * 1024 * 1024
SUPPORTED_EXTENSIONS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".odt": "odt",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
}
_HASH_CHUNK = 1024 * 1024


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_EXTENSIONS


def check_file(path: Path, name: str) -> int:
    """The file's size, after refusing missing, unsupported, empty and oversized files."""
    if not is_supported(path):
        raise DocumentError("library.error.unsupported", name=name, ext=path.suffix.lower() or "?")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError("library.error.missing", path=str(path)) from exc
    if not path.is_file():
        raise DocumentError("library.error.missing", path=str(path))
    if size == 0:
        raise DocumentError("library.error.empty", name=name)
    if size > MAX_FILE_BYTES:
        raise DocumentError(
            "library.error.too_large", name=name, size=round(size / 1e6), limit=round(MAX_FILE_BYTES / 1e6)
        )
    return size


def file_sha256(path: Path) -> str:
    """Streamed SHA-256 of a file already size-checked."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_HASH_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_document(path: Path, name: str | None = None) -> ExtractedDocument:
    """Extract the text and segments of one file; raises `DocumentError` on any problem."""
    name = name or path.name
    check_file(path, name)
    kind = SUPPORTED_EXTENSIONS[path.suffix.lower()]
    try:
        if kind == "pdf":
            document = read_pdf(path, name)
        elif kind == "docx":
            document = read_docx(path, name)
        elif kind == "odt":
            document = read_odt(path, name)
        else:
            data = path.read_bytes()
            reader = {"markdown": read_markdown, "html": read_html, "text": read_text}[kind]
            document = reader(data, name)
    except DocumentError:
        raise
    except (OSError, ValueError, RecursionError) as exc:
        raise DocumentError("library.error.unreadable", name=name, reason=type(exc).__name__) from exc
    if not document.text.strip() or not document.segments:
        raise DocumentError("library.error.no_text", name=name)
    return document
