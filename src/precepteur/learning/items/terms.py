"""The key terms of a library: what a cloze blanks, what a false statement swaps, what a
multiple-choice item may offer as a wrong choice (pure).

Terms are found by their shape in the library's prose, no tagger needed:
- `quoted`: one to four words the teacher put in quotes ("clé primaire");
- `acronym`: RIP, OSPF, SGBD, FIFO (also SQL keywords such as SELECT);
- `name`: a capitalised word inside a sentence (Dijkstra, Bellman-Ford, Python);
- `phrase`: a noun phrase after an article, one noun plus an adjective or a
  "de" complement ("table de routage", "arbre binaire"), met at least twice;
- `word`: one content noun after an article, met at least MIN_WORD_COUNT times.

Each term keeps how often and in which topics it appears; `siblings` gives other
terms of the same kind, those of the same topic first (the most plausible confusions).

Constants: MIN_PHRASE_COUNT, MIN_WORD_COUNT, MIN_TERM_CHARS, GENERIC_WORDS, KIND_RANK.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ...library.analysis import FRENCH_STOP_WORDS
from ..answers import fold, normalize
from .text import DEICTIC_WORDS

DEICTIC = DEICTIC_WORDS | {"permettant", "concerne", "concernee", "egale", "egal", "appartenant", "utilise", "suivi"}

MIN_PHRASE_COUNT = 2
MIN_WORD_COUNT = 3
MIN_TERM_CHARS = 3
KIND_RANK = {"quoted": 0, "acronym": 1, "name": 1, "phrase": 2, "word": 3}
GENERIC_WORDS = frozenset(
    """exemple exemples cas partie parties fois chose choses facon maniere type types nombre nombres
    element elements ensemble suite fin debut moment notion notions principe probleme problemes solution
    solutions niveau niveaux place role point points question questions situation situations idee idees
    terme termes mot mots sens lieu lieux endroit part parts reste rest methode methodes resultat
    resultats valeur valeurs objet objets donnee donnees information informations etape etapes
    fonctionnement utilisation possibilite possibilites besoin besoins difference differences
    particulier general generale autre autres meme memes plupart personne personnes gens chose
    premier premiere dernier derniere second seconde nombreux nombreuses plusieurs certains certaines
    different differents differente differentes grand grande grands grandes petit petite petits petites
    simple simples bon bonne bons bonnes nouveau nouvelle nouveaux nouvelles seul seule seuls seules
    tel telle tels telles important importante importants importantes""".split()
)
_ROMAN = re.compile(r"^(?=[IVXLCDM]+$)M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_WORD = r"[^\W\d_](?:[^\W_]|-(?=[^\W_]))*"
_ACRONYM = re.compile(r"(?<![\w-])([A-Z][A-Z0-9]{1,7})(?![\w-])")
_CAPITALISED = re.compile(r"(?<=[a-zà-ÿ,;:] )([A-Z][a-zà-ÿ]{2,}(?:-[A-Z][a-zà-ÿ]+)?)(?![\w'-])(?! [A-Z0-9]\b)")
_QUOTED = re.compile(r"[\"“«]\s?([^\W\d_][^\W\d_ '’-]*(?:[ '’-][^\W\d_]+){0,3})\s?[\"”»]")
NOT_NAMES = frozenset({"True", "False", "None", "Vrai", "Faux"})
_ARTICLE = re.compile(
    r"(?<![\w'’])(?P<article>(?:le|la|les|un|une|des|du|au|aux)\s+|l['’])"
    r"(" + _WORD + r")(?:\s+(?!(?:de|d|à|du|des|et|ou|en|est|sont|a|au|aux|par|pour|sur|dans)\b)(" + _WORD + r"))?"
    r"(?:\s+(de\s+|d['’]|à\s+)(" + _WORD + r"))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Term:
    """A key term: its usual spelling, its lemma (`norm`), kind, and where it occurs."""

    text: str
    norm: str
    kind: str
    count: int
    topics: frozenset[str]
    gender: str = ""  # "f", "m", "p" (plural) or "" (unknown): a swap keeps the article right
    left: frozenset[str] = frozenset()  # words met just before it ("protocole" for RIP and OSPF)


def lemma(text: str) -> str:
    """A crude French lemma of a term: normalised, each word's plural -s/-x dropped."""
    return " ".join(w[:-1] if len(w) > 3 and w[-1] in "sx" else w for w in normalize(text).split())


def _content(word: str) -> bool:
    folded = fold(word)
    return (len(folded) >= MIN_TERM_CHARS and folded not in FRENCH_STOP_WORDS and folded not in GENERIC_WORDS
            and not folded.endswith(("ment",)) and word[:1].islower())


VERB_FORMS = frozenset(
    """renvoie renvoient contient contiennent permet permettent utilise utilisent possede possedent peut
    peuvent doit doivent fait font va vont donne donnent prend prennent devient deviennent reste restent
    represente representent correspond correspondent depend dependent existe existent""".split()
)


def _adjective(word: str) -> bool:
    """A word that may qualify a noun in a term ("binaire", "étrangère"), not a verb or a participle in -ant."""
    folded = fold(word)
    return (_content(word) and folded not in DEICTIC and folded not in VERB_FORMS
            and not folded.endswith(("ant", "ants")))


GENDERS = {"la": "f", "une": "f", "le": "m", "un": "m", "du": "m", "au": "m", "les": "p", "des": "p", "aux": "p"}


def candidates(text: str) -> list[tuple[str, str, str]]:
    """(surface, kind, gender) of every term-shaped span of `text`, in order of appearance (repeats
    kept); gender is "f", "m" or "p" (plural) from the article before it, "" when none says."""
    found: list[tuple[int, str, str, str]] = []
    for match in _QUOTED.finditer(text):
        inner = match.group(1).strip()
        if 1 <= len(inner.split()) <= 4 and any(c.isalpha() for c in inner):
            found.append((match.start(1), inner, "quoted", ""))
    for match in _ACRONYM.finditer(text):
        word = match.group(1)
        if sum(c.isupper() for c in word) >= 2 and not _ROMAN.match(word):
            found.append((match.start(1), word, "acronym", ""))
    for match in _CAPITALISED.finditer(text):
        if match.group(1) not in NOT_NAMES:
            found.append((match.start(1), match.group(1), "name", ""))
    for match in _ARTICLE.finditer(text):
        article, head, adjective, link, complement = match.groups()
        if not _content(head):
            continue
        gender = GENDERS.get(fold(article).strip(), "")
        start = match.start("article") + len(article)
        found.append((start, head, "word", gender))
        if adjective and _adjective(adjective):
            found.append((start, f"{head} {adjective}", "phrase", gender))
        elif (link and complement and (_content(complement) or complement[:1].isupper())
              and fold(complement) not in DEICTIC and not fold(complement).endswith(("er", "ir"))):
            joiner = link.strip() if link.endswith(("'", "’")) else link.strip() + " "
            found.append((start, f"{head} {joiner}{complement}", "phrase", gender))
    return [(surface, kind, gender) for _, surface, kind, gender in sorted(found, key=lambda f: f[0])]


def inflect(text: str, plural: bool) -> str:
    """`text` in the plural or the singular (crude: a final -s added or dropped on each lower-case word)."""
    out = []
    for word in text.split(" "):
        if not word[:1].islower() or fold(word) in ("de", "d", "a", "du", "des") or "'" in word or "’" in word:
            out.append(word)
        elif plural and word[-1] not in "sxz":
            out.append(word + "s")
        elif not plural and word[-1] == "s" and len(word) > 3:
            out.append(word[:-1])
        else:
            out.append(word)
    return " ".join(out)


def is_plural(text: str) -> bool:
    head = normalize(text).split()[:1]
    return bool(head) and head[0][-1:] in ("s", "x") and len(head[0]) > 3


class TermIndex:
    """The key terms of a library, built from its prose grouped by topic."""

    def __init__(self, terms: Mapping[str, Term]):
        self.terms = dict(terms)
        self._by_kind: dict[str, list[Term]] = defaultdict(list)
        for term in self.terms.values():
            self._by_kind[term.kind].append(term)
        for same in self._by_kind.values():
            same.sort(key=lambda t: (-t.count, t.norm))

    @classmethod
    def build(cls, texts_by_topic: Mapping[str, Iterable[str]]) -> TermIndex:
        counts: Counter[tuple[str, str]] = Counter()
        surfaces: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        topics: dict[tuple[str, str], set[str]] = defaultdict(set)
        genders: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        lefts: dict[tuple[str, str], set[str]] = defaultdict(set)
        for topic, texts in texts_by_topic.items():
            for text in texts:
                for surface, kind, gender in candidates(text):
                    if kind in ("acronym", "name"):
                        for match in re.finditer(r"([^\W\d_]+)[\s']+" + re.escape(surface) + r"(?![\w-])", text):
                            lefts[(lemma(surface), kind)].add(lemma(match.group(1)))
                    key = (lemma(surface), kind)
                    if not key[0]:
                        continue
                    counts[key] += 1
                    surfaces[key][surface] += 1
                    topics[key].add(topic)
                    if gender:
                        genders[key][gender] += 1
        terms: dict[str, Term] = {}
        for (norm, kind), count in counts.items():
            wanted = {"phrase": MIN_PHRASE_COUNT, "word": MIN_WORD_COUNT}.get(kind, 1)
            if count < wanted:
                continue
            said = genders[(norm, kind)].most_common(1)
            term = Term(surfaces[(norm, kind)].most_common(1)[0][0], norm, kind, count,
                        frozenset(topics[(norm, kind)]), said[0][0] if said else "", frozenset(lefts[(norm, kind)]))
            held = terms.get(norm)
            if held is None or KIND_RANK[kind] < KIND_RANK[held.kind]:
                if kind == "name" and (norm, "word") in counts:
                    continue  # written in lower case elsewhere: a common noun that began a clause
                terms[norm] = term
        return cls(terms)

    def get(self, text: str) -> Term | None:
        return self.terms.get(lemma(text))

    def in_text(self, text: str) -> list[tuple[int, int, Term]]:
        """Non-overlapping occurrences of known terms in `text` (longest first), as (start, end, term)."""
        spans: list[tuple[int, int, Term]] = []
        for surface in dict.fromkeys(surface for surface, _kind, _gender in candidates(text)):
            term = self.get(surface)
            if term is None:
                continue
            for match in re.finditer(r"(?<![\w-])" + re.escape(surface) + r"(?![\w-])", text):
                spans.append((match.start(), match.end(), term))
        spans.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
        kept: list[tuple[int, int, Term]] = []
        for start, end, term in spans:
            if all(end <= a or start >= b for a, b, _ in kept):
                kept.append((start, end, term))
        return sorted(kept, key=lambda s: s[0])

    def siblings(self, term: Term, topic: str | None = None, exclude: Iterable[str] = (),
                 left: str | None = None) -> list[Term]:
        """Other terms of the same kind, none in `exclude`: those met after the same word `left` first
        ("protocole RIP" -> "protocole OSPF"), then those of the same topic, then the most frequent."""
        banned = {lemma(x) for x in exclude} | {term.norm}
        same = [t for t in self._by_kind.get(term.kind, []) if t.norm not in banned
                and t.norm not in term.norm and term.norm not in t.norm]
        if term.kind in ("phrase", "word"):
            # "algorithme de Dijkstra" goes with "algorithme de Bellman-Ford", not with "table de routage".
            head = term.norm.split()[0]
            related = [t for t in same if t.norm.split()[0] == head]
            same = related + [t for t in same if t not in related and len(t.norm.split()) == len(term.norm.split())]
        in_topic = [t for t in same if topic is not None and topic in t.topics]
        ranked = in_topic + [t for t in same if t not in in_topic]
        if left:
            after = lemma(left)
            ranked = [t for t in ranked if after in t.left] + [t for t in ranked if after not in t.left]
        return ranked

    def left_of(self, text: str, start: int) -> str | None:
        """The word just before position `start` of `text` (for `siblings`), or None."""
        match = re.search(r"([^\W\d_]+)[\s']+$", text[:start])
        return match.group(1) if match else None


__all__ = ["GENERIC_WORDS", "VERB_FORMS", "Term", "TermIndex", "candidates", "inflect", "is_plural", "lemma"]
