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

import random
import re

from rapidfuzz import fuzz

from ...llm.base import ChatModel
from ..answers import normalize
from ._build import Context, draft
from .asking import MCQ_SCHEMA, QUESTION_SCHEMA, ask_json, passage_messages
from .cloze import key_spans
from .terms import TermIndex
from .text import Sentence

MCQ_CHOICES = 4
LETTERS = "ABCD"
DISTINCT_RATIO = 80  # fuzzy ratio (0-100) above which two choices count as the same
ALL_NONE = re.compile(r"\b(?:toutes?|aucune?)\b.*\b(?:r[ée]ponses?|propositions?)\b|\ball of the above\b|"
                      r"\bnone of the above\b|\bles deux\b", re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\w.,/-])(\d{1,6}(?:,\d+)?)(?![\w/-]|[.,]\d)")


def key_candidates(sentence: Sentence, terms: TermIndex, skill: str, limit: int = 2) -> list[str]:
    """The terms of the sentence that could be an item's key, best first."""
    shown = sentence.display
    return [shown[start:end] for _score, start, end in key_spans(sentence, terms, skill)[:limit]]


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
    answer = ask_json(model, passage_messages(sentence.passage.text, _question_task(sentence.display, key)),
                      QUESTION_SCHEMA, max_tokens=80, seed=seed)
    return _clean(answer["question"])


def acceptable_distractor(candidate: str, key: str, kept: list[str], quote: str) -> bool:
    """A wrong choice that differs from the key and the others, is no "all/none of these", and is not in the quote."""
    text = " ".join(candidate.split())
    if not text or ALL_NONE.search(text) or len(text) > 80:
        return False
    norm = normalize(text)
    if not norm or norm in normalize(quote):
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
    answer = ask_json(model, passage_messages(sentence.passage.text, task), MCQ_SCHEMA, max_tokens=220, seed=seed)
    question = _clean(answer["question"])
    distractors: list[str] = []
    for wrong in answer["reponses_fausses"]:
        wrong = " ".join(str(wrong).split()).strip(" .")
        if acceptable_distractor(wrong, key, distractors, sentence.text):
            distractors.append(wrong)
    generator = "mcq.model"
    if len(distractors) < MCQ_CHOICES - 1:
        term = terms.get(key)
        siblings = terms.siblings(term, context.skill, exclude=[key, *distractors]) if term else []
        for sibling in siblings:
            if len(distractors) == MCQ_CHOICES - 1:
                break
            if acceptable_distractor(sibling.text, key, distractors, sentence.text):
                distractors.append(sibling.text)
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
    """The numbers written in digits in the sentence that could be a numeric key (not part of a range or a name)."""
    shown = sentence.display
    return [m.group(1) for m in _NUMBER.finditer(shown)
            if not re.search(r"\d\s*[-–]\s*$", shown[: m.start()]) and not re.match(r"\s*[-–]\s*\d", shown[m.end():])]


def make_numeric(model: ChatModel, sentence: Sentence, context: Context, key: str, seed: int = 42):
    """A numeric candidate: the model's question whose answer is the number `key` of the sentence."""
    question = write_question(model, sentence, key, seed)
    return draft(context, sentence, "numeric", "numeric.model", prompt=question, key=key, tolerance=None)


__all__ = ["ALL_NONE", "DISTINCT_RATIO", "acceptable_distractor", "key_candidates", "make_mcq", "make_numeric",
           "make_short_answer", "numbers_of", "write_question"]
