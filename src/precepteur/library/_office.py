"""DOCX (python-docx) and ODT (odfpy) readers, behind a zip-bomb check.

Both formats are zip archives: before any XML is parsed, the declared sizes of the
members are checked (count, total, compression ratio); zipfile never inflates a member
beyond its declared size, so the check bounds the work. Headings come from Word's
"Heading N"/"Titre N" styles and from ODF's `text:h` outline levels.

Constants: MAX_ZIP_MEMBERS, MAX_UNZIPPED_BYTES, MAX_ZIP_RATIO, ZIP_RATIO_MIN_BYTES.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ._structured import StructuredText
from .errors import DocumentError
from .types import ExtractedDocument

MAX_ZIP_MEMBERS = 5_000
MAX_UNZIPPED_BYTES = 300 * 1024 * 1024
MAX_ZIP_RATIO = 100  # XML of real documents compresses 5-20 times
ZIP_RATIO_MIN_BYTES = 1024 * 1024  # small members may compress extremely well, harmlessly

_HEADING_STYLE = re.compile(r"^(?:heading|titre|überschrift|titolo|título)\s*(\d)$", re.IGNORECASE)


def check_zip(path: Path, name: str, kind: str) -> None:
    """Refuse archives that are not zips or whose declared content would explode."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DocumentError("library.error.corrupt", name=name, kind=kind) from exc
    if len(members) > MAX_ZIP_MEMBERS:
        raise DocumentError("library.error.zip_bomb", name=name)
    if sum(m.file_size for m in members) > MAX_UNZIPPED_BYTES:
        raise DocumentError("library.error.zip_bomb", name=name)
    for member in members:
        if member.file_size > ZIP_RATIO_MIN_BYTES and member.file_size > MAX_ZIP_RATIO * max(1, member.compress_size):
            raise DocumentError("library.error.zip_bomb", name=name)


def _docx_level(paragraph) -> int | None:
    style = getattr(paragraph.style, "name", "") or ""
    if style.lower() in ("title", "titre"):
        return 0
    match = _HEADING_STYLE.match(style.strip())
    return int(match.group(1)) if match else None


def read_docx(path: Path, name: str) -> ExtractedDocument:
    """Paragraphs and tables in body order; Heading styles give the heading path."""
    check_zip(path, name, "DOCX")
    import docx
    from docx.table import Table

    try:
        document = docx.Document(str(path))
        builder = StructuredText()
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                for row in item.rows:
                    cells = []
                    for cell in row.cells:
                        if cell.text.strip() and (not cells or cells[-1] != cell.text.strip()):
                            cells.append(cell.text.strip())
                    builder.block(" | ".join(cells))
                continue
            level = _docx_level(item)
            if level is not None and item.text.strip():
                builder.heading(level, item.text)
            else:
                builder.block(item.text)
    except DocumentError:
        raise
    except Exception as exc:  # python-docx raises many types on malformed packages
        raise DocumentError("library.error.corrupt", name=name, kind="DOCX") from exc
    text, segments = builder.finish()
    return ExtractedDocument(text=text, segments=segments, kind="docx", title=builder.title or path.stem)


def _walk_odf(node, builder: StructuredText, teletype) -> None:
    for child in node.childNodes:
        qname = getattr(child, "qname", None)
        if not qname:
            continue
        tag = qname[1]
        if tag == "h":
            level = child.getAttribute("outlinelevel")
            builder.heading(int(level) if level and str(level).isdigit() else 1, teletype.extractText(child))
        elif tag == "p":
            builder.block(teletype.extractText(child))
        elif tag in ("table-row",):
            cells = [teletype.extractText(c).strip() for c in child.childNodes if getattr(c, "qname", (None, ""))[1] == "table-cell"]
            builder.block(" | ".join(c for c in cells if c))
        elif tag not in ("tracked-changes", "sequence-decls", "variable-decls", "user-field-decls", "note-citation"):
            _walk_odf(child, builder, teletype)


def read_odt(path: Path, name: str) -> ExtractedDocument:
    """Paragraphs, lists and tables of an ODT; `text:h` outline levels give the heading path."""
    check_zip(path, name, "ODT")
    from odf import teletype
    from odf.opendocument import load

    try:
        document = load(str(path))
        builder = StructuredText()
        _walk_odf(document.text, builder, teletype)
    except Exception as exc:  # odfpy raises KeyError, XML errors... on malformed files
        raise DocumentError("library.error.corrupt", name=name, kind="ODT") from exc
    text, segments = builder.finish()
    return ExtractedDocument(text=text, segments=segments, kind="odt", title=builder.title or path.stem)
