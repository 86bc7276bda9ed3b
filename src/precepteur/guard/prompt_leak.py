"""The system prompt never leaves: a canary per installation and a filter that works while streaming.

Every installation has a random canary (`installation_canary`, kept in `home`) written
into the system prompt as an internal code the model must never write. An answer is
a leak when it contains the canary (case, spacing and punctuation aside) or any run
of SPAN_WORDS words of the system prompt, exactly or nearly (rapidfuzz ratio >=
FUZZY_RATIO, so a changed word or accent does not get through).

`LeakFilter.feed(text)` is called with each streamed piece and returns what may be
sent now: it holds back the last SPAN_WORDS + 1 words, so the words of a leaking span are
never sent before the span is recognised. Once a leak is found, `leaked` is True,
feeding stops and the caller ends the generation; `flush()` releases the held-back
tail of an answer that ended cleanly. `contains_leak(text)` checks a whole text.

Constants: SPAN_WORDS, FUZZY_RATIO, CANARY_FILE, CANARY_PREFIX.
"""

from __future__ import annotations

import os
import re
import secrets
import unicodedata
from pathlib import Path

SPAN_WORDS = 8
FUZZY_RATIO = 90.0
CANARY_FILE = "guard_canary"
CANARY_PREFIX = "PRC"
_WORD = re.compile(r"\w+", re.UNICODE)


def installation_canary(home: Path) -> str:
    """This installation's canary, created once (random, 0600) and then reused."""
    path = Path(home) / CANARY_FILE
    if path.exists():
        value = path.read_text(encoding="utf-8").strip()
        if value:
            return value
    Path(home).mkdir(parents=True, exist_ok=True)
    value = f"{CANARY_PREFIX}-{secrets.token_hex(4).upper()}-{secrets.token_hex(4).upper()}"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value)
    return value


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def _words(text: str) -> list[str]:
    return _WORD.findall(_fold(text))


def _squeeze(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", _fold(text))


class LeakFilter:
    """Streams an answer while refusing to send the canary or any 8-word span of `protected`."""

    def __init__(self, protected: list[str], canary: str | None = None):
        self._canary = _squeeze(canary) if canary else ""
        spans: set[tuple[str, ...]] = set()
        for text in protected:
            words = _words(text)
            spans.update(tuple(words[i : i + SPAN_WORDS]) for i in range(len(words) - SPAN_WORDS + 1))
        self._spans = spans
        self._vocabulary = {word for span in spans for word in span}
        self._span_texts = [" ".join(span) for span in spans]
        self._text = ""
        self._sent = 0
        self._checked_words = 0
        self._dropped: list[tuple[int, int]] = []
        self._canary_seen = False
        self._after_drop = 0  # word index where the last dropped span ended
        self._trim = False
        self.leaked = False

    def _span(self, words: list[str], start: int) -> tuple[int, int] | None:
        """(first, end) word indexes of the leaking windows from `start`, or None.
        Exact windows are preferred: a near match only counts where no exact one does, and
        not across the end of a span already dropped (the words right after a recitation)."""
        from rapidfuzz import fuzz, process

        exact = near = None
        for i in range(max(0, start), len(words) - SPAN_WORDS + 1):
            window = tuple(words[i : i + SPAN_WORDS])
            if window in self._spans:
                exact = (exact[0] if exact else i, i + SPAN_WORDS)
            elif exact is None and i >= self._after_drop and self._span_texts and process.extractOne(
                " ".join(window), self._span_texts, scorer=fuzz.ratio, score_cutoff=FUZZY_RATIO
            ) is not None:
                first = i
                while first < i + SPAN_WORDS - 1 and words[first] not in self._vocabulary:
                    first += 1  # a near window may begin with the learner's own words
                near = (near[0] if near else first, i + SPAN_WORDS)
        return exact or near

    def _leak(self, final: bool) -> tuple[int, int] | None:
        """Character range [start, end) of the text to drop, or None."""
        if self._canary and self._canary in _squeeze(self._text[self._sent :]):
            self._canary_seen = True
            return self._sent, len(self._text)
        matches = list(_WORD.finditer(self._text))
        # The last word may still be growing: check it only once the text is complete.
        growing = not final and self._text and self._text[-1].isalnum()
        complete = matches[:-1] if growing else matches
        words = [_fold(m.group(0)) for m in complete]
        span = self._span(words, self._checked_words - SPAN_WORDS + 1)
        self._checked_words = len(words)
        if span is None:
            return None
        self._after_drop = span[1]
        return complete[span[0]].start(), complete[span[1] - 1].end()

    def _safe_end(self) -> int:
        """Where the held-back tail starts: before the last SPAN_WORDS + 1 words (the last one
        may still be growing) and before anything that could be the start of the canary."""
        matches = list(_WORD.finditer(self._text))
        if len(matches) <= SPAN_WORDS:
            return 0
        end = matches[-SPAN_WORDS - 1].start()
        return max(0, end - len(self._canary))

    def _drop(self, start: int, end: int) -> str:
        """Never send [start, end): it holds the leak. Returns the safe text before it."""
        self.leaked = True
        start = max(start, self._sent)
        end = max(end, start)
        before = self._text[self._sent : start]
        self._dropped.append((start, end))
        self._sent = end
        self._trim = True  # the punctuation that closed the dropped span goes with it
        return before

    def feed(self, text: str) -> str:
        """The part of the answer that may be sent now (leaking spans are dropped)."""
        if not text:
            return ""
        self._text += text
        out = ""
        leak = self._leak(final=False)
        if leak is not None:
            out = self._drop(*leak)
        end = self._safe_end()
        if end > self._sent:
            out += self._trimmed(self._text[self._sent : end])
            self._sent = end
        return out

    def _trimmed(self, out: str) -> str:
        if self._trim and out:
            stripped = re.sub(r"^[\W_]+", "", out)
            if stripped:
                self._trim = False
            return stripped
        return out

    def flush(self) -> str:
        """The held-back tail at the end of the answer (without any leaking span)."""
        out = ""
        leak = self._leak(final=True)
        if leak is not None:
            out = self._drop(*leak)
        if self._canary_seen:  # the canary may sit anywhere in what is held back
            out += self._drop(len(self._text), len(self._text))
            return out
        out += self._trimmed(self._text[self._sent :])
        self._sent = len(self._text)
        return out

    @property
    def sent(self) -> str:
        """Everything released so far."""
        kept, last = [], 0
        for start, end in self._dropped:
            kept.append(self._text[last:start])
            last = end
        kept.append(self._text[last : self._sent])
        return "".join(kept)


def contains_leak(text: str, protected: list[str], canary: str | None = None) -> bool:
    """Whether a whole answer contains the canary or an 8-word span of `protected`."""
    leak = LeakFilter(protected, canary)
    leak.feed(text)
    leak.flush()
    return leak.leaked
