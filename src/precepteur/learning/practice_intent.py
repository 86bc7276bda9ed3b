"""A practice request in the chat: "entraîne-moi sur les piles" -> the skill to practise (pure).

`practice_topic` reads the topic out of a message that asks for practice (French
and English phrasings); `match_skill` finds the skill whose label (or id) shares
the most words with it, words compared without accents, articles or a plural
"s". A question that merely mentions a topic ("c'est quoi une pile ?") is no
practice request.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .answers import LEADING_ARTICLES, normalize

_ASK = re.compile(
    r"^\s*(?:(?:entra[iî]ne|interroge|teste|fais[- ](?:moi[- ])?(?:r[ée]viser|travailler|pratiquer))[- ]?(?:moi)?"
    r"|je\s+veux\s+(?:r[ée]viser|m['’]entra[iî]ner|pratiquer|travailler)|on\s+r[ée]vise|r[ée]vis(?:er|ons|ion)"
    r"|train\s+me|quiz\s+me|drill\s+me|test\s+me|let['’]?s\s+practi[cs]e|practi[cs]e|quiz(?:z)?(?:[- ]moi)?)"
    r"\s+(?:un\s+peu\s+)?(?:sur|on|about|des|du|de|les|la|le|l['’])?\s*(?P<topic>.+?)\s*[?.!…]*\s*$",
    re.IGNORECASE,
)
_STOP = frozenset(LEADING_ARTICLES) | {"sur", "on", "about", "et", "and", "notion", "chapitre", "skill"}


def practice_topic(message: str) -> str | None:
    """The topic a practice request names, or None when the message is not one."""
    match = _ASK.match(message or "")
    if not match:
        return None
    topic = match.group("topic").strip()
    return topic or None


def _words(text: str) -> set[str]:
    out = set()
    for word in re.split(r"[\s'’\-_:./]+", normalize(text)):
        if word and word not in _STOP and not word.isdigit():
            out.add(word[:-1] if len(word) > 3 and word.endswith(("s", "x")) else word)
    return out


def match_skill(topic: str, skills: Iterable[tuple[str, str]]) -> str | None:
    """The id of the skill (id, label) that best matches `topic`; None when none shares a word."""
    wanted = _words(topic)
    if not wanted:
        return None
    best, best_score = None, 0.0
    for ident, label in skills:
        have = _words(label) or _words(ident.rsplit(":", 1)[-1])
        common = len(wanted & have)
        score = common / len(wanted | have) if common else 0.0
        if score > best_score:
            best, best_score = ident, score
    return best


__all__ = ["match_skill", "practice_topic"]
