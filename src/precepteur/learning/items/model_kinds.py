"""Items the model writes, on a key chosen by code: multiple choice, short answer, numeric.

A small model is far better at "write a question whose answer is X, from this
sentence" than at inventing an exercise, so code picks the sentence and the key
(a key term of the sentence, or one of its numbers) and the model only writes the
question, and for a multiple-choice item three wrong answers. Wrong answers the
model gets wrong (the key again, duplicates, "toutes ces réponses", words of the
sentence itself) are replaced by sibling terms of the library (same kind, same
skill first); such an item's generator says so ("mcq.model+terms").

Constants: MCQ_CHOICES, LETTERS.
"""

from __future__ import annotations

import logging
import math
import random
import re
from collections import Counter

from rapidfuzz import fuzz

from ...library.analysis import fold
from ...llm.base import ChatModel
from ..answers import normalize
from ._build import Context, draft
from .asking import MCQ_SCHEMA, QUESTION_SCHEMA, ask_json, passage_messages
from .cloze import key_spans
from .terms import TermIndex, is_plural
from .text import Sentence, display

log = logging.getLogger("precepteur.items")

MCQ_CHOICES = 4
LETTERS = "ABCD"
DISTINCT_RATIO = 80  # fuzzy ratio (0-100) above which two choices count as the same
ALL_NONE = re.compile(r"\b(?:toutes?|aucune?)\b.*\b(?:r[ée]ponses?|propositions?)\b|\ball of the above\b|"
                      r"\bnone of the above\b|\bles deux\b", re.IGNORECASE)
_FORMULA = re.compile(r"[×÷=+*/^]|\b[a-z]\s*[-+]\s*\d|\b\d+\s*[a-z]\b")
_NUMBER = re.compile(r"(?<![\w.,/-])(\d{1,6}(?:,\d+)?)(?![\w/-]|[.,]\d)")


def key_candidates(sentence: Sentence, terms: TermIndex, skill: str, limit: int = 2) -> list[str]:
    """The terms of the sentence that could be the key of a question the model writes, best first."""
    shown = sentence.display
    return [shown[start:end] for _score, start, end in key_spans(sentence, terms, skill, for_question=True)[:limit]]


def distractor_pool(key: str, terms: TermIndex, skill: str, sentence: Sentence) -> list[str]:
    """Library terms that could stand as wrong answers to a question on `key` (same kind, best first)."""
    term = terms.get(key)
    if term is None:
        return []
    start = sentence.display.find(key)
    left = terms.left_of(sentence.display, start) if start >= 0 else None
    pool = []
    for sibling in terms.siblings(term, skill, exclude=[key], left=left):
        if term.kind in ("acronym", "name") and term.left and not (sibling.left & term.left):
            continue  # "principe FIFO" is no wrong answer for "protocole OSPF"
        if term.kind == "word" and (skill not in sibling.topics or sibling.gender != term.gender):
            continue
        pool.append(sibling.text)
    return pool


def _question_task(sentence: str, key: str) -> str:
    return (f"Phrase : {sentence}\n\nÉcris une question courte, en français, dont la réponse exacte est « {key} » "
            f"d'après cette phrase, sans écrire « {key} » dans la question.")


def _clean(question: str) -> str:
    question = " ".join(str(question).split()).strip().strip('"«» ')
    if question and not question.endswith("?"):
        question = question.rstrip(".!") + " ?"
    return question[:1].upper() + question[1:]


def write_question(model: ChatModel, sentence: Sentence, key: str, seed: int = 42) -> str:
    """The model's question whose answer is `key` (ModelError when it cannot give one)."""
    answer = ask_json(model, passage_messages(display(sentence.passage.text), _question_task(sentence.display, key)),
                      QUESTION_SCHEMA, max_tokens=80, seed=seed)
    return _clean(answer["question"])


ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,7}\b")
_MINOR_WORDS = frozenset({"de", "des", "du", "d", "la", "le", "les", "l", "et", "en", "of", "the", "and"})


def _initials(text: str) -> str:
    """"système de gestion de base de données" -> "SGBD" (small words left out)."""
    return "".join(w[0] for w in re.findall(r"[^\W\d_]+", text) if w.lower() not in _MINOR_WORDS).upper()


def names_the_same(key: str, choice: str) -> bool:
    """Whether a wrong choice names the key in other words: its expansion ("système de gestion de
    base de données" for "SGBD"), or the acronym in another language, most of the same letters in
    another order ("DBMS" for "SGBD", "AI" for "IA"). A one-letter change ("FIFO" for "LIFO", "ROM"
    for "RAM") or a longer acronym that starts with the key ("HTTPS" for "HTTP") is another notion."""
    a, b = key.strip(), choice.strip()
    for acronym, other in ((a, b), (b, a)):
        if ACRONYM.fullmatch(acronym) and len(other.split()) >= 2 and _initials(other) == acronym:
            return True
    if not (ACRONYM.fullmatch(a) and ACRONYM.fullmatch(b)) or a.startswith(b) or b.startswith(a):
        return False
    shared = sum((Counter(a) & Counter(b)).values())
    aligned = sum(x == y for x, y in zip(a, b))
    return shared >= max(2, math.ceil(0.75 * max(len(a), len(b)))) and aligned < min(len(a), len(b)) - 1


# Nouns that end in -s or -x in the singular too: their number cannot be read.
SAME_IN_PLURAL = frozenset("""fils temps pas bras corps processus virus bus campus cas choix prix voix poids bois repas
    os souris dos mois fois pays avis index flux sens succes acces proces progres discours concours parcours
    recours secours""".split())
ARTICLE = re.compile(r"^\s*(?:le|la|les|l['’]|un|une|des|du|the|a|an)\b\s*", re.IGNORECASE)


def choice_head(choice: str) -> str:
    """The first word of a choice after its article, if it is a common noun ("algorithmes" in
    "algorithmes récursifs"); "" for a number, an acronym or a name, whose number cannot be read."""
    rest = ARTICLE.sub("", choice.strip(), count=1)
    first = rest.split()[0] if rest.split() else ""
    if not first or not first[:1].islower() or not first.isalpha():
        return ""
    return first


def number_of(choice: str) -> bool | None:
    """Whether a choice is plural by its head noun; None when that cannot be read (no common noun
    at its head, or one such as "processus" that is the same in both numbers)."""
    head = choice_head(choice)
    return None if not head or fold(head) in SAME_IN_PLURAL else is_plural(head)


def same_number(a: str, b: str) -> bool:
    """Whether two choices agree in number, as far as it can be read ("algorithme de recherche"
    beside "algorithmes récursifs" does not: the key would show)."""
    numbers = (number_of(a), number_of(b))
    return None in numbers or numbers[0] == numbers[1]


def acceptable_distractor(candidate: str, key: str, kept: list[str], quote: str) -> bool:
    """A wrong choice that differs from the key and the others, is no "all/none of these", is not in
    the quote, does not name the key in other words (`names_the_same`) and agrees with it in number."""
    text = " ".join(candidate.split())
    if not text or ALL_NONE.search(text) or len(text) > 80:
        return False
    norm = normalize(text)
    if not norm or norm in normalize(quote) or names_the_same(key, text) or not same_number(text, key):
        return False
    for other in [key, *kept]:
        other_norm = normalize(other)
        if fuzz.ratio(norm, other_norm) >= DISTINCT_RATIO or norm in other_norm or other_norm in norm:
            return False
    return True


def make_mcq(model: ChatModel, sentence: Sentence, terms: TermIndex, context: Context, key: str, seed: int = 42):
    """A multiple-choice candidate on `key` (one key and three wrong answers, shuffled by `seed`)."""
    task = (_question_task(sentence.display, key)
            + f" Donne aussi 3 mauvaises réponses plausibles, du même type que « {key} », fausses d'après le passage.")
    answer = ask_json(model, passage_messages(display(sentence.passage.text), task), MCQ_SCHEMA, max_tokens=220, seed=seed)
    question = _clean(answer["question"])
    distractors: list[str] = []
    for wrong in answer["reponses_fausses"]:
        wrong = " ".join(str(wrong).split()).strip(" .")
        if acceptable_distractor(wrong, key, distractors, sentence.text):
            distractors.append(wrong)
    generator = "mcq.model"
    log.debug("mcq distractors", extra={"key": key, "model": answer["reponses_fausses"], "kept": distractors})
    if len(distractors) < MCQ_CHOICES - 1:
        for sibling in distractor_pool(key, terms, context.skill, sentence):
            if len(distractors) == MCQ_CHOICES - 1:
                break
            if acceptable_distractor(sibling, key, distractors, sentence.text):
                distractors.append(sibling)
                generator = "mcq.model+terms"
    choices = [key, *distractors[: MCQ_CHOICES - 1]]
    random.Random(f"{seed}:{question}").shuffle(choices)
    return draft(context, sentence, "mcq", generator, prompt=question, key=key, choices=choices)


def make_short_answer(model: ChatModel, sentence: Sentence, terms: TermIndex, context: Context, key: str,
                      seed: int = 42):
    """A short-answer candidate whose key is the term `key` (its usual spelling accepted too)."""
    question = write_question(model, sentence, key, seed)
    term = terms.get(key)
    variants = [term.text] if term is not None else []
    return draft(context, sentence, "short_answer", "short_answer.model", prompt=question, key=key, variants=variants)


def numbers_of(sentence: Sentence) -> list[str]:
    """The number of a sentence that states one quantity ("au plus 15 sauts", "en 1970"), as a
    one-item list; none for a sentence with several numbers, a range or a formula."""
    shown = sentence.display
    found = list(_NUMBER.finditer(shown))
    if len(found) != 1 or _FORMULA.search(shown):
        return []
    match = found[0]
    if re.search(r"\d\s*[-–]\s*$", shown[: match.start()]) or re.match(r"\s*[-–]\s*\d", shown[match.end():]):
        return []
    return [match.group(1)]


def make_numeric(model: ChatModel, sentence: Sentence, context: Context, key: str, seed: int = 42):
    """A numeric candidate: the model's question whose answer is the number `key` of the sentence."""
    question = write_question(model, sentence, key, seed)
    return draft(context, sentence, "numeric", "numeric.model", prompt=question, key=key, tolerance=None)


__all__ = ["ACRONYM", "ALL_NONE", "ARTICLE", "DISTINCT_RATIO", "SAME_IN_PLURAL", "acceptable_distractor", "choice_head",
           "distractor_pool", "key_candidates", "make_mcq", "make_numeric", "make_short_answer", "names_the_same",
           "number_of", "numbers_of", "same_number", "write_question"]
