"""Builders of small real documents for the library tests: PDF by hand, DOCX, ODT, zip bomb."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

# The real CC0 corpus lives in ../shared beside the checkout (as in CI); override with
# PRECEPTEUR_TEST_CORPUS when the checkout is elsewhere.
CORPUS = Path(
    os.environ.get("PRECEPTEUR_TEST_CORPUS")
    or Path(__file__).resolve().parents[3] / "shared" / "corpus" / "nsi_terminale"
)


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def make_pdf(path: Path, pages: list[list[str] | None], encrypted: bool = False) -> Path:
    """A valid PDF: each page is a list of text lines, or None for a drawing with no text."""
    objects: list[bytes] = []
    font = 3
    kids = []
    for index, lines in enumerate(pages):
        page_number, content_number = 4 + 2 * index, 5 + 2 * index
        kids.append(f"{page_number} 0 R".encode())
        if lines is None:
            stream = b"0 0 1 rg 72 72 300 400 re f"
        else:
            body = b" T* ".join(_pdf_string(line) + b" Tj" for line in lines)
            stream = b"BT /F1 12 Tf 14 TL 72 720 Td " + body + b" ET"
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content_number} 0 R "
            f"/Resources << /Font << /F1 {font} 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    head = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % len(pages),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    all_objects = head + objects
    if encrypted:
        all_objects.append(
            b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>"
        )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(all_objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(all_objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    trailer = b"<< /Size %d /Root 1 0 R" % (len(all_objects) + 1)
    if encrypted:
        trailer += b" /Encrypt %d 0 R /ID [<%s> <%s>]" % (len(all_objects), b"ab" * 16, b"ab" * 16)
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    path.write_bytes(bytes(out))
    return path


def make_docx(path: Path, blocks: list[tuple[str, str]]) -> Path:
    """blocks: ("h1"|"h2"|"p", text)."""
    import docx

    document = docx.Document()
    for kind, text in blocks:
        if kind.startswith("h"):
            document.add_heading(text, level=int(kind[1]))
        else:
            document.add_paragraph(text)
    document.save(str(path))
    return path


def make_odt(path: Path, blocks: list[tuple[str, str]]) -> Path:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    document = OpenDocumentText()
    for kind, text in blocks:
        if kind.startswith("h"):
            document.text.addElement(H(outlinelevel=int(kind[1]), text=text))
        else:
            document.text.addElement(P(text=text))
    document.save(str(path))
    return path


def make_zip_bomb(path: Path, megabytes: int = 120) -> Path:
    """A .docx whose one member inflates from ~100 KB to `megabytes` MB."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                member.write(chunk)
    return path
