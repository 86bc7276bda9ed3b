"""PDF reader (pypdfium2): one segment per page that has text, page numbers from 1.

A PDF whose pages carry (almost) no text layer is a scan: it is refused with a clear
message rather than indexed as empty. Password protection and corruption are told
apart through PDFium's load error code.

Constants: MIN_PDF_TEXT_CHARS, PDFIUM_PASSWORD_ERROR.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import DocumentError
from .types import ExtractedDocument, Segment

MIN_PDF_TEXT_CHARS = 20  # fewer visible characters in the whole file: treat as a scan
PDFIUM_PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD
PAGE_SEPARATOR = "\n\n"

_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def _clean_page(raw: str) -> str:
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    # PDFium marks hyphenation breaks with U+0002 and soft hyphens with U+00AD.
    text = text.replace("\x02\n", "").replace("\x02", "").replace("\u00ad\n", "").replace("\ufffe", "")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def read_pdf(path: Path, name: str) -> ExtractedDocument:
    """Extract the text of every page, keeping page numbers."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == PDFIUM_PASSWORD_ERROR or "password" in str(exc).lower():
            raise DocumentError("library.error.encrypted_pdf", name=name) from exc
        raise DocumentError("library.error.corrupt", name=name, kind="PDF") from exc
    parts: list[str] = []
    segments: list[Segment] = []
    offset = 0
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                page_text = _clean_page(textpage.get_text_range())
                textpage.close()
            finally:
                page.close()
            if not page_text:
                continue
            if parts:
                parts.append(PAGE_SEPARATOR)
                offset += len(PAGE_SEPARATOR)
            parts.append(page_text)
            segments.append(Segment(offset, offset + len(page_text), page=index + 1))
            offset += len(page_text)
    except pdfium.PdfiumError as exc:
        raise DocumentError("library.error.corrupt", name=name, kind="PDF") from exc
    finally:
        pdf.close()
    text = "".join(parts)
    if sum(not c.isspace() for c in text) < MIN_PDF_TEXT_CHARS:
        raise DocumentError("library.error.scanned_pdf", name=name)
    return ExtractedDocument(text=text, segments=segments, kind="pdf", title=path.stem)
