"""Grading one answer to one item (pure functions; the model is consulted only through `judge`).

- `mcq`: the text of a choice (normalised), or its letter ("B") or number ("2");
- `true_false`: vrai/faux, v/f, oui/non, true/false;
- `cloze`: normalised match (case, accents, spaces, elisions, a leading article),
  with a typo within a small edit distance accepted (TYPO_DISTANCE);
- `numeric`: French formats ("3,5", "1 000", "7/8", "50 %", units), within the item's tolerance;
- `short_answer`: normalised match against the key and variants, or a short answer
  that contains the key without negating it; only then, when a `judge` is given,
  the model's rubric decides (`Grade.judged` records it). A judge that fails
  (timeout, broken JSON, no model) decides nothing: the answer stays graded by
  code, `Grade.judge_failed` records it and the feedback says so.

Feedback says why and quotes the source; in Socratic mode the first wrong answer
gets a hint built from the passage (never the key) instead of the answer.
`Grade.expected` is always an answer that grades right (the key).

Constants: TYPO_DISTANCE, MAX_EXTRA_WORDS, TRUE_WORDS, FALSE_WORDS, MAX_QUOTE_CHARS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from ..i18n import t
from .answers import fold, has_negation, normalize, parse_quantity, same_quantity, words
from .items.types import FALSE, TRUE, Item

# (longest key length, edits allowed): "recursivite" may lose a letter, a 4-letter word none
# (LIFO is not FIFO); an acronym never.
TYPO_DISTANCE = ((4, 0), (8, 1), (10_000, 2))
MAX_EXTRA_WORDS = 4
TRUE_WORDS = frozenset({"vrai", "v", "oui", "juste", "exact", "correct", "true", "t", "yes", "y"})
FALSE_WORDS = frozenset({"faux", "f", "non", "inexact", "incorrect", "false", "no", "n"})
MAX_QUOTE_CHARS = 300
LETTERS = "abcdefghij"
GRADED_BY_CODE, GRADED_BY_MODEL, GRADED_BY_FALLBACK = "code", "model", "fallback"

Judge = Callable[[Item, str], bool]


@dataclass(frozen=True)
class Grade:
    """The outcome of one answer: right or not, what grades right, why, and a hint when one is due."""

    correct: bool
    expected: str
    feedback: str
    judged: bool = False  # the model's rubric decided
    hint: str | None = None
    judge_failed: bool = False  # the rubric was asked but could not answer: graded by code

    @property
    def graded_by(self) -> str:
        """GRADED_BY_MODEL, GRADED_BY_CODE, or GRADED_BY_FALLBACK (code, the model having failed)."""
        return GRADED_BY_MODEL if self.judged else GRADED_BY_FALLBACK if self.judge_failed else GRADED_BY_CODE

    def to_dict(self) -> dict:
        return {"correct": self.correct, "expected": self.expected, "feedback": self.feedback,
                "judged": self.judged, "hint": self.hint, "graded_by": self.graded_by}


def _typo_allowance(key: str, original: str) -> int:
    if original.strip().isupper():
        return 0
    return next(edits for longest, edits in TYPO_DISTANCE if len(key) <= longest)


def _accepted(item: Item) -> list[str]:
    return [normalize(a) for a in [item.key, *item.variants] if normalize(a)]


def _choice_of(item: Item, answer: str) -> str | None:
    """The choice an MCQ answer designates: its text, its letter or its number."""
    choices = item.choices or []
    wanted = normalize(answer)
    for choice in choices:
        if normalize(choice) == wanted:
            return choice
    token = fold(answer).strip().strip(".)").strip()
    if len(token) == 1 and token in LETTERS[: len(choices)]:
        return choices[LETTERS.index(token)]
    if token.isdigit() and 1 <= int(token) <= len(choices):
        return choices[int(token) - 1]
    return None


def _truth(answer: str) -> str | None:
    folded = normalize(answer)
    if folded in TRUE_WORDS:
        return TRUE
    if folded in FALSE_WORDS:
        return FALSE
    return None


def _cloze(item: Item, answer: str) -> tuple[bool, bool]:
    """(right, right only up to a typo)."""
    given = normalize(answer)
    accepted = _accepted(item)
    if given in accepted:
        return True, False
    if not given or any(c.isdigit() for c in given):
        return False, False
    for original in [item.key, *item.variants]:
        key = normalize(original)
        if key and not any(c.isdigit() for c in key) and Levenshtein.distance(given, key) <= _typo_allowance(key, original):
            return True, True
    return False, False


def _numeric(item: Item, answer: str) -> bool:
    given = parse_quantity(answer)
    if given is None:
        return False
    for accepted in [item.key, *item.variants]:
        key = parse_quantity(accepted)
        if key is not None and same_quantity(given, key, item.tolerance):
            return True
    return False


def _contains_key(item: Item, answer: str) -> bool:
    """A short answer that states the key (or a variant) in a few more words, without negating it."""
    given = words(answer)
    if has_negation(answer):
        return False
    for accepted in [item.key, *item.variants]:
        key = words(accepted)
        if not key or len(given) > len(key) + MAX_EXTRA_WORDS:
            continue
        if any(given[i : i + len(key)] == key for i in range(len(given) - len(key) + 1)):
            return True
    return False


def _quote(item: Item) -> str:
    quote = " ".join(item.source.quote.split())
    return quote if len(quote) <= MAX_QUOTE_CHARS else quote[: MAX_QUOTE_CHARS - 1].rstrip() + "…"


def _why(item: Item, lang: str) -> str:
    parts = [item.explanation.strip()] if item.explanation.strip() else []
    if item.source.quote:
        parts.append(t("grading.source", lang, locator=item.source.locator or item.source.document, quote=_quote(item)))
    return " ".join(parts)


def hint_for(item: Item, lang: str = "fr") -> str:
    """The item's hint (built from the passage at generation time), or where to look again."""
    if item.hint.strip():
        return item.hint.strip()
    return t("grading.hint_where", lang, locator=item.source.locator or item.source.document or "?")


def grade(item: Item, answer: str, *, mode: str = "explain", attempt: int = 1, judge: Judge | None = None,
          lang: str = "fr") -> Grade:
    """Grade `answer` to `item` (see the module docstring)."""
    answer = answer if isinstance(answer, str) else str(answer or "")
    expected = item.key
    judged = close = failed = False
    if not answer.strip():
        correct = False
    elif item.kind == "mcq":
        chosen = _choice_of(item, answer)
        correct = chosen is not None and normalize(chosen) in _accepted(item)
    elif item.kind == "true_false":
        correct = _truth(answer) == _truth(item.key)
    elif item.kind == "cloze":
        correct, close = _cloze(item, answer)
    elif item.kind == "numeric":
        correct = _numeric(item, answer)
    else:
        correct = normalize(answer) in _accepted(item) or _contains_key(item, answer)
        if not correct and judge is not None:
            try:
                correct, judged = bool(judge(item, answer)), True
            except Exception:  # a judge that fails (timeout, broken JSON) decides nothing
                correct, judged, failed = False, False, True
    why = _why(item, lang)
    if failed:
        why = " ".join(p for p in (t("grading.judge_failed", lang), why) if p)
    if correct:
        head = t("grading.right_spelling", lang, expected=expected) if close else t("grading.right", lang)
        if judged:
            head += " " + t("grading.judged", lang)
        return Grade(True, expected, " ".join(p for p in (head, why) if p), judged, None, failed)
    if mode == "socratic" and attempt <= 1:
        hint = hint_for(item, lang)
        return Grade(False, expected, t("grading.hint", lang, hint=hint), judged, hint, failed)
    key = "grading.empty" if not answer.strip() else "grading.wrong"
    head = t(key, lang, expected=expected)
    if judged:
        head += " " + t("grading.judged", lang)
    return Grade(False, expected, " ".join(p for p in (head, why) if p), judged, None, failed)


def replay_judge(graded_by: str, correct: bool) -> Judge | None:
    """A judge that gives back a stored verdict, so an answer's feedback can be shown again without the model."""
    if graded_by == GRADED_BY_MODEL:
        return lambda _item, _answer: correct
    if graded_by == GRADED_BY_FALLBACK:
        def failed(_item, _answer):
            raise RuntimeError("the model could not be consulted")
        return failed
    return None


__all__ = ["GRADED_BY_CODE", "GRADED_BY_FALLBACK", "GRADED_BY_MODEL", "Grade", "Judge", "grade", "hint_for",
           "replay_judge"]
