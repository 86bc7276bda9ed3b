"""From library hits to a cited answer: choose sources, frame them as data, verify quotes.

- `select_sources` keeps the best passages that fit a small model's context budget,
  numbered [1], [2]...
- `format_sources` frames them as teacher material to quote, never as instructions,
  after `guard.injection.sanitize` (the stored text stays intact).
- `covers` says whether the library covers a question at all, so the tutor can decline
  honestly instead of answering from nowhere.
- `extract_citations` turns the [n] markers of an answer into citations whose quote is
  a verbatim sentence of the teacher's document, checked against its stored text.

Constants: DEFAULT_BUDGET_TOKENS, MAX_SOURCES, MIN_RELATIVE_SCORE, MIN_SOURCE_TOKENS,
MAX_QUOTE_CHARS, OPEN_DELIMITER, CLOSE_DELIMITER, COVER_* thresholds.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..guard.injection import sanitize
from ..i18n import t
from ..library.analysis import question_stems
from ..library.glossary import expand
from ..library.types import SearchHit
from .types import Citation

DEFAULT_BUDGET_TOKENS = 800
MAX_SOURCES = 4
MIN_RELATIVE_SCORE = 0.55  # a hit below this share of the best hit's score is left out
MIN_SOURCE_TOKENS = 60  # a truncated source shorter than this is not worth its header
MAX_QUOTE_CHARS = 300
MIN_QUOTE_CHARS = 80  # a shorter best sentence is extended with its neighbour
OPEN_DELIMITER = "<documents>"
CLOSE_DELIMITER = "</documents>"
# covers(): calibrated on bench/data (104 course questions, 26 off-topic), see bench/retrieval.py.
# margin = best passage cosine - best cosine with general-knowledge topics (library/background.py)
COVER_MARGIN = 0.024  # enough on its own
COVER_MARGIN_WITH_WORDS = 0.0  # enough when most of the question's words are in a passage
COVER_MIN_LEXICAL = 0.6  # share of the question's content words found in one passage
COVER_LEXICAL_ONLY = 0.67  # when no passage is embedded yet (full-text search only)

_MARKER = re.compile(r"\[(\d{1,2}(?:\s*[,;]\s*\d{1,2})*)\]")
_SENTENCE = re.compile(r"(?<=[.!?…])[\"»”)]?\s+|\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)])\s)")
_LEADING_MARKS = re.compile(r"^[\s\-*•#>|]+")


@dataclass(frozen=True)
class Source:
    """One numbered excerpt given to the model; `text == document_text[start:end]`."""

    number: int
    document: str
    locator: str
    text: str
    start: int
    end: int


def approx_tokens(text: str) -> int:
    """A cautious token estimate for French text (about 3.2 characters per token)."""
    return math.ceil(len(text) / 3.2)


def _stems(text: str) -> set[str]:
    """French and English stems of the content words (stop words of either language dropped),
    plus the French course terms of English words, so an English answer matches French text."""
    bridged = text + " " + " ".join(expand(text))
    return {stem for stems in question_stems(bridged) for stem in stems}


def _spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans of `text`, trimmed, in order."""
    spans, cursor = [], 0
    for match in list(_SENTENCE.finditer(text)) + [None]:
        end = match.start() if match else len(text)
        if match and match.group(0)[:1] in "\"»”)":
            end += 1
        a, b = cursor, end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            spans.append((a, b))
        cursor = match.end() if match else len(text)
    return spans


def _fit(text: str, budget: int, count_tokens: Callable[[str], int]) -> int:
    """The longest prefix length of `text` ending at a sentence end and within `budget` tokens."""
    best = 0
    for _, end in _spans(text):
        if count_tokens(text[:end]) > budget:
            break
        best = end
    return best


def select_sources(hits: list[SearchHit], budget_tokens: int = DEFAULT_BUDGET_TOKENS,
                   count_tokens: Callable[[str], int] = approx_tokens) -> list[Source]:
    """The best hits that fit `budget_tokens`, numbered from 1, at most MAX_SOURCES."""
    if not hits:
        return []
    best = max(hit.score for hit in hits)
    sources: list[Source] = []
    used, seen = 0, set()
    for hit in hits:
        if len(sources) >= MAX_SOURCES:
            break
        key = (hit.document, hit.start, hit.end)
        if key in seen or (sources and hit.score < best * MIN_RELATIVE_SCORE):
            continue
        seen.add(key)
        header = count_tokens(f"[{len(sources) + 1}] {hit.locator}\n")
        text = hit.text
        if used + header + count_tokens(text) > budget_tokens:
            room = budget_tokens - used - header
            cut = _fit(text, room, count_tokens) if room >= MIN_SOURCE_TOKENS else 0
            if not cut:
                continue
            text = text[:cut]
        used += header + count_tokens(text)
        sources.append(Source(len(sources) + 1, hit.document, hit.locator, text, hit.start, hit.start + len(text)))
    return sources


def format_sources(sources: list[Source], lang: str = "fr") -> str:
    """The prompt block: a header saying this is data to quote, then the delimited excerpts."""
    if not sources:
        return t("sources.empty", lang)
    blocks = []
    for source in sources:
        clean = sanitize(source.text, lang, remove=(OPEN_DELIMITER, CLOSE_DELIMITER))
        locator = sanitize(source.locator, lang, remove=(OPEN_DELIMITER, CLOSE_DELIMITER))
        blocks.append(f"[{source.number}] {locator}\n{clean.strip()}")
    header = t("sources.header", lang, open=OPEN_DELIMITER, close=CLOSE_DELIMITER)
    return f"{header}\n{OPEN_DELIMITER}\n" + "\n\n".join(blocks) + f"\n{CLOSE_DELIMITER}"


def covers(question: str, hits: list[SearchHit]) -> bool:
    """Whether the retrieved passages cover the question (False: decline honestly)."""
    if not hits or not question.strip():
        return False
    dense = max((h.dense for h in hits if h.dense is not None), default=None)
    lexical = max(h.lexical for h in hits)
    background = next((h.background for h in hits if h.background is not None), None)
    if dense is None or background is None:
        return lexical >= COVER_LEXICAL_ONLY
    margin = dense - background
    return margin >= COVER_MARGIN or (margin >= COVER_MARGIN_WITH_WORDS and lexical >= COVER_MIN_LEXICAL)


def _best_quote(region: str, claim: str) -> tuple[int, int]:
    """Span in `region` of the sentence(s) that best support `claim`, at most MAX_QUOTE_CHARS."""
    spans = _spans(region)
    if not spans:
        return 0, 0
    wanted = _stems(claim)
    scores = []
    for a, b in spans:
        stems = _stems(region[a:b])
        scores.append(len(wanted & stems) / math.sqrt(len(stems) + 1))
    best = max(range(len(spans)), key=lambda i: (scores[i], -i))
    lo = hi = best
    # Extend a short sentence with its better-scoring neighbour while it fits.
    while spans[hi][1] - spans[lo][0] < MIN_QUOTE_CHARS:
        options = [i for i in (hi + 1, lo - 1) if 0 <= i < len(spans)
                   and max(spans[hi][1], spans[i][1]) - min(spans[lo][0], spans[i][0]) <= MAX_QUOTE_CHARS]
        if not options:
            break
        pick = max(options, key=lambda i: scores[i])
        lo, hi = min(lo, pick), max(hi, pick)
    a, b = spans[lo][0], spans[hi][1]
    if b - a > MAX_QUOTE_CHARS:
        cut = region.rfind(" ", a, a + MAX_QUOTE_CHARS)
        b = cut if cut > a else a + MAX_QUOTE_CHARS
    return a, b


def _quote(source: Source, claim: str, text: str) -> str | None:
    """A verbatim quote of `text` (the document) supporting `claim`, or None."""
    region_start = source.start
    if text[source.start : source.end] != source.text:
        region_start = text.find(source.text)
        if region_start < 0:
            return None
    region = source.text
    a, b = _best_quote(region, claim)
    quote = region[a:b]
    quote = _LEADING_MARKS.sub("", quote).rstrip(" \t\n,;:")
    if not quote or quote not in text[region_start : region_start + len(region)]:
        return None
    return quote


def _claims(answer: str, count: int) -> list[tuple[int, str]]:
    """(source number, sentence carrying the marker) in order of appearance."""
    claims = []
    for a, b in _spans(answer):
        sentence = answer[a:b]
        numbers = [int(n) for m in _MARKER.finditer(sentence) for n in re.split(r"\s*[,;]\s*", m.group(1))]
        plain = _MARKER.sub(" ", sentence)
        claims.extend((n, plain) for n in numbers if 1 <= n <= count)
    return claims


def extract_citations(answer: str, sources: list[Source],
                      document_text: Callable[[str], str]) -> list[Citation]:
    """Citations for the [n] markers of `answer`, each quote verified verbatim in its document.

    Without markers, the source that best matches the answer is cited when the answer
    shares enough content words with it.
    """
    if not sources or not answer.strip():
        return []
    claims = _claims(answer, len(sources))
    if not claims:
        wanted = _stems(_MARKER.sub(" ", answer))
        overlaps = [len(wanted & _stems(s.text)) for s in sources]
        best = max(range(len(sources)), key=lambda i: overlaps[i])
        if overlaps[best] < min(3, max(1, len(wanted) // 4)):
            return []
        claims = [(best + 1, answer)]
    citations: list[Citation] = []
    texts: dict[str, str | None] = {}
    for number, claim in claims:
        source = sources[number - 1]
        if source.document not in texts:
            try:
                texts[source.document] = document_text(source.document)
            except Exception:  # a document removed meanwhile: its citation cannot be verified
                texts[source.document] = None
        text = texts[source.document]
        quote = _quote(source, claim, text) if text else None
        if quote is None or quote not in text:
            continue
        citation = Citation(document=source.document, locator=source.locator, quote=quote)
        if citation not in citations:
            citations.append(citation)
    return citations
