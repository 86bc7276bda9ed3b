"""ODT reader over the package's XML itself, so any writer's file reads the same.

LibreOffice, pandoc, Google Docs, OnlyOffice and Word all write ODF, each its own way:
pandoc wraps headings in bookmarks, LibreOffice puts page-anchored frames straight in
the body, Word marks headings by style rather than `text:h`. Reading `content.xml`
with ElementTree (no entity resolution, no network) and walking it by local names
covers them all:

- `text:h` (outline level) and paragraphs whose style, or a style it inherits from,
  is a heading ("Heading 2", "Titre 2", `style:default-outline-level`) or the title;
- paragraphs, nested lists, sections, tables (one block per row, cells joined by " | "),
  text boxes and shapes (their paragraphs become blocks after the one that anchors them),
  footnotes and endnotes (after the paragraph that cites them);
- page headers and footers of the master pages (styles.xml), once, before the body;
- dropped: tables of contents and indexes (they repeat the headings), comments,
  tracked deletions, list and heading numbers, page numbers.

Constants: HEADING_STYLE, TOC_STYLE, TITLE_STYLES (shared with the DOCX reader), SKIPPED_ODF_TAGS,
MAX_XML_DEPTH.
"""

from __future__ import annotations

import re
import zipfile
import xml.etree.ElementTree as ET
from pathlib import Path

from ._office import check_zip
from ._structured import StructuredText
from .errors import DocumentError
from .types import ExtractedDocument

HEADING_STYLE = re.compile(
    r"^(?:heading|titre|überschrift|titolo|título|kop|nagłówek|rubrik)[\s_]*(?:20[\s_]*)?(\d)$", re.IGNORECASE
)
TOC_STYLE = re.compile(r"^(?:toc|contents|table des matières|tdm|inhalt|index)[\s_]*(?:20[\s_]*)?\d+$|^toc heading$",
                       re.IGNORECASE)
TITLE_STYLES = frozenset({"title", "titre", "titel", "titolo", "título", "titulo"})
SKIPPED_ODF_TAGS = frozenset({
    "tracked-changes", "sequence-decls", "variable-decls", "user-field-decls", "dde-connection-decls",
    "table-of-content", "alphabetical-index", "illustration-index", "object-index", "user-index",
    "table-index", "bibliography", "annotation", "annotation-end", "note-citation", "number",
    "forms", "scripts", "deletion", "soft-page-break", "index-title-template", "page-number", "page-count",
})
_INLINE_BLOCKS = frozenset({"frame", "custom-shape", "rect", "ellipse", "g", "text-box", "note"})
MAX_XML_DEPTH = 200


def local(tag) -> str:
    """The local name of an ElementTree tag ("{uri}p" -> "p"); "" for comments and PIs."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def attribute(element: ET.Element, name: str) -> str | None:
    """An attribute by local name, whatever its namespace."""
    for key, value in element.attrib.items():
        if local(key) == name:
            return value
    return None


def parse_member(archive: zipfile.ZipFile, member: str, name: str, kind: str,
                 required: bool = False) -> ET.Element | None:
    """The root element of one XML member; None when it is absent, or unparsable and not
    `required` (styles, notes, headers: the text is in the main part)."""
    try:
        data = archive.read(member)
    except KeyError:
        return None
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        if not required:
            return None
        raise DocumentError("library.error.corrupt", name=name, kind=kind) from exc


def heading_level_of_style(name: str) -> int | None:
    """0 for a title style, N for "Heading N" in any of the usual spellings, else None."""
    clean = name.replace("_20_", " ").strip()
    if clean.lower() in TITLE_STYLES:
        return 0
    match = HEADING_STYLE.match(clean)
    return int(match.group(1)) if match else None


class _OdfStyles:
    """Paragraph style name -> heading level, following parent styles."""

    def __init__(self, *roots: ET.Element | None) -> None:
        self.parent: dict[str, str] = {}
        self.outline: dict[str, int] = {}
        self.display: dict[str, str] = {}
        for root in roots:
            if root is None:
                continue
            for style in root.iter():
                if local(style.tag) != "style":
                    continue
                name = attribute(style, "name")
                if not name:
                    continue
                if parent := attribute(style, "parent-style-name"):
                    self.parent[name] = parent
                if (level := attribute(style, "default-outline-level")) and level.isdigit():
                    self.outline[name] = int(level)
                self.display[name] = attribute(style, "display-name") or name

    def is_toc(self, style: str | None) -> bool:
        """A table-of-contents entry's style ("Contents 1", "TOC 2"), or one inheriting from it."""
        seen = set()
        while style and style not in seen:
            seen.add(style)
            if TOC_STYLE.match(self.display.get(style, style).replace("_20_", " ")):
                return True
            style = self.parent.get(style)
        return False

    def level(self, style: str | None) -> int | None:
        seen = set()
        while style and style not in seen:
            seen.add(style)
            if style in self.outline:
                return self.outline[style]
            level = heading_level_of_style(self.display.get(style, style))
            if level is not None:
                return level
            style = self.parent.get(style)
        return None


class _OdfWalker:
    def __init__(self, builder: StructuredText, styles: _OdfStyles) -> None:
        self.builder = builder
        self.styles = styles

    def inline(self, element: ET.Element, parts: list[str], later: list[ET.Element], depth: int = 0) -> None:
        """Text of a paragraph in reading order; frames and notes go to `later`."""
        if depth > MAX_XML_DEPTH:
            return
        if element.text:
            parts.append(element.text)
        for child in element:
            tag = local(child.tag)
            if tag in _INLINE_BLOCKS:
                later.append(child)
            elif tag == "s":
                count = attribute(child, "c") or "1"
                parts.append(" " * (min(int(count), 64) if count.isdigit() else 1))
            elif tag == "tab":
                parts.append(" ")
            elif tag == "line-break":
                parts.append("\n")
            elif tag not in SKIPPED_ODF_TAGS:
                self.inline(child, parts, later, depth + 1)
            if child.tail:
                parts.append(child.tail)

    def paragraph(self, element: ET.Element, heading: int | None, depth: int) -> None:
        parts: list[str] = []
        later: list[ET.Element] = []
        self.inline(element, parts, later)
        text = "".join(parts)
        if heading is not None and text.strip():
            self.builder.heading(heading, text)
        else:
            self.builder.block(text)
        for child in later:
            self.blocks(child, depth + 1)

    def row(self, element: ET.Element) -> None:
        cells = []
        for cell in element:
            if local(cell.tag) != "table-cell":
                continue
            parts: list[str] = []
            for paragraph in cell.iter():
                if local(paragraph.tag) in ("p", "h"):
                    piece: list[str] = []
                    self.inline(paragraph, piece, [])
                    parts.append("".join(piece))
            text = " ".join(" ".join(parts).split())
            if text and (not cells or cells[-1] != text):
                cells.append(text)
        self.builder.block(" | ".join(cells))

    def blocks(self, element: ET.Element, depth: int = 0) -> None:
        """Walk block-level content: paragraphs, headings, lists, tables, sections, frames."""
        if depth > MAX_XML_DEPTH:
            return
        for child in element:
            tag = local(child.tag)
            style = attribute(child, "style-name")
            if tag in ("h", "p") and self.styles.is_toc(style):
                continue
            if tag == "h":
                level = attribute(child, "outline-level")
                own = int(level) if level and level.isdigit() else None
                self.paragraph(child, own if own is not None else self.styles.level(style) or 1, depth)
            elif tag == "p":
                self.paragraph(child, self.styles.level(style), depth)
            elif tag == "table-row":
                self.row(child)
            elif tag not in SKIPPED_ODF_TAGS:
                self.blocks(child, depth + 1)


def _page_furniture(styles_root: ET.Element | None) -> list[ET.Element]:
    """Header and footer elements of the master pages, in order."""
    if styles_root is None:
        return []
    return [element for element in styles_root.iter()
            if local(element.tag) in ("header", "footer", "header-left", "footer-left", "header-first", "footer-first")]


def read_odt(path: Path, name: str) -> ExtractedDocument:
    """Headings, paragraphs, lists, tables, frames, notes and page headers of an ODT."""
    check_zip(path, name, "ODT")
    try:
        with zipfile.ZipFile(path) as archive:
            content = parse_member(archive, "content.xml", name, "ODT", required=True)
            styles_root = parse_member(archive, "styles.xml", name, "ODT")
    except DocumentError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as exc:
        raise DocumentError("library.error.corrupt", name=name, kind="ODT") from exc
    if content is None:
        raise DocumentError("library.error.corrupt", name=name, kind="ODT")
    builder = StructuredText()
    walker = _OdfWalker(builder, _OdfStyles(styles_root, content))
    furniture = StructuredText()
    for element in _page_furniture(styles_root):
        _OdfWalker(furniture, walker.styles).blocks(element)
    builder.unique_blocks(furniture)
    for body in (child for child in content if local(child.tag) == "body"):
        for text in (child for child in body if local(child.tag) == "text"):
            walker.blocks(text)
    text, segments = builder.finish()
    return ExtractedDocument(text=text, segments=segments, kind="odt", title=builder.title or path.stem)
