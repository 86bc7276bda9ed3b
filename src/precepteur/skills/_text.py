"""Text plumbing shared by the skills: normalisation, quotes, clauses and filler words.

Learners type with or without accents, with typographic quotes and apostrophes,
non-breaking or thin spaces, Unicode minus and multiplication signs. Everything the
intent parser matches goes through `fold` (lower case, no accents, ASCII quotes and
operators, single spaces); the text a skill reports (a quoted word) is taken from
`clean`, which keeps accents and case.

Constants: `QUOTE_PAIRS` (opening -> closing quote), `FILLERS` (words that may surround
a computation without changing it: politeness, question words, "calcule"...).
"""

from __future__ import annotations

import re
import unicodedata

QUOTE_PAIRS = {"«": "»", "“": "”", "„": "“", "‹": "›", '"': '"', "`": "`"}

_SPACES = re.compile(r"[\u00a0\u2000-\u200b\u202f\u205f\u3000\t]")
_APOSTROPHES = re.compile(r"[’‘ʼ´`′]")
_DASHES = re.compile(r"[−–—‐‑]")
_MULTI_SPACE = re.compile(r" {2,}")

# Words that may surround a computation without adding content, in both languages
# (already folded: lower case, no accents). A question whose other words are not all
# here is not a bare computation, and a wrong verified fact is worse than none.
FILLERS = frozenset(
    """
    combien font fait ca c cest c'est est sont egal egale egalent egaux vaut valent vaut-il fait-il font-ils
    quel quelle quels quelles le la les l de du des d resultat resultats valeur reponse
    calcule calculez calculer calcul calculs effectue effectuez effectuer evalue evaluez evaluer
    donne donnez donner moi me m dis dites dire peux peut pouvez pourrais pourriez tu vous
    savoir sais veux voudrais voudrait aimerais je j stp svp sil s'il te plait plais merci
    bonjour salut coucou alors donc aide aidez aider a faire operation suivante suivant cette
    ce que qu quoi exactement trouve trouvez trouver on obtient obtenir obtiens rapidement vite
    svp. juste vrai correct est-ce est-ce-que combien-font voici mental mentalement
    expression nombre nombres egalite stp. svp! please pls plz what whats what's is the result
    results of how much does do equal equals make makes give gives calculate compute evaluate
    work out can could you tell me i want to know would like answer value find hi hello hey
    thanks thank quick quickly question a an this expression operation following be it it's
    right true that if so then value? its s il cb cmb represente represent represents
    """.split()
)

_PUNCT_WORD = re.compile(r"^[\W_]+$")


def clean(text: str) -> str:
    """NFC text with ASCII apostrophes and dashes, single ordinary spaces, stripped."""
    text = unicodedata.normalize("NFC", text)
    text = _SPACES.sub(" ", text)
    text = _APOSTROPHES.sub("'", text)
    text = _DASHES.sub("-", text)
    text = text.replace("\r", "")
    return _MULTI_SPACE.sub(" ", text).strip()


_LABEL = re.compile(
    r"^\s*(?:(?:exercice|exercise|exo|ex|question|probleme|problème|problem|partie|part|q)\.?\s*"
    r"(?:n[°o]\.?\s*)?\d{1,3}[a-z]?\s*(?:[:.)-]|\s(?=\D))|\d{1,2}\s*\)\s+|[a-h]\)\s+)\s*",
    re.IGNORECASE,
)


def strip_label(text: str) -> str:
    """`text` without a leading exercise label ("Exercice 2 :", "Question 3)", "b) ")."""
    m = _LABEL.match(text)
    return text[m.end() :] if m and text[m.end() :].strip() else text


def strip_accents(text: str) -> str:
    """The text without diacritics (é -> e, ç -> c); œ and æ are kept as they are."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def fold(text: str) -> str:
    """Lower case, no accents, ASCII quotes: the form every intent pattern is written for."""
    text = strip_accents(clean(text)).lower()
    for opening, closing in QUOTE_PAIRS.items():
        text = text.replace(opening, '"').replace(closing, '"')
    return text


def quoted(text: str) -> list[tuple[int, int, str]]:
    """Quoted segments of `text` as (start, end, inner text), in order.

    Double and typographic quotes first; single quotes only where they are not an
    apostrophe inside a word ('aujourd'hui' is one quoted word).
    """
    found: list[tuple[int, int, str]] = []
    for opening, closing in QUOTE_PAIRS.items():
        pattern = re.escape(opening) + r"\s*(.+?)\s*" + re.escape(closing)
        for m in re.finditer(pattern, text):
            if not any(s <= m.start() < e for s, e, _ in found):
                found.append((m.start(), m.end(), m.group(1)))
    for m in re.finditer(r"(?<![\w'])'((?:[^'\n]|(?<=\w)'(?=\w))+?)'(?![\w'])", text):
        if not any(s <= m.start() < e or s < m.end() <= e for s, e, _ in found):
            found.append((m.start(), m.end(), m.group(1).strip()))
    return sorted(found)


def mask_quotes(text: str) -> str:
    """`text` with every quoted segment replaced by spaces of the same length."""
    chars = list(text)
    for start, end, _ in quoted(text):
        chars[start:end] = " " * (end - start)
    return "".join(chars)


_CLAUSE_BREAK = re.compile(
    r"[?;\n]+|(?<=[^\d\s])\.\s+(?=\S)|\.\s+(?=[A-ZÀ-Ý])"
    r"|(?i:,?\s+(?:et|and|puis|then|also|aussi|ensuite)\s+(?=(?:combien|quel|quelle|que|calcule|resous|résous|"
    r"convertis|how|what|calculate|compute|solve|convert)\b))"
)


def clauses(text: str) -> list[str]:
    """The separate questions of a message (split outside quotes at ?, ;, line and sentence ends)."""
    text = clean(text)
    masked = mask_quotes(text)
    parts, start = [], 0
    for m in _CLAUSE_BREAK.finditer(masked):
        parts.append(text[start : m.start()])
        start = m.end()
    parts.append(text[start:])
    return [p.strip(" ,.") for p in parts if p.strip(" ,.?!")]


def words(folded: str) -> list[str]:
    """The word tokens of a folded text (apostrophe-elided prefixes split off)."""
    out = []
    for w in re.findall(r"[a-z0-9][a-z0-9'-]*", folded):
        w = w.strip("'-")
        parts = re.split(r"(?<=^[a-z])'|(?<=^qu)'", w)
        out.extend(p for p in parts if p)
    return out


def only_fillers(folded: str, extra: frozenset[str] | set[str] = frozenset()) -> bool:
    """Are all words of `folded` filler words (or in `extra`)?"""
    allowed = FILLERS | set(extra)
    for w in words(folded):
        if w in allowed or _PUNCT_WORD.match(w):
            continue
        if "-" in w and all(part in allowed for part in w.split("-") if part):
            continue
        return False
    return True
