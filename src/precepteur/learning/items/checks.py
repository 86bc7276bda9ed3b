"""Validation: every candidate goes through named checks, each recorded on the item.

Checks in code run first and always (item-writing flaws are caught better by rules
than by a model); the model's answerability check runs last, and only on a
candidate that passed all the others (it costs a model call):

- `schema`: the item has what its kind needs (a prompt, a key, four choices with
  the key once, "Vrai"/"Faux", one blank, a number...);
- `well_formed`: a question ends with "?", a stem is neither too short nor too long,
  not negatively worded ("Lequel n'est pas...");
  a statement or a sentence with blanks does not start with a label ("Problème : …",
  "Remarque : …"): the label belongs to the page, not to the fact;
- `quote_verbatim`: the quote is exactly `document_text[start:end]`;
- `key_in_passage`: the key is supported by the quote (French stems, so "routeurs"
  supports "routeur") and is not a piece of a longer word ("couples clé" cut out of
  "couples clé-valeur"); for true/false, the statement is the quote (true) or the quote
  with exactly one change (false);
- `key_not_in_stem`: the stem does not give the key away, not even by a word of the same
  family ("blocage" gives "bloqué"), nor spell an acronym's words, and names what the
  quote is about when the quote names it by an acronym (a question on "RIP" that does not
  say "RIP" has several answers);
- `choices_distinct`, `choices_same_type`, `no_all_none`, `distractors_not_in_quote`
  (multiple choice): no near-duplicates (fuzzy ratio), the same kind of thing (numbers
  with numbers, similar lengths), no "toutes/aucune de ces réponses", no wrong
  answer that the quoted sentence itself states, and no wrong answer that another
  sentence of the document fits as well as the quote fits the key (a question that
  "OSPF" answers as well as "RIP" has two keys);
- `numeric_recomputed` (numeric): the key is a number, recomputed by the `skills`
  package from the stem's expression when it has one, else found in the quote;
- `not_duplicate`: not the same as an item already in the bank (or made in this run);
- `answerable`: the model, given the passage, answers the question with the key.

Constants: CHECKS, MAX_PROMPT_CHARS, MIN_PROMPT_WORDS, DUPLICATE_RATIO, LENGTH_RATIO.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from ...errors import ModelError
from ...i18n import t
from ...library.analysis import FRENCH_STOP_WORDS, analyse, fold
from ...skills import evaluate
from ...skills._numbers import scan_numbers
from ..answers import normalize, parse_quantity
from ..grading import grade
from ._build import BLANK
from .asking import ANSWER_SCHEMA, LETTER_SCHEMA, TRUTH_SCHEMA, ask_json, passage_messages
from .model_kinds import ACRONYM, ALL_NONE, ARTICLE, DISTINCT_RATIO, LETTERS, choice_head, names_the_same, number_of
from .text import display
from .types import CHOICE_KINDS, FALSE, KINDS, TRUE, Item

CHECKS = ("schema", "well_formed", "quote_verbatim", "key_in_passage", "key_not_in_stem", "choices_distinct",
          "choices_same_type", "no_all_none", "distractors_not_in_quote", "numeric_recomputed", "not_duplicate",
          "answerable")
MAX_PROMPT_CHARS = 400
MIN_PROMPT_WORDS = 4
MAX_KEY_WORDS = 8
DUPLICATE_RATIO = 90
LENGTH_RATIO = 3.0
_TF_PREFIX = re.compile(r"^\s*(?:vrai ou faux|true or false)\s*\?\s*", re.IGNORECASE)
# A question must stand alone: the learner sees no "passage", no "phrase" to look at.
_POINTS_AT_TEXT = re.compile(r"\b(?:passage|phrase|texte|document|extrait|ci-dessus|ci-dessous|mentionn\w*|cit[ée]\w*)\b",
                             re.IGNORECASE)
_NEGATIVE_STEM = re.compile(r"\b(?:n['’]\w+|ne)\b.*\bpas\b|\bnot\b|\bsauf\b|\bexcept\b", re.IGNORECASE)
# "rien", "aucun", "nothing": a choice that is no answer at all.
_NON_ANSWER = re.compile(r"^\s*(?:rien|aucun|aucune|personne|nothing|none|nobody|je ne sais pas)\s*[.!]?\s*$", re.IGNORECASE)
# "le nœud G", "le routeur A": a label of a figure the learner does not see.
_FIGURE_LABEL = re.compile(r"\b(?:n[œo]e?uds?|sommets?|points?|routeurs?|machines?|ordinateurs?|cases?|cellules?|"
                           r"processus|fichiers?|tables?|figures?|sch[ée]mas?|arbres?|graphes?|arcs?|ar[êe]tes?)\s+"
                           r"[A-Z]\d?(?![\w'’-])")
_GLUE = "-‑:/_"  # "clé-valeur", "clé:valeur", "entrée/sortie": one word for the learner
# A number's unit in the quote ("toutes les 30 secondes"): the question must say it too.
_UNIT = re.compile(r"\b(\d+(?:[.,]\d+)?)\s*(secondes?|minutes?|heures?|jours?|ans|mois|semaines?|millisecondes?|ms|"
                   r"octets?|bits?|kilo-?octets?|ko|mo|go|to|kbit/s|mbit/s|gbit/s|km|m|cm|mm|kg|g|°c|euros?|cts|%|"
                   r"pour ?cent|sauts?|fois)\b", re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:ne|n['’])\b.*\b(?:pas|plus|jamais|aucun|aucune)\b", re.IGNORECASE)
# "Problème : …", "Remarque : …": a sentence that starts with the page's label.
_LABEL_START = re.compile(r"^\s*[\w’'-]+(?:\s+[\w’'-]+)?\s*:\s", re.UNICODE)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
MIN_ROOT_CHARS = 4
ROOT_SHARE = 0.55
_EXPRESSION = re.compile(r"[\d(][\d\s.,+\-*/×÷^()]*[+\-*/×÷^][\d\s.,+\-*/×÷^()]*[\d)]")


@dataclass(frozen=True)
class KnownItem:
    """What the duplicate check needs of an item already in the bank."""

    id: int
    kind: str
    prompt: str
    key: str
    quote: str = ""


def statement_of(item: Item) -> str:
    """A true/false item's statement, without its "Vrai ou faux ?" prefix."""
    return _TF_PREFIX.sub("", item.prompt).strip()


def _stems(text: str) -> set[str]:
    return set(analyse(text))


def _root(word: str) -> str:
    """A word's spelling for comparing families: folded, "qu" read as "c" (bloquer, blocage)."""
    return fold(word.lower()).replace("qu", "c").replace("ç", "c")


def same_family(a: str, b: str) -> bool:
    """Whether two words share a root long enough to give one away by the other
    ("blocage"/"bloqué", "routage"/"routeur"; not "programme"/"protocole")."""
    a, b = _root(a), _root(b)
    if min(len(a), len(b)) < MIN_ROOT_CHARS + 1:
        return a == b
    common = len(os.path.commonprefix([a, b]))
    return common >= MIN_ROOT_CHARS and common >= ROOT_SHARE * min(len(a), len(b))


def _content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[^\W\d_]+", text) if len(w) > MIN_ROOT_CHARS
            and fold(w.lower()) not in FRENCH_STOP_WORDS]


# -- checks in code ----------------------------------------------------------------------------

def check_schema(item: Item) -> str | None:
    if item.kind not in KINDS:
        return "unknown_kind"
    if not item.prompt.strip() or not item.key.strip():
        return "empty"
    if len(item.prompt) > MAX_PROMPT_CHARS:
        return "too_long"
    if item.kind == "mcq":
        choices = item.choices or []
        if len(choices) != 4 or sum(normalize(c) == normalize(item.key) for c in choices) != 1:
            return "mcq_choices"
    elif item.kind == "true_false":
        if item.key not in (TRUE, FALSE) or list(item.choices or []) != [TRUE, FALSE]:
            return "true_false_key"
    elif item.choices is not None:
        return "choices_not_allowed"
    if item.kind == "cloze" and item.prompt.count(BLANK) != 1:
        return "one_blank"
    if item.kind == "numeric" and parse_quantity(item.key) is None:
        return "numeric_key"
    if item.kind in ("short_answer", "cloze") and len(item.key.split()) > MAX_KEY_WORDS:
        return "key_too_long"
    if item.tolerance is not None and item.tolerance < 0:
        return "negative_tolerance"
    return None


def check_well_formed(item: Item) -> str | None:
    stem = statement_of(item) if item.kind == "true_false" else item.prompt.replace(BLANK, " ")
    if len(stem.split()) < MIN_PROMPT_WORDS:
        return "stem_too_short"
    if item.kind in ("true_false", "cloze") and _LABEL_START.match(stem):
        return "starts_with_label"
    if item.kind in ("mcq", "short_answer", "numeric"):
        if not item.prompt.rstrip().endswith("?"):
            return "not_a_question"
        if _NEGATIVE_STEM.search(item.prompt):
            return "negative_stem"
        if _POINTS_AT_TEXT.search(item.prompt) or _FIGURE_LABEL.search(item.prompt):
            return "points_at_text"
    return None


def check_quote_verbatim(item: Item, document_text: str | None) -> str | None:
    if document_text is None:
        return "document_missing"
    if not item.source.quote or document_text[item.source.start:item.source.end] != item.source.quote:
        return "not_verbatim"
    return None


def check_key_in_passage(item: Item) -> str | None:
    quote = item.source.quote
    if item.kind == "true_false":
        statement, original = normalize(statement_of(item)), normalize(display(quote))
        if item.key == TRUE:
            return None if statement == original else "statement_differs"
        changes = [op for op in difflib.SequenceMatcher(None, original.split(), statement.split()).get_opcodes()
                   if op[0] != "equal"]
        return None if len(changes) == 1 else "not_one_change"
    if item.kind == "numeric":
        return None if check_numeric(item) is None else "number_not_in_quote"
    key_stems = _stems(item.key)
    if key_stems:
        supported = key_stems <= _stems(quote)
    else:
        supported = normalize(item.key) in normalize(quote)
    if not supported:
        return "key_not_in_quote"
    return "key_cut" if _only_as_a_piece(item.key, quote) else None


def _only_as_a_piece(key: str, quote: str) -> bool:
    """Whether every place the key stands in the quote is inside a longer word
    ("clé" in "clé-valeur", "pile" in "empile")."""
    key = key.strip().casefold()
    text = quote.casefold()
    spans = [m.span() for m in re.finditer(re.escape(key), text)] if key else []
    if not spans:
        return False

    def cut(start: int, end: int) -> bool:
        before, after = text[max(0, start - 2):start], text[end:end + 2]
        glued_after = bool(after) and (after[0].isalnum() or (after[0] in _GLUE and after[1:2].isalnum()))
        glued_before = bool(before) and (before[-1].isalnum() or (before[-1] in _GLUE and before[:1].isalnum()))
        return glued_after or glued_before

    return all(cut(*span) for span in spans)


def _spells(acronym: str, text: str) -> bool:
    """Whether consecutive capitalised words of `text` have `acronym` as initials ("Last In First Out")."""
    initials = [w[0] for w in re.findall(r"\b[A-Z][\w-]*", text)]
    joined = "".join(initials)
    return len(acronym) >= 2 and acronym in joined


def check_key_not_in_stem(item: Item) -> str | None:
    stem = item.prompt.replace(BLANK, " ")
    key = item.key.strip()
    if item.kind == "numeric":
        key_value = parse_quantity(key)
        found = [n.value for n in scan_numbers(stem)]
        if key_value is not None and key_value.value in found:
            return "key_in_stem"
        return _missing_subject(item, stem)
    key_stems = _stems(key)
    if key_stems and key_stems <= _stems(stem):
        return "key_in_stem"
    if not key_stems and normalize(key) in normalize(stem).split():
        return "key_in_stem"
    if key.isupper() and _spells(key, stem):
        return "acronym_spelled_out"
    key_words = _content_words(key)
    stem_words = _content_words(stem)
    if key_words and all(any(same_family(k, w) for w in stem_words) for k in key_words):
        return "key_family_in_stem"
    return _missing_subject(item, stem)


def _missing_subject(item: Item, stem: str) -> str | None:
    """A quote about "RIP" asked about without saying "RIP": the question has other answers."""
    named = {a for a in ACRONYM.findall(item.source.quote) if a not in item.key}
    if named and not any(re.search(rf"\b{re.escape(a)}\b", stem) for a in named):
        return "subject_missing"
    return None


def check_choices_distinct(item: Item) -> str | None:
    choices = [normalize(c) for c in item.choices or []]
    for i, a in enumerate(choices):
        for b in choices[i + 1:]:
            if fuzz.ratio(a, b) >= DISTINCT_RATIO or (a and b and (a in b or b in a)):
                return "near_duplicates"
    return None


def _is_number(text: str) -> bool:
    return parse_quantity(text) is not None


def check_choices_same_type(item: Item) -> str | None:
    choices = item.choices or []
    if len({_is_number(c) for c in choices}) > 1:
        return "numbers_and_words"
    lengths = [max(1, len(c)) for c in choices]
    if max(lengths) / min(lengths) > LENGTH_RATIO and max(lengths) > 12:
        return "lengths_differ"
    if len(item.key) == max(lengths) and max(lengths) > 2 * sorted(lengths)[-2]:
        return "key_longest"
    if len({bool(ARTICLE.match(c)) for c in choices}) > 1:
        return "articles_differ"
    if all(choice_head(c) for c in choices) and len({number_of(c) for c in choices} - {None}) > 1:
        return "number_differs"
    return None


def check_no_all_none(item: Item) -> str | None:
    if any(ALL_NONE.search(c) or _NON_ANSWER.match(c) for c in item.choices or []):
        return "all_or_none"
    return None


def check_distractors_not_in_quote(item: Item, text: str | None = None) -> str | None:
    """`text`: the document or the whole library, searched for a wrong choice stated elsewhere."""
    quote = normalize(item.source.quote)
    distractors = [c for c in item.choices or [] if normalize(c) != normalize(item.key) and normalize(c)]
    for choice in distractors:
        if normalize(choice) in quote:
            return "distractor_in_quote"
        if names_the_same(item.key, choice):
            return "distractor_names_key"
    return _distractor_also_fits(item, distractors, text) if text else None


@lru_cache(maxsize=4)
def _analysed_sentences(text: str) -> tuple[tuple[str, frozenset[str], str], ...]:
    """(sentence with single spaces, its stems, its normalised words) for every sentence of
    `text`, computed once per document or library rather than once per candidate."""
    return tuple((" ".join(m.group(0).split()), frozenset(_stems(m.group(0))), normalize(m.group(0)))
                 for m in _SENTENCE.finditer(text))


def _distractor_also_fits(item: Item, distractors: list[str], text: str) -> str | None:
    """A wrong answer that another sentence states with as much of the question's wording as
    the quote: the question has two keys ("RIP" and "OSPF")."""
    asked = _stems(item.prompt)
    needed = max(2, len(asked & _stems(item.source.quote)))
    quote = " ".join(item.source.quote.split())
    for sentence, stems, words in _analysed_sentences(text):
        if sentence in quote or len(asked & stems) < needed:
            continue
        for choice in distractors:
            if re.search(rf"(?<!\w){re.escape(normalize(choice))}(?!\w)", words):
                return "distractor_also_fits"
    return None


def check_numeric(item: Item) -> str | None:
    key = parse_quantity(item.key)
    if key is None:
        return "not_a_number"
    if _NEGATED.search(item.source.quote) and not _EXPRESSION.search(item.prompt):
        return "negated_quote"  # "Je ne peux pas utiliser de pièce de 1 euro." says what 1 is not
    if not _EXPRESSION.search(item.prompt) and (unit := _unit_of(item.source.quote, key.value)):
        if not _mentions_unit(item.prompt + " " + item.key, unit):
            return "unit_missing"  # "Quel est le temps entre chaque message ?" 30 what?
    for match in _EXPRESSION.finditer(item.prompt):
        try:
            value = evaluate(match.group(0))
        except (ValueError, ZeroDivisionError, ArithmeticError):
            continue
        return None if abs(float(value) - float(key.value)) <= (item.tolerance or 1e-9) else "recomputed_differs"
    if any(n.value == key.value for n in scan_numbers(item.source.quote)):
        return None
    return "number_not_in_quote"


def _unit_of(quote: str, value) -> str | None:
    for match in _UNIT.finditer(quote):
        number = parse_quantity(match.group(1))
        if number is not None and number.value == value:
            return match.group(2).lower()
    return None


def _mentions_unit(text: str, unit: str) -> bool:
    root = fold(unit.lower()).rstrip("s")[:5] or unit
    return root in fold(text.lower())


def check_not_duplicate(item: Item, known: Iterable[KnownItem]) -> str | None:
    prompt, key = normalize(item.prompt), normalize(item.key)
    for other in known:
        if other.id == item.id and item.id:
            continue
        if other.kind != item.kind:
            continue
        if normalize(other.prompt) == prompt or fuzz.ratio(normalize(other.prompt), prompt) >= DUPLICATE_RATIO:
            return "same_prompt"
        if item.source.quote and other.quote == item.source.quote and normalize(other.key) == key:
            return "same_sentence_and_key"
    return None


# -- the model's check ---------------------------------------------------------------------------

def model_answer(model, item: Item, seed: int = 42) -> str:
    """What the model answers to `item`, given the passage (a choice's text, vrai/faux, or free text)."""
    passage = item.context or display(item.source.quote)
    if item.kind == "mcq":
        listed = "\n".join(f"{LETTERS[i]}) {c}" for i, c in enumerate(item.choices or []))
        task = f"Question : {item.prompt}\n{listed}\n\nD'après le passage, quelle est la bonne réponse ? Donne sa lettre."
        letter = ask_json(model, passage_messages(passage, task), LETTER_SCHEMA, max_tokens=16, seed=seed)["lettre"]
        return (item.choices or [])[LETTERS.index(letter)]
    if item.kind == "true_false":
        task = f"Affirmation : {statement_of(item)}\n\nD'après le passage, cette affirmation est-elle vraie ou fausse ?"
        return ask_json(model, passage_messages(passage, task), TRUTH_SCHEMA, max_tokens=16, seed=seed)["reponse"]
    if item.kind == "cloze":
        task = (f"Phrase à compléter : {item.prompt}\n\nD'après le passage, quel mot ou groupe de mots "
                f"remplace {BLANK} ? Donne seulement ce mot ou ce groupe de mots.")
    else:
        task = f"Question : {item.prompt}\n\nD'après le passage, réponds en quelques mots seulement."
    return str(ask_json(model, passage_messages(passage, task), ANSWER_SCHEMA, max_tokens=40, seed=seed)["reponse"])


# -- all together ------------------------------------------------------------------------------

def _applicable(kind: str) -> list[str]:
    names = ["schema", "well_formed", "quote_verbatim", "key_in_passage"]
    if kind != "true_false":
        names.append("key_not_in_stem")
    if kind == "mcq":
        names += ["choices_distinct", "choices_same_type", "no_all_none", "distractors_not_in_quote"]
    if kind == "numeric":
        names.append("numeric_recomputed")
    return names + ["not_duplicate"]


def validate(item: Item, *, document_text: str | None, known: Sequence[KnownItem] = (), model=None,
             lang: str = "fr", seed: int = 42, sourced: bool = True, corpus: str | None = None) -> Item:
    """`item` with every applicable check run and recorded (`checks`, and `failed_reasons` in words).

    `sourced=False` (a teacher's own item with no passage behind it) skips the checks that
    need a source; `model=None` skips answerability; `corpus` (the library's text) lets
    `distractors_not_in_quote` look for a wrong choice stated elsewhere than in this document."""
    checks: dict[str, bool] = {}
    reasons: dict[str, str] = {}

    def record(name: str, problem: str | None, **params) -> None:
        checks[name] = problem is None
        if problem is not None:
            reasons[name] = t(f"items.reason.{problem}", lang, **params)

    in_code = {
        "well_formed": lambda: check_well_formed(item),
        "quote_verbatim": lambda: check_quote_verbatim(item, document_text),
        "key_in_passage": lambda: check_key_in_passage(item),
        "key_not_in_stem": lambda: check_key_not_in_stem(item),
        "choices_distinct": lambda: check_choices_distinct(item),
        "choices_same_type": lambda: check_choices_same_type(item),
        "no_all_none": lambda: check_no_all_none(item),
        "distractors_not_in_quote": lambda: check_distractors_not_in_quote(item, corpus or document_text),
        "numeric_recomputed": lambda: check_numeric(item),
        "not_duplicate": lambda: check_not_duplicate(item, known),
    }
    problem = check_schema(item)
    record("schema", problem)
    for name in _applicable(item.kind)[1:]:
        if problem is not None and name != "not_duplicate":
            continue  # a malformed item is not worth the other checks
        if not sourced and name in ("quote_verbatim", "key_in_passage", "distractors_not_in_quote"):
            continue
        record(name, in_code[name]())
    if model is not None and all(checks.values()):
        try:
            answer = model_answer(model, item, seed)
        except ModelError as exc:
            record("answerable", "model_failed", detail=exc.message(lang))
        else:
            right = grade(item, answer, lang=lang).correct
            record("answerable", None if right else "model_disagrees", answer=" ".join(answer.split())[:80])
    return item.copy(checks=checks, failed_reasons=reasons)


__all__ = ["CHECKS", "KnownItem", "model_answer", "statement_of", "validate"]
