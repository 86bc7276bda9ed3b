"""True/false items made by code (pure): a true statement is the teacher's sentence as it
stands; a false one is that sentence after exactly one controlled change, recorded in
the explanation:

- `antonym`: one word for its opposite (LIFO/FIFO, statique/dynamique, premier/dernier);
- `swap`: one key term (acronym, name or noun phrase; never a single common noun, whose
  sibling too often makes a statement that is still true, nor a term the course quotes
  somewhere, whose quoted siblings are of any sort: "un états", "les proche") for
  another of the same kind, same skill first, same gender (so the article still
  agrees and gives nothing away);
- `number`: one number for another (n+1 for small numbers, ten years for a year, else twice it);
- `negation`: the main verb negated ("est" -> "n'est pas"), only in a sentence with no
  negation or hedge already (a negated "souvent" is not clearly false).

Constants: ANTONYMS, NEGATABLE_VERBS, HEDGES.
"""

from __future__ import annotations

import re

from ...i18n import t
from ...library.analysis import FRENCH_STOP_WORDS
from ..answers import fold, normalize
from ._build import Context, draft
from .cloze import maximal
from .terms import TermIndex, inflect, is_plural
from .text import Sentence
from .types import FALSE, TRUE, Item

ANTONYMS = (
    ("LIFO", "FIFO"), ("premier", "dernier"), ("première", "dernière"), ("premiers", "derniers"),
    ("minimum", "maximum"), ("minimale", "maximale"), ("minimal", "maximal"), ("croissant", "décroissant"),
    ("croissante", "décroissante"), ("croissant", "décroissant"), ("statique", "dynamique"),
    ("symétrique", "asymétrique"), ("publique", "privée"), ("public", "privé"), ("début", "fin"),
    ("avant", "après"), ("supérieur", "inférieur"), ("supérieure", "inférieure"), ("récursif", "itératif"),
    ("récursive", "itérative"), ("gauche", "droite"), ("facile", "difficile"), ("faciles", "difficiles"),
    ("rapide", "lent"), ("rapides", "lents"), ("empiler", "dépiler"), ("chiffrer", "déchiffrer"),
("ajouter", "supprimer"), ("ajoute", "supprime"), ("plus courts", "plus longs"),
    ("plus court", "plus long"), ("plus petit", "plus grand"), ("plus petite", "plus grande"),
    ("plus faibles", "plus fortes"), ("plus faible", "plus forte"), ("toujours", "rarement"),
    ("orienté", "non orienté"), ("fini", "infini"), ("local", "global"), ("entrée", "sortie"),
    ("haut", "bas"), ("lecture", "écriture"), ("père", "fils"), ("parent", "enfant"), ("vide", "plein"),
)
NEGATABLE_VERBS = (
    "est", "sont", "a", "ont", "permet", "permettent", "peut", "peuvent", "possède", "possèdent", "contient",
    "contiennent", "utilise", "utilisent", "repose", "reposent", "correspond", "correspondent", "dépend",
    "dépendent", "existe", "existent", "doit", "doivent", "comporte", "comportent", "représente",
    "représentent", "renvoie", "renvoient", "assure", "assurent", "signifie", "désigne", "désignent",
    "stocke", "stockent", "appartient", "appartiennent", "fonctionne", "fonctionnent", "respecte", "respectent",
    "modifie", "modifient", "prend", "prennent", "sert", "servent", "accepte", "acceptent", "garantit",
    "garantissent", "s'appuie", "s'appuient", "s’appuie", "s’appuient", "se termine", "se terminent",
)
HEDGES = frozenset(
    """ne n pas jamais aucun aucune rien plus souvent parfois generalement general plusieurs certains
    certaines quelques peut peuvent possible rarement plutot environ tres trop assez presque
    quasi quasiment moins ou sauf meme aussi surtout notamment""".split()
)
_CLAUSE_BREAK = re.compile(r",|;|:|\(|\b(?:qui|que|qu['’]|dont|lorsque|lorsqu['’]|si|quand|car|mais)\b")
_NUMBER = re.compile(r"(?<![\w.,/-])(\d{1,4})(?![\w/%-]|[.,]\d)")


def _case_like(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


_VOWEL_START = re.compile(r"^[aeiouyhéèêëàâîïôûù]", re.IGNORECASE)
_ELIDABLE = re.compile(r"(?<![\w'’])(de|que|ne|se|me|te|je) $", re.IGNORECASE)
_ELIDED = re.compile(r"(?<![\w'’])(d|qu|n|s|m|t|j)['’]$", re.IGNORECASE)


def join_words(before: str, word: str, after: str) -> str | None:
    """`before + word + after` with French elision kept right at the seam ("de" + "ajouter" ->
    "d'ajouter", "d'" + "supprimer" -> "de supprimer"); None where the article would need a
    gender the change does not know ("l'" before a consonant)."""
    vowel = bool(_VOWEL_START.match(word))
    if vowel and (m := _ELIDABLE.search(before)):
        before = before[: m.start()] + m.group(1)[:-1] + "'"
    elif not vowel and (m := _ELIDED.search(before)):
        before = before[: m.start()] + m.group(1) + "e "
    elif not vowel and re.search(r"(?<![\w'’])l['’]$", before, re.IGNORECASE):
        return None
    return before + word + after


def _replace_once(text: str, old: str, new: str) -> str | None:
    matches = list(re.finditer(r"(?<![\w-])" + re.escape(old) + r"(?![\w-])", text, re.IGNORECASE))
    if len(matches) != 1:
        return None
    m = matches[0]
    return join_words(text[: m.start()], _case_like(m.group(0), new), text[m.end():])


def antonym_change(shown: str) -> tuple[str, str, str] | None:
    """(statement, original words, new words) with one word swapped for its opposite."""
    for a, b in ANTONYMS:
        for old, new in ((a, b), (b, a)):
            changed = _replace_once(shown, old, new)
            if changed is not None and fold(new) not in fold(shown):
                return changed, old, new
    return None


NOT_NOUNS = frozenset({"chacun", "chacune", "quelqu", "quiconque", "personne", "rien", "aucun", "aucune", "certains",
                       "certaines", "plusieurs", "autres", "autre", "meme", "memes"})


def _names_a_thing(phrase: str) -> bool:
    """Whether a phrase starts with a word that can head a noun phrase (not "plus", "chacun")."""
    first = fold(phrase.split()[0].lower()) if phrase.split() else ""
    return bool(first) and first not in FRENCH_STOP_WORDS and first not in NOT_NOUNS


def swap_change(shown: str, terms: TermIndex, skill: str) -> tuple[str, str, str] | None:
    """(statement, term, replacement) with one key term swapped for a sibling of the same kind and gender."""
    for start, end, term in terms.in_text(shown):
        surface = shown[start:end]
        if term.kind in ("word", "quoted") or (term.kind == "phrase" and not maximal(shown, end)):
            continue  # a term quoted somewhere has quoted siblings of any sort ("un états", "les proche")
        if term.kind == "acronym" and shown[end:].lstrip().startswith("("):
            continue  # "le SGBD (Process Identification)": the expansion would give the change away
        left = terms.left_of(shown, start)
        siblings = terms.siblings(term, skill, exclude=[surface], left=left)
        for sibling in siblings:
            if term.kind in ("word", "phrase") and (sibling.gender != term.gender or not term.gender):
                continue
            if term.kind in ("acronym", "name") and term.left and not (sibling.left & term.left):
                continue  # "principe FIFO" is no stand-in for "protocole OSPF"
            if normalize(sibling.text) in normalize(shown) or skill not in sibling.topics and term.kind == "word":
                continue
            if term.kind in ("word", "phrase") and not _names_a_thing(sibling.text):
                continue  # no noun to stand in
            replacement = sibling.text
            if term.kind in ("word", "phrase"):
                replacement = inflect(replacement, is_plural(surface))
            changed = join_words(shown[:start], replacement, shown[end:])
            if changed is None:
                continue
            return changed, surface, replacement
    return None


def _other_number(n: int) -> int:
    if n < 10:
        return n + 1
    if 1000 <= n <= 2100:
        return n + 10
    return n * 2


def number_change(shown: str) -> tuple[str, str, str] | None:
    """(statement, number, other number) with one number of the sentence changed."""
    for match in _NUMBER.finditer(shown):
        n = int(match.group(1))
        other = _other_number(n)
        if str(other) in shown:
            continue
        return shown[: match.start()] + str(other) + shown[match.end():], match.group(1), str(other)
    return None


def negation_change(shown: str) -> tuple[str, str, str] | None:
    """(statement, verb, negated verb) with the main verb of a plain, unhedged sentence negated."""
    words = set(re.findall(r"[a-z]+", fold(shown)))
    if words & HEDGES:
        return None
    first_clause = _CLAUSE_BREAK.search(shown)
    limit = first_clause.start() if first_clause else len(shown)
    for verb in sorted(NEGATABLE_VERBS, key=len, reverse=True):
        match = re.search(r"(?<=\w )" + re.escape(verb) + r"(?![\w'’-])", shown[:limit])
        if not match:
            continue
        if " " in verb or verb[:2] in ("s'", "s’"):
            negated = f"ne {verb} pas"
        elif fold(verb)[0] in "aeiouh":
            negated = f"n'{verb} pas"
        else:
            negated = f"ne {verb} pas"
        rest = shown[match.end():]
        if verb not in ("est", "sont"):  # "ne possède pas de table", but "n'est pas un graphe"
            rest = re.sub(r"^(\s+)(?:un|une|des)\s+(?=[^\W\d_])", r"\1de ", rest)
            rest = re.sub(r"^(\s+)de ([aeiouyhéèêàâîôû])", r"\1d'\2", rest, flags=re.IGNORECASE)
        return shown[: match.start()] + negated + rest, verb, negated
    return None


def _statement(shown: str, lang: str) -> str:
    return t("items.true_false.prompt", lang, statement=shown)


def make_true_false(sentence: Sentence, terms: TermIndex, context: Context) -> list[Item]:
    """The true statement and the first false one a change allows, from `sentence`."""
    shown = sentence.display
    items = [draft(context, sentence, "true_false", "true_false.copy", prompt=_statement(shown, context.lang), key=TRUE,
                   choices=[TRUE, FALSE], explanation="")]
    for name, change in (("antonym", antonym_change(shown)), ("swap", swap_change(shown, terms, context.skill)),
                         ("number", number_change(shown)), ("negation", negation_change(shown))):
        if change is None:
            continue
        statement, old, new = change
        explanation = t("items.true_false.changed", context.lang, new=new, old=old)
        items.append(draft(context, sentence, "true_false", f"true_false.{name}", prompt=_statement(statement, context.lang),
                           key=FALSE, choices=[TRUE, FALSE], explanation=explanation))
        break
    return items


__all__ = ["ANTONYMS", "antonym_change", "make_true_false", "negation_change", "number_change",
           "swap_change"]
