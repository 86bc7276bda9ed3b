"""Markdown, HTML and plain-text readers.

Markdown and plain text keep the file's own characters as the document text (only
line endings are normalised and NUL characters dropped), so spans and line numbers
point into the file a teacher can open. HTML is reduced to its visible text (script,
style and similar dropped), with h1-h6 giving the heading path.

A stray NUL is not corruption: a file saved by a crashed editor or copied from a
USB stick often ends with a run of NUL padding, and some tools leave a few NULs in
otherwise good text. Trailing NULs are dropped, UTF-16 without a byte-order mark
is recognised by where its NULs fall, and a file is called binary only when control
characters make up more than MAX_BINARY_SHARE of it, and more than MAX_STRAY_CONTROLS
(a PNG or a program renamed .txt).

Constants: SKIPPED_HTML_TAGS, BLOCK_HTML_TAGS, MAX_BINARY_SHARE, MAX_STRAY_CONTROLS, UTF16_NUL_SHARE.
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

from ._structured import StructuredText
from .errors import DocumentError
from .types import ExtractedDocument, Segment

MAX_BINARY_SHARE = 0.05  # control characters (NUL included) beyond which a "text" file is binary
MAX_STRAY_CONTROLS = 8  # ... as long as there are more of them than this
UTF16_NUL_SHARE = 0.8  # share of odd (LE) or even (BE) bytes that are NUL in ASCII-heavy UTF-16
SKIPPED_HTML_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe", "object"})
BLOCK_HTML_TAGS = frozenset(
    "p div li ul ol tr table section article aside header footer nav main pre blockquote dl dt dd "
    "figure figcaption form fieldset details summary hr br td th caption address".split()
)

_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_INLINE_MARKS = re.compile(r"[*_`]+")
_WS = re.compile(r"\s+")


_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def _utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when NULs fall on one byte of each pair, as in ASCII-heavy UTF-16."""
    if len(data) < 4 or len(data) % 2:
        return None
    pairs = len(data) // 2
    if data[1::2].count(0) >= UTF16_NUL_SHARE * pairs and data[0::2].count(0) < pairs * (1 - UTF16_NUL_SHARE):
        return "utf-16-le"
    if data[0::2].count(0) >= UTF16_NUL_SHARE * pairs and data[1::2].count(0) < pairs * (1 - UTF16_NUL_SHARE):
        return "utf-16-be"
    return None


def decode(data: bytes, name: str) -> str:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 (with or without BOM), else
    Windows-1252; NULs dropped; DocumentError when the bytes are not text at all."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    elif encoding := _utf16_without_bom(data):
        text = data.decode(encoding, errors="replace")
    else:
        data = data.rstrip(b"\x00")  # NUL padding after the text
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    text = text.rstrip("\x00")
    controls = len(_CONTROL.findall(text))
    if controls > MAX_STRAY_CONTROLS and controls > MAX_BINARY_SHARE * len(text):
        raise DocumentError("library.error.corrupt", name=name, kind="texte")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def read_markdown(data: bytes, name: str) -> ExtractedDocument:
    """ATX headings (outside code fences) give the heading path of each section."""
    text = decode(data, name)
    segments: list[Segment] = []
    stack: list[tuple[int, str]] = []
    start, offset, fence, title = 0, 0, None, ""
    for line in text.splitlines(keepends=True):
        fence_match = _FENCE.match(line)
        if fence_match:
            marker = fence_match.group(1)
            fence = None if fence == marker else (fence or marker)
        heading = None if fence else _ATX.match(line.rstrip("\n"))
        if heading:
            segments.append(Segment(start, offset, tuple(t for _, t in stack)))
            level = len(heading.group(1))
            label = _WS.sub(" ", _INLINE_MARKS.sub("", heading.group(2))).strip() or heading.group(1)
            title = title or (label if level == 1 else "")
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, label))
            start = offset + len(line)
        offset += len(line)
    segments.append(Segment(start, len(text), tuple(t for _, t in stack)))
    segments = [s for s in segments if text[s.start : s.end].strip()]
    return ExtractedDocument(text=text, segments=segments, kind="markdown", title=title)


def read_text(data: bytes, name: str) -> ExtractedDocument:
    """The whole file as one segment."""
    text = decode(data, name)
    segments = [Segment(0, len(text))] if text.strip() else []
    return ExtractedDocument(text=text, segments=segments, kind="text")


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.builder = StructuredText()
        self.buffer: list[str] = []
        self.skip = 0
        self.pre = 0
        self.heading: int | None = None
        self.in_title = False
        self.page_title = ""

    def flush(self) -> None:
        text = "".join(self.buffer)
        self.buffer = []
        if self.heading is not None:
            return
        self.builder.block(text)

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_HTML_TAGS:
            self.skip += 1
        elif tag == "title":
            self.in_title = True
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6") and not self.skip:
            self.flush()
            self.heading = int(tag[1])
        elif tag in BLOCK_HTML_TAGS and not self.skip:
            if tag == "br" or tag in ("td", "th"):
                self.buffer.append("\n" if tag == "br" else " | ")
            else:
                self.flush()
            self.pre += tag == "pre"

    def handle_endtag(self, tag):
        if tag in SKIPPED_HTML_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag == "title":
            self.in_title = False
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self.heading is not None:
            level, self.heading = self.heading, None
            self.builder.heading(level, "".join(self.buffer))
            self.buffer = []
        elif tag in BLOCK_HTML_TAGS and tag not in ("br", "td", "th") and not self.skip:
            self.flush()
            self.pre -= tag == "pre" and self.pre > 0

    def handle_data(self, data):
        if self.in_title:
            self.page_title += data
        elif not self.skip:
            self.buffer.append(data if self.pre else _WS.sub(" ", data))


def read_html(data: bytes, name: str) -> ExtractedDocument:
    """Visible text of an HTML page; h1-h6 give the heading path."""
    parser = _HtmlText()
    parser.feed(decode(data, name))
    parser.close()
    parser.heading = None
    parser.flush()
    text, segments = parser.builder.finish()
    title = _WS.sub(" ", parser.page_title).strip() or parser.builder.title
    return ExtractedDocument(text=text, segments=segments, kind="html", title=title)
