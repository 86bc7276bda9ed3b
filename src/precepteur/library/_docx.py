"""DOCX reader over the package's XML itself, so any writer's file reads the same.

Word, LibreOffice, pandoc, Google Docs and OnlyOffice each write WordprocessingML their
own way; python-docx only sees body paragraphs and tables. This walker reads the main
part named by the package relationships (transitional or strict namespaces, matched by
local name) and keeps:

- headings from the paragraph's style, or a style it is based on ("heading 2", "Titre 2",
  an outline level), and the paragraph's own outline level; the title style as level 0;
- paragraphs (runs, hyperlinks, fields' shown results, content controls, insertions),
  tables (one block per row, cells joined by " | "), text boxes (after the paragraph that
  anchors them; of an `mc:AlternateContent` only the first choice, so a box is read once),
  footnotes and endnotes (after the paragraph that cites them);
- page headers and footers, once, before the body;
- dropped: deleted text, field codes, tables of contents, comments.

Constants: SKIPPED_WORD_TAGS.
"""

from __future__ import annotations

import posixpath
import zipfile
import xml.etree.ElementTree as ET
from pathlib import Path

from ._odt import MAX_XML_DEPTH, TOC_STYLE, attribute, heading_level_of_style, local, parse_member
from ._office import check_zip
from ._structured import StructuredText
from .errors import DocumentError
from .types import ExtractedDocument

SKIPPED_WORD_TAGS = frozenset({
    "del", "delText", "instrText", "delInstrText", "moveFrom", "pPr", "rPr", "sectPr", "tblPr", "trPr",
    "tcPr", "sdtPr", "sdtEndPr", "commentReference", "annotationRef", "footnoteRef", "endnoteRef",
    "bookmarkStart", "bookmarkEnd", "proofErr", "lastRenderedPageBreak", "fldChar", "tblGrid",
})


def _relationships(archive: zipfile.ZipFile, part: str, name: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type suffix, target part) of one part."""
    folder, base = posixpath.split(part)
    root = parse_member(archive, posixpath.join(folder, "_rels", base + ".rels"), name, "DOCX")
    rels = {}
    for rel in root if root is not None else []:
        target = attribute(rel, "Target") or ""
        if attribute(rel, "TargetMode") == "External" or not target:
            continue
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        rels[attribute(rel, "Id") or ""] = ((attribute(rel, "Type") or "").rsplit("/", 1)[-1], resolved)
    return rels


class _WordStyles:
    """Paragraph style id -> heading level (or "toc"), following `basedOn`."""

    def __init__(self, root: ET.Element | None) -> None:
        self.names: dict[str, str] = {}
        self.based: dict[str, str] = {}
        self.outline: dict[str, int] = {}
        for style in root if root is not None else []:
            if local(style.tag) != "style":
                continue
            sid = attribute(style, "styleId") or ""
            for child in style.iter():
                tag = local(child.tag)
                if tag == "name":
                    self.names[sid] = attribute(child, "val") or sid
                elif tag == "basedOn":
                    self.based[sid] = attribute(child, "val") or ""
                elif tag == "outlineLvl" and (attribute(child, "val") or "").isdigit():
                    self.outline[sid] = int(attribute(child, "val"))

    def name(self, sid: str) -> str:
        return self.names.get(sid, sid)

    def level(self, sid: str | None) -> int | None:
        seen = set()
        while sid and sid not in seen:
            seen.add(sid)
            level = heading_level_of_style(self.name(sid)) if sid in self.names else heading_level_of_style(sid)
            if level is not None:
                return level
            if sid in self.outline:
                return self.outline[sid] + 1 if self.outline[sid] < 9 else None
            sid = self.based.get(sid)
        return None


def _paragraph_style(paragraph: ET.Element) -> tuple[str | None, int | None]:
    """(style id, own outline level) from the paragraph properties."""
    style, outline = None, None
    for props in paragraph:
        if local(props.tag) != "pPr":
            continue
        for child in props:
            tag = local(child.tag)
            if tag == "pStyle":
                style = attribute(child, "val")
            elif tag == "outlineLvl" and (attribute(child, "val") or "").isdigit():
                value = int(attribute(child, "val"))
                outline = value + 1 if value < 9 else None
    return style, outline


class _WordWalker:
    def __init__(self, builder: StructuredText, styles: _WordStyles, notes: dict[tuple[str, str], ET.Element]):
        self.builder = builder
        self.styles = styles
        self.notes = notes

    def inline(self, element: ET.Element, parts: list[str], later: list[ET.Element], depth: int = 0) -> None:
        if depth > MAX_XML_DEPTH:
            return
        for child in element:
            tag = local(child.tag)
            if tag in SKIPPED_WORD_TAGS:
                continue
            if tag == "t":
                parts.append(child.text or "")
            elif tag in ("tab", "ptab"):
                parts.append(" ")
            elif tag in ("br", "cr"):
                parts.append("\n")
            elif tag == "noBreakHyphen":
                parts.append("-")
            elif tag == "txbxContent":
                later.append(child)
            elif tag in ("footnoteReference", "endnoteReference"):
                note = self.notes.get((tag[:-9], attribute(child, "id") or ""))
                if note is not None:
                    later.append(note)
            elif tag == "AlternateContent":
                branches = [c for c in child if local(c.tag) in ("Choice", "Fallback")]
                if branches:
                    self.inline(branches[0], parts, later, depth + 1)
            else:
                self.inline(child, parts, later, depth + 1)

    def paragraph(self, paragraph: ET.Element, depth: int) -> None:
        style, outline = _paragraph_style(paragraph)
        if style and TOC_STYLE.match(self.styles.name(style)):
            return
        parts: list[str] = []
        later: list[ET.Element] = []
        self.inline(paragraph, parts, later)
        text = "".join(parts)
        level = outline if outline is not None else self.styles.level(style)
        if level is not None and text.strip():
            self.builder.heading(level, text)
        else:
            self.builder.block(text)
        for box in later:
            self.blocks(box, depth + 1)

    def cell_text(self, cell: ET.Element) -> str:
        parts: list[str] = []
        for paragraph in cell.iter():
            if local(paragraph.tag) == "p":
                piece: list[str] = []
                self.inline(paragraph, piece, [])
                parts.append("".join(piece))
        return " ".join(" ".join(parts).split())

    def row(self, row: ET.Element) -> None:
        cells = []
        for cell in row.iter():
            if local(cell.tag) != "tc":
                continue
            text = self.cell_text(cell)
            if text and (not cells or cells[-1] != text):
                cells.append(text)
        self.builder.block(" | ".join(cells))

    def _is_toc(self, sdt: ET.Element) -> bool:
        return any(local(e.tag) == "docPartGallery" and (attribute(e, "val") or "").lower().startswith("table of contents")
                   for e in sdt.iter())

    def blocks(self, element: ET.Element, depth: int = 0) -> None:
        """Walk block-level content: paragraphs, tables, content controls."""
        if depth > MAX_XML_DEPTH:
            return
        for child in element:
            tag = local(child.tag)
            if tag == "p":
                self.paragraph(child, depth)
            elif tag == "tbl":
                for row in child:
                    if local(row.tag) == "tr":
                        self.row(row)
            elif tag == "sdt" and self._is_toc(child):
                continue
            elif tag == "AlternateContent":
                branches = [c for c in child if local(c.tag) in ("Choice", "Fallback")]
                if branches:
                    self.blocks(branches[0], depth + 1)
            elif tag not in SKIPPED_WORD_TAGS:
                self.blocks(child, depth + 1)


def _notes(archive: zipfile.ZipFile, rels: dict, name: str) -> dict[tuple[str, str], ET.Element]:
    """(("footnote"|"endnote"), id) -> the note element."""
    notes = {}
    for kind, part in rels.values():
        if kind not in ("footnotes", "endnotes"):
            continue
        root = parse_member(archive, part, name, "DOCX")
        for note in root if root is not None else []:
            if local(note.tag) in ("footnote", "endnote") and attribute(note, "type") in (None, "normal"):
                notes[(local(note.tag), attribute(note, "id") or "")] = note
    return notes


def read_docx(path: Path, name: str) -> ExtractedDocument:
    """Headings, paragraphs, tables, text boxes, notes and page headers of a DOCX."""
    check_zip(path, name, "DOCX")
    try:
        with zipfile.ZipFile(path) as archive:
            package = _relationships(archive, "", name)
            main = next((part for kind, part in package.values() if kind == "officeDocument"), "word/document.xml")
            document = parse_member(archive, main, name, "DOCX", required=True)
            if document is None:
                raise DocumentError("library.error.corrupt", name=name, kind="DOCX")
            rels = _relationships(archive, main, name)
            styles = _WordStyles(next((parse_member(archive, part, name, "DOCX")
                                       for kind, part in rels.values() if kind == "styles"), None))
            notes = _notes(archive, rels, name)
            furniture = [parse_member(archive, part, name, "DOCX")
                         for kind, part in sorted(rels.values(), key=lambda r: r[1]) if kind in ("header", "footer")]
    except DocumentError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, KeyError) as exc:
        raise DocumentError("library.error.corrupt", name=name, kind="DOCX") from exc
    builder = StructuredText()
    walker = _WordWalker(builder, styles, notes)
    scratch = StructuredText()
    for root in furniture:
        if root is not None:
            _WordWalker(scratch, styles, notes).blocks(root)
    builder.unique_blocks(scratch)
    for body in (child for child in document if local(child.tag) == "body"):
        walker.blocks(body)
    text, segments = builder.finish()
    return ExtractedDocument(text=text, segments=segments, kind="docx", title=builder.title or path.stem)
