"""Sentences a learner can be asked about, found in a passage with their exact spans (pure).

`sentences(passage)` cuts a passage into sentences, each with its span in the
document's stored text, so a quote is always `document_text[start:end]`.
Markdown lists give one unit per bullet; soft line breaks inside a paragraph stay
inside the sentence (the span keeps them; `display` collapses them).

`problem(text)` says why a sentence cannot stand alone as an exercise, or None:
too short or too long, code, tables, images or links, a question or an
instruction, the objects of one example ("M1", "fctA"), not French, a sentence that leans on its neighbours ("Cette méthode...",
"ci-dessous", "le schéma"), or too few letters. The weak model and the
deterministic generators both start from sentences that pass.

Constants: MIN_WORDS, MAX_WORDS, MIN_LETTER_SHARE, ANAPHORIC_STARTS, INSTRUCTION_STARTS,
DEICTIC_WORDS, CODE_MARKS, DEFINITION_CUES.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...library.types import Passage
from ...textlang import detect_language
from ..answers import fold

MIN_WORDS = 7
MAX_WORDS = 40
MIN_LETTER_SHARE = 0.72
ANAPHORIC_STARTS = frozenset(
    """il elle ils elles cela ceci ce cet cette ces celui celle ceux celles on nous vous voici voila ici
    comme dans pour en alors donc mais et ou puis enfin ensuite sinon ainsi autrement cependant toutefois
    pourtant leur leurs son sa ses lui si soit par avec sans apres avant c ca y tout tous toute toutes
    autre dernier derniere premier premiere second seconde meme quant bref d la le les l un une des
    parce a priori car puisque lorsque quand or certes bien non oui au aux du lorsqu puisqu jusqu quoiqu
    parfois souvent toujours jamais aussi encore deja seulement surtout notamment voila""".split()
)
# Starts that are allowed although their first word is listed above ("Le protocole RIP...").
NOUN_PHRASE_STARTS = frozenset({"le", "la", "les", "l", "un", "une", "des", "d", "au", "aux", "du"})
QUESTION_STARTS = frozenset({"quel", "quels", "quelle", "quelles", "comment", "pourquoi", "combien", "que", "qui", "ou"})
# Infinitives and -ez forms open instructions ("Mettre à jour...", "Implémentez..."); not these words.
NOT_VERBS = frozenset({"entre", "contre", "outre", "notre", "votre", "autre", "premier", "dernier", "chez"})
INSTRUCTION_STARTS = frozenset(
    """ecrire ecrivez ecris donner donnez donne completer completez complete expliquer expliquez explique
    modifier modifiez tester testez creer creez realiser realisez determiner determinez calculer calculez
    proposer proposez verifier verifiez indiquer indiquez justifier justifiez exemple exemples remarque
    remarques attention activite exercice question rappel rappels observer observez lancer lancez
    saisir saisissez essayer essayez imaginer imaginons considerons supposons prenons analyser analysez
    utiliser utilisez repondre repondez definir definissez etudier etudiez retrouver retrouvez""".split()
)
DEICTIC_WORDS = frozenset(
    """ci-dessous ci-dessus suivant suivante suivants suivantes precedent precedente precedents
    precedentes schema figure image tableau exemple exercice activite question vous votre vos
    nous notre nos allons voyons va ligne programme code fonction script cours chapitre projet
    chapitres paragraphe partie""".split()
)
CODE_MARKS = ("```", "|", "![", "](", "http", "=>", ">>>", "==", "{", "}", "\t", "#", "$", "\\", " = ", "()", "[]",
              "<", ">", "_", "=")
# Names of one example's objects (M1, L2, RA, fctA): the sentence belongs to a scenario.
_IDENTIFIER = re.compile(r"\b(?:[A-Z]{1,3}\d+|[a-z]+[A-Z]\w*|R[A-Z])\b|(?<=\w )[A-Z]\b(?!')|^[B-Z]\b(?!')")
_CALL = re.compile(r"\w\.\w+\(|\w\(\w*\)")
# A two-letter name in mixed case ("Sf", "Tb") is a variable of an exercise, unless it is a word.
_SHORT_NAME = re.compile(r"\b[A-Z][a-z]\b(?!['’])")
TWO_LETTER_WORDS = frozenset("Il Le La Un En On Au Si Ce Sa Se Ta Te Ma Me Ne Je Tu Du De Ou Où Ni Lu Vu Va Ça Ca Là Çà Oh Ah".split())
# Headings of the parts of a textbook that are not the course: exercises, activities, projects,
# worked cases and their corrections ("Activité 2.1", "Exercice 3", "Projet 1.2", "Cas n°2").
_EXERCISE_HEADING = re.compile(
    r"^\s*(?:[\dIVX]+[.)]?\s*|[a-z][.)]\s*)?(?:activit[ée]s?|exercices?|projets?|questions?|cas n°|cas n[o°]?\s*\d|tp\b|"
    r"travaux pratiques|corrig[ée]s?|solutions?|[ée]nonc[ée]s?|entra[iî]nements?|exercises?|activit(?:y|ies)|projects?)\b",
    re.IGNORECASE)
# "ce principe", "cette contrainte", "ces trois types": the sentence points back at its neighbours.
_DEMONSTRATIVE = re.compile(r"\b(?:cette|ces|cet|ce(?! (?:qui|que|qu|dont)\b)(?!['’]))\b", re.IGNORECASE)
# Someone's situation ("Je ne peux pas utiliser de pièce de 1 euro") and one example's variables
# ("la donnée x", "avec i compris entre 1 et n"; not a unit after a number, "en 2 h").
_FIRST_PERSON = re.compile(r"\b(?:je|me|moi|mon|ma|mes)\b|\b[jm]['’]", re.IGNORECASE)
_VARIABLE = re.compile(r"(?<![\w'’-])(?<!\d )[b-xz](?![\w'’-])")
_OPENERS = re.compile(r"^\w+ment\b|^(?:en effet|en fait|en faite|par exemple|de plus|au final)\b", re.IGNORECASE)
DEFINITION_CUES = re.compile(
    r"\b(?:est|sont|désigne|désignent|signifie|consiste|consistent|correspond|correspondent|permet|permettent"
    r"|appelle|appelé|appelée|appelés|appelées|nomme|nommé|nommée|repose|reposent|s'appuie|s’appuie|utilise"
    r"|utilisent|contient|contiennent|possède|possèdent|définit|caractérise)\b"
)

_BULLET = re.compile(r"^[ \t]*(?:[-*+•]|\d+[.)])[ \t]+")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"»”)]?(?P<space>\s+)(?=[\"«“(]?[A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ0-9])")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)
_ABBREVIATIONS = re.compile(r"(?:\b(?:ex|etc|cf|p|M|Mme|av|apr|J\.-C|env|fig|vol|n°)\.|\b[A-Z]\.)$")
_INLINE = re.compile(r"\*\*|__|`")


@dataclass(frozen=True)
class Sentence:
    """A sentence of a passage: `text == document_text[start:end]`."""

    start: int
    end: int
    text: str
    passage: Passage
    bullet: bool = False  # an item of a Markdown list (may start in lower case, without a full stop)

    @property
    def display(self) -> str:
        shown = display(self.text)
        return _as_statement(shown) if self.bullet else shown

    @property
    def problem(self) -> str | None:
        return problem(self.text, bullet=self.bullet)


def display(text: str) -> str:
    """A span as shown to a learner: line breaks collapsed, Markdown emphasis marks dropped."""
    return " ".join(_INLINE.sub("", text).split())


def _as_statement(shown: str) -> str:
    """A list item written as a sentence: capital first letter, a full stop instead of ";" or ","."""
    shown = shown.rstrip(" ;,")
    if not shown:
        return shown
    shown = shown[:1].upper() + shown[1:]
    return shown if shown[-1] in ".!?»):" else shown + "."


def _units(text: str) -> list[tuple[int, int, bool]]:
    """Paragraph pieces of a passage: one per bullet, else one per paragraph (soft breaks kept)."""
    units: list[tuple[int, int, bool]] = []
    cursor = 0
    blocks = []
    for match in _BLANK_LINE.finditer(text):
        blocks.append((cursor, match.start()))
        cursor = match.end()
    blocks.append((cursor, len(text)))
    for a, b in blocks:
        lines, pos = [], a
        for line in text[a:b].split("\n"):
            lines.append((pos, pos + len(line)))
            pos += len(line) + 1
        current: list | None = None
        for la, lb in lines:
            line = text[la:lb]
            bullet = _BULLET.match(line)
            if bullet or line.lstrip().startswith(("#", "|", "```", "![")):
                if current:
                    units.append(tuple(current))
                current = [la + (bullet.end() if bullet else 0), lb, bool(bullet)]
                if not bullet:
                    units.append(tuple(current))
                    current = None
                continue
            if current is None:
                current = [la, lb, False]
            else:
                current[1] = lb
        if current:
            units.append(tuple(current))
    return units


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def sentences(passage: Passage) -> list[Sentence]:
    """The sentences of a passage, in order, with document spans."""
    text = passage.text
    found: list[Sentence] = []
    for ua, ub, bullet in _units(text):
        ua, ub = _trim(text, ua, ub)
        if ua >= ub:
            continue
        cursor = ua
        for match in _SENTENCE_END.finditer(text, ua, ub):
            end = match.start("space")
            if _ABBREVIATIONS.search(text[cursor:end].rstrip("\"»”)")):
                continue
            a, b = _trim(text, cursor, end)
            if a < b:
                found.append(Sentence(passage.start + a, passage.start + b, text[a:b], passage, bullet and a == ua))
            cursor = match.end()
        a, b = _trim(text, cursor, ub)
        if a < b:
            found.append(Sentence(passage.start + a, passage.start + b, text[a:b], passage, bullet and a == ua))
    return found


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def _first_word(text: str) -> str:
    match = _WORD.search(text)
    return fold(match.group(0)).split("'")[0].split("’")[0] if match else ""


def problem(text: str, bullet: bool = False) -> str | None:
    """Why this sentence cannot stand alone as an exercise ("too_short", "code"...), or None.

    A list item may start in lower case and lack its full stop."""
    shown = display(text)
    if bullet:
        shown = _as_statement(shown)
    count = len(words(shown))
    if count < MIN_WORDS:
        return "too_short"
    if count > MAX_WORDS:
        return "too_long"
    if any(mark in text for mark in CODE_MARKS) or _CALL.search(text):
        return "code"
    if "?" in shown or shown.rstrip(".").endswith(":") or shown.count(" : ") > 1:
        return "question"
    if not shown.endswith((".", "!", "»", ")")) or shown.endswith(("...", "…")):
        return "not_a_statement"
    if (_IDENTIFIER.search(shown) or any(m.group(0) not in TWO_LETTER_WORDS for m in _SHORT_NAME.finditer(shown))
            or _FIRST_PERSON.search(shown) or _VARIABLE.search(shown)):
        return "scenario"
    letters = sum(c.isalpha() for c in shown)
    if letters < MIN_LETTER_SHARE * len(shown.replace(" ", "")):
        return "symbols"
    first = _first_word(shown)
    if not shown[:1].isupper() and not shown[:1] in "«\"":
        return "fragment"
    if first in QUESTION_STARTS:
        return "question"
    if first in INSTRUCTION_STARTS or (first.endswith(("er", "ir", "re", "ez", "ons", "tes")) and first not in NOT_VERBS):
        return "instruction"
    if any(len(w) > 4 and w.endswith("ez") and w not in ("assez", "chez") for w in re.findall(r"[a-z]+", fold(shown))):
        return "instruction"
    if detect_language(shown, default="fr") != "fr":
        return "not_french"
    folded = fold(shown)
    if first in ANAPHORIC_STARTS and first not in NOUN_PHRASE_STARTS:
        return "leans_on_context"
    second = _WORD.findall(folded)[1:2]
    if first in NOUN_PHRASE_STARTS and second and second[0] in ANAPHORIC_STARTS | {"exemple", "cas", "suite", "fait"}:
        return "leans_on_context"
    if any(word in DEICTIC_WORDS for word in re.findall(r"[a-z]+(?:-[a-z]+)*", folded)):
        return "leans_on_context"
    if _DEMONSTRATIVE.search(shown) or _OPENERS.search(shown):
        return "leans_on_context"
    if shown.count("(") != shown.count(")") or shown.count('"') % 2 or shown.count("«") != shown.count("»"):
        return "unbalanced"
    return None


def is_exercise_heading(heading: str) -> bool:
    """Whether a passage's heading path puts it in an exercise, an activity or a project."""
    return any(_EXERCISE_HEADING.search(part) for part in heading.split(" › ") if part.strip())


def is_definition(text: str) -> bool:
    """A sentence that states what something is or does (the best material for an exercise)."""
    return bool(DEFINITION_CUES.search(text))


__all__ = ["Sentence", "display", "is_definition", "problem", "sentences", "words"]
