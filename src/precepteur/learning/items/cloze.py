"""Cloze items made by code: one key term of a sentence becomes the blank (pure).

The term is chosen by what it says about the course: the subject of a definition
("Une _____ est un attribut dont la valeur permet d'identifier...") first, then
quoted terms, acronyms and names, then noun phrases, then single nouns met in the
same skill. A term that occurs twice in the sentence, or whose blank would leave
too few words to think with, is not used.

Constants: MIN_CONTEXT_WORDS, DEFINITION_SUBJECT.
"""

from __future__ import annotations

import re

from ...library.analysis import FRENCH_STOP_WORDS
from ..answers import fold, normalize
from ._build import BLANK, Context, draft
from .terms import KIND_RANK, VERB_FORMS, TermIndex
from .text import Sentence, words
from .types import Item

MIN_CONTEXT_WORDS = 5
DEFINITION_SUBJECT = re.compile(
    r"^(?:(?:Une|Un|Les|Le|La|Des)\s+|L['’]\s*)(?P<term>.+?)\s+(?:est|sont|désigne|désignent|permet|permettent|"
    r"consiste|correspond|signifie|repose|reposent|s['’]appuie|s['’]appuient|utilise|utilisent|possède|possèdent)\b"
)


def maximal(shown: str, end: int) -> bool:
    """Whether a term ending at `end` is not cut short: no content word glued after it
    ("programmation orientée" in "programmation orientée objet" is cut short)."""
    following = re.match(r"\s+([^\W\d_][\w'’-]*)", shown[end:])
    if not following:
        return True
    word = following.group(1)
    return not word[:1].islower() or fold(word).split("'")[0] in FRENCH_STOP_WORDS or fold(word) in VERB_FORMS


def key_spans(sentence: Sentence, terms: TermIndex, skill: str, *, for_question: bool = False) -> list[tuple[float, int, int]]:
    """(score, start, end) of the terms that could be an item's key in the sentence's display text, best first.

    With `for_question` (a question the model writes around the key) a single common noun is a key
    only as the subject of a definition, since the question would repeat it anyway."""
    shown = sentence.display
    found = terms.in_text(shown)
    subject = DEFINITION_SUBJECT.match(shown)
    ranked = []
    for start, end, term in found:
        surface = shown[start:end]
        if len(re.findall(r"(?<![\w-])" + re.escape(surface) + r"(?![\w-])", shown)) != 1:
            continue
        if sum(1 for _s, _e, t in found if t.norm == term.norm) > 1:
            continue
        rest = shown[:start] + shown[end:]
        if len(words(rest)) < MIN_CONTEXT_WORDS:
            continue
        if term.kind == "phrase" and not maximal(shown, end):
            continue
        is_subject = bool(subject and subject.start("term") == start and subject.end("term") == end)
        score = 10 - 2 * KIND_RANK[term.kind] + min(3.0, term.count / 5)
        if skill in term.topics:
            score += 2
        if term.kind == "word" and (skill not in term.topics or (for_question and not is_subject)):
            continue
        if is_subject:
            score += 6
        ranked.append((score, start, end))
    ranked.sort(key=lambda r: (-r[0], r[1]))
    return ranked


def make_cloze(sentence: Sentence, terms: TermIndex, context: Context, limit: int = 2) -> list[Item]:
    """Up to `limit` cloze candidates from `sentence` (different blanks), best first."""
    shown = sentence.display
    items = []
    for _score, start, end in key_spans(sentence, terms, context.skill)[:limit]:
        key = shown[start:end]
        prompt = shown[:start] + BLANK + shown[end:]
        term = terms.get(key)
        variants = [term.text] if term is not None and normalize(term.text) != normalize(key) else []
        items.append(draft(context, sentence, "cloze", "cloze.terms", prompt=prompt, key=key, variants=variants))
    return items


__all__ = ["DEFINITION_SUBJECT", "key_spans", "make_cloze", "maximal"]
