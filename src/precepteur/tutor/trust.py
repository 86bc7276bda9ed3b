"""Answers with no document behind them: no stray source marker, a visible label, a policy.

A 1.5B model is not a knowledge base. An answer is *sourced* when a verified citation
of the teacher's documents or a fact computed by code stands behind it; otherwise:

- no "[1]" marker survives without the source it names (`MarkerFilter` removes them
  while streaming when the model was given no such source; `strip_markers` removes,
  after the citations are checked, those whose quote could not be verified);
- the answer ends with the label "Réponse non vérifiée par un document du cours."
  (`label`), in the page, `ask` and `/v1` alike; `strip_label` keeps it out of the
  history the model reads back;
- whether learners may get such answers at all is a policy (`may_answer_unsourced`):
  the admin's default (`Settings.unsourced_answers`: "allow" or "decline"), overridden
  per library (`Settings.unsourced_by_library`, {"nsi": "decline"}) and, above both,
  per request (`TutorRequest.unsourced`, the hook a class or user setting fills).
  When they may not, the tutor names the library that covers the question, or declines kindly.

Constants: MARKER_HOLD_CHARS, POLICIES.
"""

from __future__ import annotations

import re

from ..i18n import t

POLICIES = ("allow", "decline")
MARKER_HOLD_CHARS = 12  # a "[" this close to the end of the stream may open a marker

_MARKER = re.compile(r"[ \t]?\[(\d{1,2}(?:\s*[,;]\s*\d{1,2})*)\]")
_OPEN = re.compile(r"\[[\d\s,;]{0,10}$")


def _numbers(group: str) -> list[int]:
    return [int(n) for n in re.split(r"\s*[,;]\s*", group.strip()) if n]


def strip_markers(text: str, keep: set[int] | frozenset[int] = frozenset()) -> str:
    """`text` without the [n] markers whose numbers are not all in `keep`."""
    def replace(match: re.Match) -> str:
        kept = [n for n in _numbers(match.group(1)) if n in keep]
        if not kept:
            return ""
        lead = match.group(0)[: len(match.group(0)) - len(match.group(0).lstrip(" \t"))]
        return f"{lead}[{', '.join(map(str, kept))}]"

    return _MARKER.sub(replace, text)


class MarkerFilter:
    """Streaming `strip_markers`: holds back a possible marker's start until it is whole."""

    def __init__(self, sources: int) -> None:
        self.keep = frozenset(range(1, sources + 1))
        self._pending = ""

    def feed(self, chunk: str) -> str:
        text = self._pending + chunk
        match = _OPEN.search(text, max(0, len(text) - MARKER_HOLD_CHARS))
        cut = match.start() if match else len(text)
        # trailing blanks wait too: a marker after them takes its space away with it
        while cut > 0 and text[cut - 1] in " \t":
            cut -= 1
        self._pending = text[cut:]
        return strip_markers(text[:cut], self.keep)

    def flush(self) -> str:
        text, self._pending = self._pending, ""
        return strip_markers(text, self.keep)


def label(lang: str) -> str:
    """The line that ends every unsourced answer."""
    return t("trust.unsourced", lang)


def with_label(answer: str, lang: str) -> tuple[str, str]:
    """(the labelled answer, the text added), for an answer that nothing stands behind."""
    added = "\n\n" + label(lang) if answer.strip() else label(lang)
    return answer.rstrip() + added, added


def strip_label(text: str) -> str:
    """An earlier answer as the model may read it back: without our label, in either language."""
    for lang in ("fr", "en"):
        if label(lang) in text:
            text = text.replace(label(lang), "").rstrip()
    return text


def may_answer_unsourced(settings, library: str | None, override: bool | None = None) -> bool:
    """Whether an answer with nothing behind it may be given: the request's override (a class
    or user setting), else the library's policy, else the admin's default."""
    if override is not None:
        return override
    by_library = getattr(settings, "unsourced_by_library", {}) or {}
    policy = by_library.get(library) if library else None
    policy = policy or getattr(settings, "unsourced_answers", "allow")
    return policy != "decline"


def decline_message(lang: str, covering: str | None) -> str:
    """What a learner reads when unsourced answers are off: the library that covers it, or a kind no."""
    if covering:
        return t("trust.use_library", lang, library=covering)
    return t("trust.declined", lang)
