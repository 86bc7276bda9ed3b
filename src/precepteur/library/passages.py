"""Split an extracted document into passages that follow its own structure.

Each segment (a page, or the body under one heading path) is cut at paragraph
boundaries, then sentence boundaries, then word windows, into passages of about
TARGET_WORDS words: short enough for the embedder (its cost grows faster than the
length) and for a small model's context, long enough to carry an idea. Every passage
keeps its exact span, `document_text[start:end] == passage.text`, and a locator a
person can follow: "c11c.md › Routage › RIP", "cours.pdf, page 4", "notes.txt, ligne 12".

No passage is longer than MAX_PASSAGE_CHARS, whatever the text: a run without
spaces (one 5 MB line of base64, a table flattened into one "word") is cut into
windows of that size, at a space when there is one. One such line used to become
one 5-million-character passage that held the embedder for 27 minutes (issue 10,
defect 2). Line numbers are counted incrementally, so a long document costs time
in proportion to its length, not to its length times its passages.

Constants: TARGET_WORDS, MAX_WORDS, MIN_WORDS, MAX_PASSAGE_CHARS, HEADING_SEPARATOR.
"""

from __future__ import annotations

import re

from ..i18n import t
from .types import ExtractedDocument, Passage

TARGET_WORDS = 110
MAX_WORDS = 160
MIN_WORDS = 30
MAX_PASSAGE_CHARS = 2_000
HEADING_SEPARATOR = " › "

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?…;:])\s+|\n+")
_WORD = re.compile(r"\S+")

Span = tuple[int, int, int]  # start, end, words


def _pieces(text: str, start: int, end: int, pattern: re.Pattern) -> list[tuple[int, int]]:
    """Sub-spans of text[start:end] between matches of `pattern`, trimmed, non-empty."""
    spans, cursor = [], start
    for match in pattern.finditer(text, start, end):
        spans.append((cursor, match.start()))
        cursor = match.end()
    spans.append((cursor, end))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a, b))
    return out


def _count(text: str, a: int, b: int) -> int:
    return sum(1 for _ in _WORD.finditer(text, a, b))


def _windows(text: str, a: int, b: int) -> list[Span]:
    """text[a:b] (already trimmed) in spans of at most MAX_PASSAGE_CHARS, cut at a space when possible."""
    spans: list[Span] = []
    while b - a > MAX_PASSAGE_CHARS:
        cut = a + MAX_PASSAGE_CHARS
        space = max(text.rfind(" ", a + MAX_PASSAGE_CHARS // 2, cut), text.rfind("\n", a + MAX_PASSAGE_CHARS // 2, cut))
        end = space if space > a else cut
        trimmed = end
        while trimmed > a and text[trimmed - 1].isspace():
            trimmed -= 1
        spans.append((a, trimmed, _count(text, a, trimmed)))
        a = end
        while a < b and text[a].isspace():
            a += 1
    if a < b:
        spans.append((a, b, _count(text, a, b)))
    return spans


def _bounded(text: str, a: int, b: int, words: int) -> list[Span]:
    return [(a, b, words)] if b - a <= MAX_PASSAGE_CHARS else _windows(text, a, b)


def _units(text: str, a: int, b: int) -> list[Span]:
    """Paragraphs, with paragraphs longer than MAX_WORDS cut into sentences or word windows,
    and anything longer than MAX_PASSAGE_CHARS into character windows."""
    units: list[Span] = []
    for pa, pb in _pieces(text, a, b, _PARAGRAPH_BREAK):
        words = _count(text, pa, pb)
        if words <= MAX_WORDS:
            units.extend(_bounded(text, pa, pb, words))
            continue
        for sa, sb in _pieces(text, pa, pb, _SENTENCE_END):
            sentence_words = list(_WORD.finditer(text, sa, sb))
            for i in range(0, len(sentence_words), TARGET_WORDS):
                window = sentence_words[i : i + TARGET_WORDS]
                units.extend(_bounded(text, window[0].start(), window[-1].end(), len(window)))
    return units


def _pack(units: list[Span]) -> list[Span]:
    """Greedy packing of consecutive units up to TARGET_WORDS (and MAX_PASSAGE_CHARS);
    a short tail joins its neighbour."""
    chunks: list[Span] = []
    for start, end, words in units:
        if chunks and chunks[-1][2] + words <= TARGET_WORDS and end - chunks[-1][0] <= MAX_PASSAGE_CHARS:
            chunks[-1] = (chunks[-1][0], end, chunks[-1][2] + words)
        else:
            chunks.append((start, end, words))
    if (len(chunks) > 1 and chunks[-1][2] < MIN_WORDS and chunks[-2][2] + chunks[-1][2] <= MAX_WORDS
            and chunks[-1][1] - chunks[-2][0] <= MAX_PASSAGE_CHARS):
        tail = chunks.pop()
        chunks[-1] = (chunks[-1][0], tail[1], chunks[-1][2] + tail[2])
    return chunks


def locator(document: str, kind: str, headings: tuple[str, ...], page: int | None, line: int, lang: str) -> str:
    """How a person finds the passage in the original file."""
    if page is not None:
        return t("library.locator.page", lang, document=document, page=page)
    if headings:
        return HEADING_SEPARATOR.join((document, *headings))
    if kind in ("markdown", "text"):
        return t("library.locator.line", lang, document=document, line=line)
    return document


def split_passages(document: str, extracted: ExtractedDocument, lang: str = "fr") -> list[Passage]:
    """All passages of a document, in reading order, with spans and locators."""
    text = extracted.text
    passages: list[Passage] = []
    counted, line = 0, 1  # line number of position `counted`; segments come in reading order
    for segment in extracted.segments:
        heading = HEADING_SEPARATOR.join(segment.headings)
        for start, end, _ in _pack(_units(text, segment.start, segment.end)):
            if start < counted:
                counted, line = 0, 1
            line += text.count("\n", counted, start)
            counted = start
            passages.append(
                Passage(
                    document=document,
                    ordinal=len(passages),
                    start=start,
                    end=end,
                    text=text[start:end],
                    heading=heading,
                    locator=locator(document, extracted.kind, segment.headings, segment.page, line, lang),
                    page=segment.page,
                )
            )
    return passages
