"""The text the guard's rules read: one canonical form for every way of writing a word.

Learners (and people trying to get past a filter) write "SUICIIIDE", "s u i c i d e",
"su1c1d3", "jveu mourir", "sùicide" with a Cyrillic "і", or hide a zero-width space
inside a word. `normalize(text)` undoes all of that, in this order:

1. NFKC (full-width letters, ligatures, compatibility forms), zero-width and other
   invisible format characters removed, confusable letters (Cyrillic, Greek) mapped to
   their Latin look-alikes;
2. lower case, accents folded, apostrophes and dashes unified, every run of
   non-letters (but digits) becomes one space;
3. leetspeak decoded inside words that mix letters and digits or symbols
   ("m0urir", "$uicide", "h4rcel3ment") but never in numbers or algebra ("53x");
4. letter spacing joined ("s u i c i d e", "s.u.i.c.i.d.e" -> "suicide");
5. a letter repeated three times or more kept once ("mouriiiir" -> "mourir");
6. French texting spellings expanded ("jveux" -> "je veux", "chui" -> "je suis"), and
   a "j" or "m" glued to the next word split off ("jrecois", "mtraitent", "jaimerais");
7. a few long, distinctive words fixed when misspelt by one letter, the first
   letter kept ("sucide", "harcelemment", "scarifcation"), see FUZZY_WORDS.

The result is plain ASCII words separated by single spaces, with apostrophes turned
into spaces ("j'en peux plus" -> "j en peux plus"), which is what the policy's
patterns are written against.

Constants: ZERO_WIDTH, CONFUSABLES, LEET, TEXTING, FUZZY_WORDS, NOT_FUZZED.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u2061\u2062\u2063\u2064\u034f")
# Letters from other scripts that look Latin (the usual homoglyph tricks).
CONFUSABLES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
    "ɡ": "g", "һ": "h", "ӏ": "l", "ո": "n", "ս": "u", "ց": "g", "α": "a", "β": "b", "ε": "e",
    "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
    "А": "a", "В": "b", "Е": "e", "К": "k", "М": "m", "Н": "h", "О": "o", "Р": "p", "С": "c",
    "Т": "t", "Х": "x", "І": "i", "Ј": "j", "Ѕ": "s", "Α": "a", "Β": "b", "Ε": "e", "Η": "h",
    "Ι": "i", "Κ": "k", "Μ": "m", "Ν": "n", "Ο": "o", "Ρ": "p", "Τ": "t", "Υ": "y", "Χ": "x",
    "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe",
})
LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s",
        "€": "e", "!": "i", "|": "l", "£": "l", "+": "t"}
# Texting spellings of French (whole tokens only), expanded before the rules read them.
TEXTING = {
    "jai": "j ai", "g": "j ai", "jsuis": "je suis", "jsui": "je suis", "chui": "je suis",
    "chuis": "je suis", "jsu": "je suis", "chu": "je suis", "shui": "je suis", "jss": "je suis",
    "jveux": "je veux", "jveu": "je veux", "jve": "je veux", "jpeux": "je peux", "jpeu": "je peux",
    "jpx": "je peux", "jvais": "je vais", "jvai": "je vais", "jme": "je me", "jmen": "je m en",
    "jen": "j en", "jsais": "je sais", "jsai": "je sais", "jcrois": "je crois", "jfais": "je fais",
    "jtrouve": "je trouve", "jdois": "je dois", "jarrive": "j arrive", "jaime": "j aime",
    "jpense": "je pense", "jmsens": "je me sens", "jme sens": "je me sens", "jsens": "je sens",
    "mfait": "me fait", "mtn": "maintenant", "ya": "il y a", "yen": "il y en", "pk": "pourquoi",
    "pq": "pourquoi", "pourkoi": "pourquoi", "koi": "quoi", "ke": "que", "ki": "qui", "tt": "tout",
    "tlm": "tout le monde", "bcp": "beaucoup", "tjrs": "toujours", "tjs": "toujours",
    "qqn": "quelqu un", "qqun": "quelqu un", "kelkun": "quelqu un", "qq": "quelque", "pr": "pour",
    "ds": "dans", "ac": "avec", "avc": "avec", "vs": "vous", "stp": "s il te plait",
    "svp": "s il vous plait", "mm": "meme", "dla": "de la", "jamai": "jamais", "tro": "trop",
    "ptet": "peut etre", "pe": "peut etre", "oklm": "au calme", "wsh": "wesh",
    "veu": "veux", "peu": "peux", "plu": "plus", "pa": "pas", "mourrir": "mourir", "moury": "mourir",
    "vivr": "vivre", "mourire": "mourir", "ma vi": "ma vie", "enfinir": "en finir",
    "moa": "moi", "toa": "toi", "sa": "ca", "ca": "ca", "c": "c est", "cest": "c est", "ct": "c etait",
    "jtai": "je t ai", "jlai": "je l ai", "ils m": "ils me", "parceque": "parce que", "pcq": "parce que",
    "fé": "fais", "fe": "fais", "avek": "avec", "ak": "avec", "compa": "compas", "bra": "bras", "kan": "quand",
    "mé": "mes", "mai": "mais", "voi": "voit", "ché": "je sais", "che": "je sais", "sui": "suis", "foi": "fois",
    "semène": "semaine", "semene": "semaine", "grav": "grave", "cri": "crie", "tou": "tout", "tan": "temps",
    "é": "et", "jé": "j ai", "nui": "nuit", "sou": "sous", "li": "lit", "soulaje": "soulage", "sava": "ca va",
    "pasque": "parce que", "komen": "comment", "koment": "comment", "kom": "comme", "ossi": "aussi",
    "psk": "parce que", "qd": "quand", "kan": "quand", "msg": "message", "msgs": "messages",
    "tjr": "toujours", "jamé": "jamais", "ac": "avec", "meuf": "meuf", "ptdr": "mdr", "paske": "parce que", "tkt": "t inquiete", "jsp": "je sais pas",
    "osef": "on s en fout", "tfacon": "de toute facon", "dsl": "desole", "slt": "salut",
}
# Long words that carry a category on their own: a learner's misspelling of them still counts.
FUZZY_WORDS = (
    "suicide", "suicider", "suicidaire", "suicidee", "suicides", "scarifier", "scarification",
    "scarifie", "automutilation", "automutiler", "harcelement", "harceler", "harcele", "harcelee",
    "harcelent", "cyberharcelement", "pornographie", "pornographique", "mutiler",
    "defenestrer", "pendaison", "overdose", "medicaments", "paracetamol",
)
# Real words one edit away from a FUZZY_WORDS entry ("sacrifier" is not "scarifier").
NOT_FUZZED = frozenset({"sacrifier", "sacrifie", "sacrifiee", "sacrifies", "sacrifiez", "clarifier", "clarifie",
                        "clarifiee", "automatiser", "automatise", "mutilee", "harceleur", "harceleurs", "harceleuse"})
_NON_WORD = re.compile(r"[^a-z0-9@$€!|£+]+")
_REPEAT = re.compile(r"([a-wyz])\1{2,}")  # "xxx" is a word of its own
# Three or more single letters, each followed by exactly one space ("s u i c i d e"); a
# letter before an apostrophe ("c'est") starts a new word.
_SPACED = re.compile(r"(?<![a-z'])(?:[a-z] ){2,}[a-z](?![a-z'])")
_DOTTED = re.compile(r"(?<![a-z])(?:[a-z][.\-_*·•/]){2,}[a-z](?![a-z])")
_LEET_CHARS = frozenset(LEET)
_ARITHMETIC = re.compile(r"[=×÷*/^]|\d\s*[+\-]\s*\d")
# "jrecois", "mtraitent": an elided pronoun glued to its verb (no French word starts so).
_GLUED = re.compile(r"^([jm])([bcdfgjklpqrstvwxz][a-z]{2,})$")
_NOT_GLUED = frozenset({"mdr", "mdrr", "mdrrr", "mme", "mlle", "mmes", "mlles", "mcdo", "mst", "mms", "mgr", "mpt",
                        "mdma", "mdp", "mcq"})
# "jaimerais", "jessaie", "jhabite": the same before a vowel or an h, for the verbs a learner
# glues most ("jaune", "javel", "jamais" are words, so this is a list, not a rule).
_GLUED_VOWEL = re.compile(r"^(j)(aim\w*|ador\w*|arriv\w*|essai\w*|essay\w*|avais|avait|etais|etait|habit\w*|"
                          r"attend\w*|aurai[st]?|irai[st]?|ose|oubli\w*|ecri[st]?|ecrit|envoi\w*|entends|"
                          r"explique|y|hesite|avale|evite|imagine|aimerai\w*)$")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if c not in ZERO_WIDTH and unicodedata.category(c) != "Cf")
    text = text.translate(CONFUSABLES).lower()
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def _join_spaced_words(text: str) -> str:
    """ "j e  v e u x  p l u s": letters one space apart, words two spaces apart."""
    parts = re.split(r"\s{2,}", text)
    if len(parts) < 2:
        return text
    spelled = [p for p in parts if re.fullmatch(r"(?:[a-z] )+[a-z]", p.strip())]
    if len(spelled) < max(2, len(parts) // 2):
        return text
    return " ".join(p.replace(" ", "") if p in spelled else p for p in parts)


def _decode_leet(token: str, min_letters: int = 2) -> str:
    """Leetspeak inside a word; a number or a short algebra term is left alone."""
    letters = sum(c.isalpha() for c in token)
    if letters < min_letters or not any(c in _LEET_CHARS for c in token):
        return token
    if token[-1] in "!" and token[:-1].isalpha():  # "aide moi!" is punctuation, not leet
        return token[:-1]
    return "".join(LEET.get(c, c) for c in token)


@lru_cache(maxsize=4096)
def _fuzzy(token: str) -> str:
    if len(token) < 6 or token in FUZZY_WORDS or token in NOT_FUZZED:
        return token
    from rapidfuzz.distance import DamerauLevenshtein

    for word in FUZZY_WORDS:
        # Misspellings keep the first letter; "clarifier" is not "scarifier", and one edit
        # only ("automatiser" is two from "automutiler").
        limit = 1
        if word[0] == token[0] and abs(len(word) - len(token)) <= limit and DamerauLevenshtein.distance(token, word, score_cutoff=limit) <= limit:
            return word
    return token


def normalize(text: str) -> str:
    """The canonical form the policy's rules match (see the module docstring)."""
    text = _fold(text).replace("’", "'").replace("`", "'")
    # Letters spelt with spaces, dots, dashes or stars between them: join before punctuation goes.
    text = _DOTTED.sub(lambda m: re.sub(r"[^a-z]", "", m.group(0)), text)
    text = _join_spaced_words(text)
    text = _SPACED.sub(lambda m: m.group(0).replace(" ", ""), text)
    text = _NON_WORD.sub(" ", text)
    raw_tokens = text.split()
    # Many leet words and no arithmetic: "j3 v3ux m3 tu3r" decodes even one-letter words.
    mixed = sum(1 for tok in raw_tokens if any(c.isalpha() for c in tok) and any(c in _LEET_CHARS for c in tok))
    min_letters = 1 if mixed >= 3 and not _ARITHMETIC.search(text) else 2
    tokens = [_decode_leet(tok, min_letters) for tok in raw_tokens]
    text = " ".join(tokens)
    text = _NON_WORD.sub(" ", re.sub(r"[@$€!|£+]", " ", text))
    text = _REPEAT.sub(r"\1", text)
    words: list[str] = []
    tokens = text.split()
    for i, token in enumerate(tokens):
        if token == "c" and i + 1 < len(tokens) and tokens[i + 1] in ("est", "etait", "etaient"):
            words.append(token)  # "c'est" already: only a lone "c" is texting for it
            continue
        glued = (_GLUED.match(token) or _GLUED_VOWEL.match(token)) if token not in TEXTING and token not in _NOT_GLUED \
            else None
        if glued:
            words.extend((glued.group(1), TEXTING.get(glued.group(2), _fuzzy(glued.group(2)))))
            continue
        words.extend(TEXTING.get(token, _fuzzy(token)).split())
    return " ".join(words)


def fold(text: str) -> str:
    """Lower case, accents removed, apostrophes unified (a lighter form, kept for callers)."""
    return _fold(text).replace("’", "'")
