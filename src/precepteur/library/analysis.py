"""French-aware text analysis shared by indexing and querying (pure functions).

The same `analyse()` runs on passages at ingest and on questions at search time, so
a learner's "l'arbre binaire" matches a course's "Les arbres binaires": elided
articles (l' d' qu' j' n' s' c' m' t' ...) are removed, words lower-cased, Snowball
French stems computed on the accented word and then accent-folded, and stop words
dropped. `analyse_english()` gives the English-stemmed variant used for questions
asked in English (cognates such as "recursion"/"récursion" still meet).

Constants: ELISIONS, FRENCH_STOP_WORDS, ENGLISH_STOP_WORDS, MIN_TOKEN_CHARS.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

MIN_TOKEN_CHARS = 2
ELISIONS = ("l", "d", "qu", "j", "n", "s", "c", "m", "t", "jusqu", "lorsqu", "puisqu", "quoiqu")

_ELISION = re.compile(r"\b(?:%s)['’`]" % "|".join(ELISIONS), re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Markdown images, links' targets and bare URLs say nothing about the course.
NOISE = re.compile(r"!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)|https?://\S+|<[^>]{1,80}>")

FRENCH_STOP_WORDS = frozenset(
    """au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me
    meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes
    toi ton tu un une vos votre vous c d j l m n s t y ete etee etees etes etant suis es est
    sommes sont serai seras sera serons serez seront serais serait serions seriez seraient
    etais etait etions etiez etaient fus fut fumes futes furent sois soit soyons soyez soient
    fusse fusses fut fussions fussiez fussent ayant eu eue eues eus ai as avons avez ont aurai
    auras aura aurons aurez auront aurais aurait aurions auriez auraient avais avait avions
    aviez avaient eut eumes eutes eurent aie aies ait ayons ayez aient cette cet ca ceci cela
    celui celle ceux celles quoi quel quelle quels quelles comment pourquoi quand est-ce
    donc alors aussi tres plus moins bien tout tous toute toutes fait faire peut peux doit
    sont c'est qu'est si ni car or dont lequel laquelle lesquels lesquelles chaque autre
    autres meme memes comme entre vers chez sans sous ici la-bas voici voila oui non svp stp
    koi kwa cest ke ki sa ya""".split()
)
ENGLISH_STOP_WORDS = frozenset(
    """a an the and or but if of to in on at by for with from into about as is are was were be
    been being am do does did doing have has had having it its this that these those there
    here i me my we our you your he him his she her they them their what which who whom whose
    when where why how can could should would will shall may might must not no so than too
    very just also any some all each both more most other such only own same then once again
    further out over under up down off above below between through during before after
    please tell explain mean means meaning work works""".split()
)


@lru_cache(maxsize=1)
def _stemmers() -> tuple[object, object]:
    return snowballstemmer.stemmer("french"), snowballstemmer.stemmer("english")


def fold(text: str) -> str:
    """Lower-case and strip accents ("Données" -> "donnees"; "œ" -> "oe")."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Lower-cased words with elided articles removed, accents kept."""
    text = NOISE.sub(" ", text)
    text = _ELISION.sub(" ", text)
    return [w.lower() for w in _WORD.findall(text)]


@lru_cache(maxsize=200_000)
def _french(word: str) -> str:
    folded = fold(word)
    if len(folded) < MIN_TOKEN_CHARS or folded in FRENCH_STOP_WORDS:
        return ""
    if folded.isdigit():
        return folded
    return fold(_stemmers()[0].stemWord(word))


@lru_cache(maxsize=200_000)
def _english(word: str) -> str:
    folded = fold(word)
    if len(folded) < MIN_TOKEN_CHARS or folded in ENGLISH_STOP_WORDS:
        return ""
    if folded.isdigit():
        return folded
    return _stemmers()[1].stemWord(folded)


def analyse(text: str) -> list[str]:
    """French analysis: stems of the content words of `text`, in order."""
    return [s for s in map(_french, words(text)) if s]


def analyse_english(text: str) -> list[str]:
    """English analysis of `text`, for questions asked in English."""
    return [s for s in map(_english, words(text)) if s]


def question_stems(text: str) -> list[set[str]]:
    """For each content word of a question, the stems that may match it (French and English).

    A word that is a stop word in either language is dropped: a question mixes both
    ("c koi un SGBD", "what is a pile"), and "how", "est" or "what" carry no topic.
    """
    out = []
    for word in words(text):
        folded = fold(word)
        if folded in FRENCH_STOP_WORDS or folded in ENGLISH_STOP_WORDS:
            continue
        stems = {s for s in (_french(word), _english(word)) if s}
        if stems:
            out.append(stems)
    return out


def for_index(text: str) -> str:
    """The analysed token string stored in the full-text table."""
    return " ".join(analyse(text))
