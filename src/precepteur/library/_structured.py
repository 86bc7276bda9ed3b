"""Build a document's text from blocks and headings, recording heading-path segments.

Readers that do not keep the file's own bytes as text (DOCX, ODT, HTML) feed their
headings and paragraphs here; the result is the extracted text plus one segment per
heading section, whose span covers the body under that heading (not the heading line).

Constants: BLOCK_SEPARATOR.
"""

from __future__ import annotations

import re

from .types import Segment

BLOCK_SEPARATOR = "\n\n"

_SPACES = re.compile(r"[ \t\u00a0\u200b]+")
_LINES = re.compile(r"\s*\n\s*")


def normalise_block(text: str) -> str:
    """Collapse runs of spaces and trim each line; keep single line breaks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES.sub(" ", text)
    return _LINES.sub("\n", text).strip()


class StructuredText:
    """Accumulates blocks under a heading stack; `finish()` returns text and segments."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._stack: list[tuple[int, str]] = []
        self._segments: list[Segment] = []
        self._start: int | None = None
        self.title = ""

    def _append(self, text: str) -> int:
        if self._parts:
            self._parts.append(BLOCK_SEPARATOR)
            self._length += len(BLOCK_SEPARATOR)
        begin = self._length
        self._parts.append(text)
        self._length += len(text)
        return begin

    def _close(self) -> None:
        if self._start is not None:
            headings = tuple(title for _, title in self._stack)
            self._segments.append(Segment(self._start, self._length, headings))
            self._start = None

    def heading(self, level: int, title: str) -> None:
        title = " ".join(normalise_block(title).split())
        if not title:
            return
        self._close()
        self._append(title)
        if not self.title:
            self.title = title
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        self._stack.append((level, title))

    def block(self, text: str) -> None:
        text = normalise_block(text)
        if not text:
            return
        begin = self._append(text)
        if self._start is None:
            self._start = begin

    def unique_blocks(self, other: "StructuredText") -> None:
        """Add the text of `other` (page headers and footers) as blocks, each distinct one once;
        blocks without a letter (page numbers) are left out."""
        seen: set[str] = set()
        for part in other._parts:
            if part != BLOCK_SEPARATOR and part not in seen and any(c.isalpha() for c in part):
                seen.add(part)
                self.block(part)

    def finish(self) -> tuple[str, list[Segment]]:
        self._close()
        return "".join(self._parts), self._segments
