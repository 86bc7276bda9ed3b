"""Counting letters, vowels, consonants, words, characters, digits and one letter's occurrences.

The pure counting functions come first; `detect_count` reads a learner's question
("Combien de lettres comporte le mot « lettre » ?", "how many r's in strawberry")
and returns the verified count with a sentence that states the convention used:

- a letter is an alphabetic character: accented letters count ("élève" has 5),
  hyphens, apostrophes, spaces and digits do not ("arc-en-ciel" has 9), and the
  ligatures œ and æ count as two letters (o+e, a+e);
- French vowels are a, e, i, o, u, y with or without accents; English ones a, e, i, o, u;
- a word is a run of letters or digits between spaces; a French elided form counts
  as a word ("l'arbre" is two words: l' and arbre), a hyphenated compound as one;
- one letter's occurrences ignore case and, for an unaccented letter, accents
  ("combien de e dans élève" is 3); an accented letter is counted exactly.

The object counted must be quoted, named ("le mot lettre", "the word strawberry")
or be a bare word right after "dans"/"in"; "combien de lettres dans l'alphabet" is
a knowledge question and gets nothing.

Constants: `LIGATURES`, `MAX_SPELLED`, `VOWELS_FR`, `VOWELS_EN`, `ELIDED_PREFIXES`, `DETERMINERS`.
"""

from __future__ import annotations

import re
from fractions import Fraction

from ..i18n import t
from .result import SkillResult
from ._numbers import scan_numbers
from ._text import fold, only_fillers, quoted, strip_accents

LIGATURES = {"œ": "oe", "æ": "ae", "Œ": "OE", "Æ": "AE"}
# Counts up to this many letters are spelled out in the statement ("l-e-t-t-r-e").
MAX_SPELLED = 30
VOWELS_FR = frozenset("aeiouy")
VOWELS_EN = frozenset("aeiou")
ELIDED_PREFIXES = frozenset("l d j m n s t c qu jusqu lorsqu puisqu quoiqu presqu".split())
DETERMINERS = frozenset(
    """le la les l un une des du de d the a an this that these those ce cet cette ces mon ma mes ton ta
    tes son sa ses notre nos votre vos leur leurs my your his her our their its each chaque quel
    quelle which what some tout tous toutes any combien how many much qui que quoi y il elle it there
    est-ce""".split()
)

_UNITS = {
    "letters": r"lettres?|letters?",
    "vowels": r"voyelles?|vowels?",
    "consonants": r"consonnes?|consonants?",
    "words": r"mots?|words?",
    "characters": r"caracteres?|characters?|chars?",
    "digits": r"chiffres?|digits?",
}
_NOUN_KEY = {"letters": "letter", "vowels": "vowel", "consonants": "consonant", "words": "word",
             "characters": "character", "digits": "digit", "letter": "time"}
_CUE = r"\b(?:combien|cb|cmb|nombre|compte[rz]?|count|how many|number|quantite)\b"
_TOKEN = r"([^\W_][\w'-]*)"
_NAMED = r"(?:le |du |au |ce |un |the |)(?:mot|prenom|nom|word|name|nombre|number)\s+"
_SENTENCE = r"\b(?:la |cette |de la |de cette |the |this )?(?:phrase|sentence|texte|text)\s*:?\s+"
_AFTER = (r"\s+(?:y a-t-il |il y a |sont |are there |are |there are |do |does )?"
          r"(?:dans|ds|in|de|du|d'|of|a|ont|compte|comporte|contient|possede|fait|has|have|contains|is|pour|for)"
          r"\s+(?:le mot |the word |un mot |le prenom |the name |le nombre |the number )?")
_DOES = r"\s+(?:does|do)\s+(?:the word |the name )?"
_VERBS = r"(?:a|a-t-il|ont|compte|compte-t-il|comporte|comporte-t-il|contient|contient-il|possede|fait|ca fait|has|have|contains|is)"
_LETTER_FOLLOW = r"(?=\s*(?:\"|$|\?|,|dans\b|in\b|apparai|appear|y |est |figure|revient|occur|se trouve|is\b))"
_LETTER_PATTERNS = [
    r"\b(?:la |the )?(?:lettre|letter)\s+([\"'])\s*(?P<l>[a-z])\s*\1",
    r"\b(?:la |the )?(?:lettre|letter)\s+([a-z])(?![\w'-])" + _LETTER_FOLLOW,
    r"(?:combien|how many|count|nombre|number)\s+(?:y a-t-il |il y a |are there |d'occurrences |of )?"
    r"(?:de |d'|d |of |the )?(?:fois )?(?:lettres? |letters? )?[\"']?\s*([a-z])\s*[\"']?(?:'s|s)?"
    r"(?=\s+(?:y a-t-il |il y a |sont |are |are there |there are |does it have )?(?:dans|in|au|within)\s)",
    r"\bcombien de fois\s+(?:apparait |y a-t-il |on trouve |trouve-t-on |voit-on |figure |est )?"
    r"(?:la lettre |le )?\"?([a-z])\"?(?![\w'])",
    r"\bhow many times (?:does|do|is|are) (?:the letter )?\"?([a-z])\"?(?![\w'])",
]
_COUNT_FILLERS = frozenset(
    """a-t-il y a-t-il compte-t-il comporte-t-il contient-il il there are is have has contain contains
    got total au in exactement exactly lettres letters mots words elle apparait-elle appear appears
    apparait fois times figure-t-il bien vraiment really combien how many de d of a contient compte
    comporte possede does do""".split()
)


def _expand(text: str) -> str:
    return "".join(LIGATURES.get(c, c) for c in text)


def count_letters(text: str) -> int:
    """Letters in `text`: accented letters count, œ/æ count two, other characters none."""
    return sum(1 for c in _expand(text) if c.isalpha())


def count_vowels(text: str, lang: str = "fr") -> int:
    """Vowels in `text` (French: a e i o u y, accented or not; English: a e i o u)."""
    vowels = VOWELS_EN if lang == "en" else VOWELS_FR
    return sum(1 for c in strip_accents(_expand(text)).lower() if c in vowels)


def spelled(kind: str, text: str, lang: str = "fr", letter: str = "") -> list[str]:
    """The letters (or vowels) counted in `text`, in order, lower-case, accents kept;
    for one given letter, every letter of `text` with its occurrences in capitals."""
    letters = [c.lower() for c in _expand(text) if c.isalpha()]
    if kind == "letter" and letter:
        return [c.upper() if count_letter(c, letter) else c for c in letters]
    if kind == "vowels":
        vowels = VOWELS_EN if lang == "en" else VOWELS_FR
        return [c for c in letters if strip_accents(c) in vowels]
    return letters if kind == "letters" else []


def count_consonants(text: str, lang: str = "fr") -> int:
    """Letters that are not vowels (see `count_vowels` for the language's vowels)."""
    return count_letters(text) - count_vowels(text, lang)


def _word_tokens(text: str) -> list[str]:
    out = []
    for chunk in text.split():
        parts = [chunk]
        m = re.match(r"^([^\W\d_]+)'(?=[^\W\d_])", chunk)
        if m and m.group(1).lower() in ELIDED_PREFIXES:
            parts = [chunk[: m.end()], chunk[m.end():]]
        out.extend(p for p in parts if any(ch.isalnum() for ch in p))
    return out


def count_words(text: str) -> int:
    """Words in `text`: elided forms ("l'", "qu'") count as words, hyphenated compounds as one."""
    return len(_word_tokens(text))


def count_letter(text: str, letter: str) -> int:
    """Occurrences of `letter`: case-insensitive; accent-insensitive unless `letter` is accented."""
    letter = letter.lower()
    source = _expand(text).lower()
    if strip_accents(letter) == letter:
        source = strip_accents(source)
    return source.count(letter)


def count_characters(text: str) -> int:
    """Characters in `text`, spaces and punctuation included (what `len` says)."""
    return len(text)


def count_digits(text: str) -> int:
    """Digits 0-9 in `text`."""
    return sum(1 for c in text if c.isdigit())


def _count(kind: str, text: str, lang: str) -> int:
    return {
        "letters": count_letters, "words": count_words, "characters": count_characters,
        "digits": count_digits,
    }.get(kind, lambda s: (count_vowels if kind == "vowels" else count_consonants)(s, lang))(text)


def _notes(kind: str, text: str, lang: str, letter: str = "") -> list[str]:
    notes = []
    if kind in ("letters", "vowels", "consonants"):
        if re.search(r"[\s'\-\d]", text) and kind == "letters":
            notes.append("skills.note.not_letters")
        if strip_accents(text) != text and kind == "letters":
            notes.append("skills.note.accents")
        if any(c in LIGATURES for c in text):
            notes.append("skills.note.ligature")
        if kind == "vowels":
            notes.append("skills.note.vowels")
        if kind == "consonants" and "y" in text.lower():
            notes.append("skills.note.consonants")
    elif kind == "words":
        if len(_word_tokens(text)) != len([w for w in text.split() if any(ch.isalnum() for ch in w)]):
            notes.append("skills.note.elision")
        if re.search(r"\w-\w", text):
            notes.append("skills.note.hyphen_word")
    elif kind == "characters":
        notes.append("skills.note.characters")
    elif kind == "letter":
        variants = {c for c in _expand(text) if strip_accents(c).lower() == letter and c != letter}
        if variants and strip_accents(letter) == letter:
            notes.append("skills.note.letter_accents")
    if not notes:
        return []
    return [t(key, lang) for key in notes]


def _note_text(notes: list[str], lang: str) -> str:
    return f" ({(' ; ' if lang == 'fr' else '; ').join(notes)})" if notes else ""


def _noun(kind: str, n: int, lang: str) -> str:
    plural = "one" if (n <= 1 if lang == "fr" else n == 1) else "other"
    return t(f"skills.noun.{_NOUN_KEY[kind]}.{plural}", lang)


def count_fact(kind: str, text: str, lang: str, letter: str = "", claimed: int | None = None) -> SkillResult:
    """The verified `SkillResult` for counting `kind` ("letters", "words", "letter"...) in `text`."""
    from .arithmetic import value_accept

    n = count_letter(text, letter) if kind == "letter" else _count(kind, text, lang)
    note = _note_text(_notes(kind, text, lang, letter), lang)
    noun = _noun(kind, n, lang)
    if kind == "letter":
        key = "skills.count.letter" if n else "skills.count.letter_none"
        statement = t(key, lang, letter=letter, n=n, noun=noun, text=text, note=note)
    else:
        if kind == "words":
            key = "skills.count.sentence"
        elif kind == "digits" and re.fullmatch(r"-?[\d ,.]+", text):
            key = "skills.count.number"
        elif len(text.split()) == 1 and kind != "characters":
            key = "skills.count.word"
        else:
            key = "skills.count.phrase"
        statement = t(key, lang, text=text, n=n, noun=noun, note=note)
    shown = spelled(kind, text, lang, letter)
    if 1 < len(shown) <= MAX_SPELLED and (n or kind != "letter"):
        # Small models misspell while "explaining" a count: give them the letters too.
        key = "skills.count.spelled_vowels" if kind == "vowels" else "skills.count.spelled_letters"
        statement = t(key, lang, statement=statement, items=", ".join(shown) if kind == "vowels" else "-".join(shown))
    if claimed is not None:
        key = "skills.count.check_right" if claimed == n else "skills.count.check_wrong"
        statement = t(key, lang, statement=statement)
    return SkillResult("count", str(n), statement, value_accept(Fraction(n)))


def _original(clause: str, folded: str, start: int, end: int) -> str:
    return clause[start:end] if len(clause) == len(folded) else folded[start:end]


def _letter_spec(folded: str, clause: str) -> tuple[str, int] | None:
    for pattern in _LETTER_PATTERNS:
        m = re.search(pattern, folded)
        if m:
            group = "l" if "l" in m.groupdict() else 1
            return _original(clause, folded, m.start(group), m.end(group)).lower(), m.end()
    m = re.search(r"\bd'([aeiouy])(?:'s|s)?\s+(?:y a-t-il |il y a )?(?:dans|a|au)\b", folded)
    if m and re.search(_CUE, folded[: m.start()]):
        return _original(clause, folded, m.start(1), m.end(1)).lower(), m.end()
    return None


def _clean_object(text: str) -> str:
    return text.strip().strip("?!.,;:\"'«»“” ").strip()


def _acceptable(token: str, rest: str, named: bool = False) -> bool:
    """Can `token` be the counted word? A word named as such ("le mot lettres") may be a count noun."""
    low = strip_accents(token.lower())
    count_noun = named and any(re.fullmatch(p, low) for p in _UNITS.values())
    if low in DETERMINERS or (low in _COUNT_FILLERS and not count_noun) or re.match(r"^(?:l|d|qu)'", low) or not re.search(r"[^\W\d_]", token):
        return False
    return only_fillers(fold(rest), _COUNT_FILLERS)


def _object(kind: str, clause: str, folded: str, after: int, skip: tuple[int, int] | None) -> str | None:
    """The text to count: quoted, after a colon, named, or a bare word next to the unit."""
    quotes = [q for q in quoted(clause) if skip is None or not (q[0] <= skip[0] < q[1])]
    if quotes:
        later = [q for q in quotes if q[0] >= after] or quotes
        return later[0][2] if len(quotes) == 1 or later else None
    colon = clause.find(":")
    if colon >= 0 and kind in ("words", "characters", "letters", "letter", "vowels", "consonants"):
        text = _clean_object(clause[colon + 1 :])
        return text or None
    if kind in ("words", "characters", "letter"):
        m = re.search(_SENTENCE, folded)
        if m:
            return _clean_object(_original(clause, folded, m.end(), len(folded))) or None
    if kind == "letter":
        m = re.search(r"\b(?:dans|in|au|within)\s+(?:le mot |the word |un mot |le prenom |the name )?" + _TOKEN,
                      folded[after:])
        if m:
            token = _original(clause, folded, after + m.start(1), after + m.end(1)).strip("'-")
            if _acceptable(token, folded[after + m.end(1):]):
                return token
        return None
    if kind == "digits":
        m = re.search(r"(?:dans|in|de|of|du)\s+(?:le nombre |the number )?(-?\d[\d ,.]*\d|\d)\s*\??\s*$", folded)
        return m.group(1) if m else None
    for pattern in (_NAMED + _TOKEN, _AFTER + _TOKEN, _DOES + _TOKEN):
        for m in re.finditer(pattern, folded[after:] if pattern.startswith(r"\s") else folded):
            base = after if pattern.startswith(r"\s") else 0
            if pattern.startswith(r"\s") and m.start() != 0:
                continue
            token = _original(clause, folded, base + m.start(1), base + m.end(1)).strip("'-")
            named = pattern.startswith(_NAMED) and re.search(r"\b(?:mot|prenom|nom|word|name)\s", m.group(0))
            if _acceptable(token, folded[base + m.end(1):], bool(named)):
                return token
    return None


_LETTER_LAST = re.compile(
    r"^\s*(?:dans|in)\s+(?:le mot |the word |le prenom |the name )?(?P<obj>\"[^\"]+\"|[^\W\d_][\w'-]*)\s*,?\s*"
    r"(?:combien|how many)\s+(?:y a-t-il |il y a |are there |of )?(?:de |d'|d )?(?:la lettre |the letter |fois la lettre )?"
    r"\"?(?P<l>[a-z])\"?(?:'s|s)?(?:\s+(?:y a-t-il|il y a|are there|trouve-t-on|vois-tu|do you see))?\s*[?!.]*\s*$"
)


def _letter_last(clause: str, folded: str) -> tuple[str, str] | None:
    """(letter, text) for a question that names the word before the letter."""
    m = _LETTER_LAST.match(folded)
    if not m:
        return None
    text = _original(clause, folded, m.start("obj"), m.end("obj")).strip("\"«»“” ")
    if not m.group("obj").startswith('"') and not _acceptable(text, ""):
        return None
    return _original(clause, folded, m.start("l"), m.end("l")).lower(), text


def _object_before(clause: str, folded: str, unit_start: int) -> str | None:
    """"le mot lettre a combien de lettres", "strawberry has how many letters"."""
    m = re.match(r"^\s*(?:dans |in |(?:le |the )?(?:mot|word) )?" + _TOKEN + r"\s*,?\s*" + _VERBS
                 + r"\s+(?:combien|how many)\b", folded)
    if m and m.end() <= unit_start + 1:
        token = _original(clause, folded, m.start(1), m.end(1))
        if _acceptable(token, ""):
            return token
    return None


def _claimed(folded: str, unit_pattern: str) -> int | None:
    """"a-t-il 5 lettres", "has 5 letters": the number a verification question proposes."""
    m = re.search(_VERBS + r"\s+(?:bien |vraiment |exactement |really |exactly |only |seulement )?"
                  r"([a-z0-9-]+(?: [a-z-]+)?)\s+(?:" + unit_pattern + r")\b", folded)
    if not m:
        return None
    numbers = scan_numbers(m.group(1))
    return int(numbers[0].value) if numbers else None


def detect_count(clause: str, lang: str) -> SkillResult | None:
    """The counting fact one clause asks for, or None."""
    folded = fold(clause)
    cue = re.search(_CUE, folded)
    last = _letter_last(clause, folded)
    if last is not None:
        return count_fact("letter", last[1], lang, letter=last[0])
    letter = _letter_spec(folded, clause)
    if letter is not None and cue:
        spec_pos = folded.find(letter[0], cue.start())
        text = _object("letter", clause, folded, letter[1], (spec_pos, spec_pos + 1))
        if text:
            return count_fact("letter", text, lang, letter=letter[0])
    for kind, pattern in _UNITS.items():
        m = re.search(r"\b(?:" + pattern + r")\b", folded[cue.start() :] if cue else folded)
        if m and cue:
            m = re.compile(r"\b(?:" + pattern + r")\b").search(folded, cue.start() + m.start())
        if not m:
            continue
        claimed = None if cue else _claimed(folded, pattern)
        if not cue and claimed is None:
            continue
        text = _object(kind, clause, folded, m.end(), None) or _object_before(clause, folded, m.start())
        if claimed is not None and text is None:
            named = re.search(r"^(?:est-ce que |is it true that |does |do |le |the )?(?:mot |word )?" + _TOKEN, folded)
            text = _original(clause, folded, named.start(1), named.end(1)) if named else None
            if text and not _acceptable(text, ""):
                text = None
        if text:
            return count_fact(kind, text, lang, claimed=claimed)
    return None
