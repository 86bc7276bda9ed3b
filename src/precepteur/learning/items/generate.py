"""The generation loop: over-generate candidates across a library's skills, check each,
keep those that pass (through a callback), with progress, cancel and resume.

Work is cut into units, one passage of one skill each, ordered round-robin over the
skills (richest first) so that accepted items spread over the skills; a skill
takes at most its share (`count / skills`, plus one per round) before others get
theirs. In each unit the kinds furthest from their target are tried first, on the
passage's usable sentences, definitions first (in the last pass, a kind that has its share is
still tried after the others while the count is not reached: a library with few numbers
gets its count in other kinds); `cloze` and `true_false` are made by
code, `mcq`, `short_answer` and `numeric` have their question written by the model
on a key chosen by code. Every candidate goes through `checks.validate`.

The loop is deterministic for a library, request and seed, so a run can resume at
the unit where it stopped (`cursor`); what it already accepted is then known to the
duplicate check. `Stats` keeps, per kind, candidates made, each check's passes,
accepted items, seconds spent and how often the model's answer agreed with the key.

A candidate that fails a check in code costs no model call and the next one is
tried at once; the budget (CANDIDATE_FACTOR per item wanted) counts candidates
that reached the model. The units are worked through up to PASSES times, so a
small library still yields every kind.

Constants: CANDIDATE_FACTOR, MAX_TRIES_PER_UNIT, MAX_ITEMS_PER_UNIT, PASSES, TRUE_SHARE, MODEL_KINDS.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ...errors import InputError, ModelError
from ..topics import Topic
from ._build import Context
from .checks import KnownItem, validate
from .cloze import make_cloze
from .model_kinds import (
    MCQ_CHOICES,
    acceptable_distractor,
    distractor_pool,
    key_candidates,
    make_mcq,
    make_numeric,
    make_short_answer,
    numbers_of,
)
from .terms import TermIndex
from .text import Sentence, is_definition, is_exercise_heading, sentences
from .true_false import make_true_false
from .types import KINDS, Item

CANDIDATE_FACTOR = 4  # at most this many model-checked candidates per accepted item wanted
MAX_TRIES_PER_UNIT = 3  # candidates that cost a model call, per unit
MAX_ITEMS_PER_UNIT = 2
PASSES = 3  # a small library is worked through again, for the kinds and sentences left
TRUE_SHARE = 0.4  # share of true statements among accepted true/false items
MODEL_KINDS = ("mcq", "short_answer", "numeric")
_TERM_TEXT_PROBLEMS = (None, "too_long", "leans_on_context", "scenario", "not_a_statement", "fragment", "unbalanced")


@dataclass
class GenerationRequest:
    library: str
    count: int
    kinds: tuple[str, ...] = KINDS
    skill: str | None = None
    seed: int = 0
    level: str | None = None
    lang: str = "fr"

    def to_dict(self) -> dict:
        return {"library": self.library, "count": self.count, "kinds": list(self.kinds), "skill": self.skill,
                "seed": self.seed, "level": self.level, "lang": self.lang}

    @classmethod
    def from_dict(cls, data: dict) -> GenerationRequest:
        return cls(data["library"], int(data["count"]), tuple(data.get("kinds") or KINDS), data.get("skill"),
                   int(data.get("seed", 0)), data.get("level"), data.get("lang", "fr"))


@dataclass
class Stats:
    """Per kind: {"made", "accepted", "seconds", "checks": {name: [passed, run]}, "answerable": [agreed, run]}."""

    kinds: dict[str, dict] = field(default_factory=dict)
    topics: dict[str, int] = field(default_factory=dict)
    generators: dict[str, list[int]] = field(default_factory=dict)  # generator: [accepted, made]
    skipped_passages: int = 0
    costly: int = 0  # candidates that cost a model call

    def _kind(self, kind: str) -> dict:
        return self.kinds.setdefault(kind, {"made": 0, "accepted": 0, "seconds": 0.0, "checks": {},
                                            "answerable": [0, 0], "errors": 0})

    def record(self, item: Item, seconds: float, accepted: bool) -> None:
        entry = self._kind(item.kind)
        entry["made"] += 1
        entry["seconds"] = round(entry["seconds"] + seconds, 3)
        for name, ok in item.checks.items():
            passed, run = entry["checks"].get(name, [0, 0])
            entry["checks"][name] = [passed + int(ok), run + 1]
        if "answerable" in item.checks:
            entry["answerable"] = [entry["answerable"][0] + int(item.checks["answerable"]), entry["answerable"][1] + 1]
        generator = self.generators.setdefault(item.generator, [0, 0])
        generator[1] += 1
        if accepted:
            entry["accepted"] += 1
            generator[0] += 1
            self.topics[item.skill] = self.topics.get(item.skill, 0) + 1

    def record_error(self, kind: str, seconds: float) -> None:
        entry = self._kind(kind)
        entry["made"] += 1
        entry["errors"] += 1
        entry["seconds"] = round(entry["seconds"] + seconds, 3)
        passed, run = entry["checks"].get("schema", [0, 0])
        entry["checks"]["schema"] = [passed, run + 1]

    def accepted(self, kind: str | None = None) -> int:
        if kind is not None:
            return self.kinds.get(kind, {}).get("accepted", 0)
        return sum(entry["accepted"] for entry in self.kinds.values())

    def made(self) -> int:
        return sum(entry["made"] for entry in self.kinds.values())

    def to_dict(self) -> dict:
        return {"kinds": self.kinds, "topics": self.topics, "generators": self.generators,
                "skipped_passages": self.skipped_passages, "costly": self.costly}

    @classmethod
    def from_dict(cls, data: dict | None) -> Stats:
        data = data or {}
        return cls(dict(data.get("kinds", {})), dict(data.get("topics", {})), dict(data.get("generators", {})),
                   int(data.get("skipped_passages", 0)), int(data.get("costly", 0)))


@dataclass
class Progress:
    cursor: int
    units: int
    accepted: int
    candidates: int
    stats: Stats
    state: str = "running"  # running | done | cancelled | exhausted | budget


Unit = tuple[Topic, object]  # (topic, passage)


_USABLE: dict[tuple, list[Sentence]] = {}


def usable(passage) -> list[Sentence]:
    """The sentences of a passage that can stand alone and state something (a definition, a
    property, a number), definitions first."""
    key = (passage.document, passage.start, passage.end, passage.text)
    if key not in _USABLE:
        if len(_USABLE) > 20_000:
            _USABLE.clear()
        found = [s for s in sentences(passage) if s.problem is None and (is_definition(s.text) or numbers_of(s))]
        _USABLE[key] = sorted(found, key=lambda s: (not is_definition(s.text), s.start))
    return _USABLE[key]


def term_index(topics: Sequence[Topic]) -> TermIndex:
    """The library's key terms, counted on its prose (code, questions and instructions left out)."""
    texts = {t.id: [s.display for p in t.passages for s in sentences(p) if s.problem in _TERM_TEXT_PROBLEMS]
             for t in topics}
    return TermIndex.build(texts)


def plan_units(topics: Sequence[Topic]) -> list[Unit]:
    """Round-robin over the skills (those with the most usable sentences first), one passage at a time.

    Within a skill, passages with more usable sentences come first; passages of exercises,
    activities and projects only when the skill has no course text (their sentences speak of
    one scenario's objects: "Sf de type float est la ___ du bien"), and skills made of nothing
    but exercises (a sheet's "Exercice 5.6") only when no skill asked for has course text."""
    def course_of(topic: Topic) -> list:
        return [p for p in topic.passages if not is_exercise_heading(p.heading)]

    rich = []
    for topic in [t for t in topics if course_of(t)] or list(topics):
        course = course_of(topic) or list(topic.passages)
        passages = sorted((p for p in course if usable(p)), key=lambda p: -len(usable(p)))
        if passages:
            rich.append((topic, passages, sum(len(usable(p)) for p in passages)))
    rich.sort(key=lambda r: -r[2])
    units: list[Unit] = []
    for index in range(max((len(p) for _, p, _ in rich), default=0)):
        for topic, passages, _ in rich:
            if index < len(passages):
                units.append((topic, passages[index]))
    return units


class Generator:
    """One generation run over a library (see the module docstring)."""

    def __init__(self, model, request: GenerationRequest, topics: Sequence[Topic], *,
                 document_text: Callable[[str], str], known: Sequence[KnownItem] = (),
                 on_accept: Callable[[Item], Item] | None = None,
                 on_progress: Callable[[Progress], None] | None = None,
                 cancel: threading.Event | None = None, clock: Callable[[], float] = time.perf_counter):
        unknown = [k for k in request.kinds if k not in KINDS]
        if unknown or not request.kinds:
            raise InputError("items.error.unknown_kind", kinds=", ".join(unknown) or "-", known=", ".join(KINDS))
        if request.count < 1:
            raise InputError("items.error.bad_count")
        self.model = model
        self.request = request
        self.all_topics = list(topics)
        chosen = [t for t in topics if not t.hidden]
        if request.skill is not None:
            chosen = [t for t in topics if t.id == request.skill or request.skill in t.merged]
            if not chosen:
                raise InputError("items.error.unknown_skill", skill=request.skill)
        if not any(t.passages for t in chosen):
            raise InputError("items.error.empty_library", library=request.library)
        self.topics = chosen
        self.units = plan_units(chosen) * PASSES
        self.overflow_from = len(self.units) // PASSES * (PASSES - 1)  # the last pass: see _order
        if not self.units:
            raise InputError("items.error.no_usable_text", library=request.library)
        self.terms = term_index(self.all_topics)
        self.document_text = document_text
        self.known = list(known)
        self.on_accept = on_accept or (lambda item: item)
        self.on_progress = on_progress or (lambda progress: None)
        self.cancel = cancel or threading.Event()
        self.clock = clock
        self.wanted = self._split(request.count, request.kinds)
        self._texts: dict[str, str] = {}
        self._tried: set[tuple] = set()
        # Every passage of the library: a wrong choice that another document states as well as
        # the quote states the key makes a question with two keys (checks.distractor_also_fits).
        self.corpus = "\n".join(p.text for t in self.all_topics for p in t.passages)

    @staticmethod
    def _split(count: int, kinds: Sequence[str]) -> dict[str, int]:
        base, extra = divmod(count, len(kinds))
        return {kind: base + (1 if i < extra else 0) for i, kind in enumerate(kinds)}

    def _text(self, document: str) -> str | None:
        if document not in self._texts:
            try:
                self._texts[document] = self.document_text(document)
            except InputError:
                return None
        return self._texts[document]

    # -- candidates ------------------------------------------------------------------------

    def _fresh(self, kind: str, sentence: Sentence, key: str) -> bool:
        """True the first time this run meets (kind, sentence, key); later passes try something else."""
        mark = (kind, sentence.passage.document, sentence.start, key)
        if mark in self._tried:
            return False
        self._tried.add(mark)
        return True

    def _candidates(self, kind: str, unit_sentences: list[Sentence], context: Context, stats: Stats, seed: int):
        """Candidates of `kind` from the unit's sentences, made on demand (model ones as callables)."""
        for sentence in unit_sentences:
            if kind == "cloze":
                yield from (i for i in make_cloze(sentence, self.terms, context, 2) if self._fresh(kind, sentence, i.key))
            elif kind == "true_false":
                made = make_true_false(sentence, self.terms, context)
                true_items = stats.generators.get("true_false.copy", [0, 0])[0]
                want_true = true_items < TRUE_SHARE * max(1, stats.accepted("true_false") + 1)
                ordered = made if want_true or len(made) == 1 else made[1:] + made[:1]
                yield from (i for i in ordered if self._fresh(kind, sentence, i.key))
            elif kind == "numeric":
                for number in numbers_of(sentence)[:2]:
                    if self._fresh(kind, sentence, number):
                        yield lambda s=sentence, n=number: make_numeric(self.model, s, context, n, seed)
            else:
                for key in key_candidates(sentence, self.terms, context.skill, 2):
                    if kind == "mcq" and not self._has_distractors(key, sentence, context.skill):
                        continue  # the model's wrong answers are often unusable: keep a way to four choices
                    if not self._fresh(kind, sentence, key):
                        continue
                    if kind == "mcq":
                        yield lambda s=sentence, k=key: make_mcq(self.model, s, self.terms, context, k, seed)
                    else:
                        yield lambda s=sentence, k=key: make_short_answer(self.model, s, self.terms, context, k, seed)

    def _has_distractors(self, key: str, sentence: Sentence, skill: str) -> bool:
        kept: list[str] = []
        for wrong in distractor_pool(key, self.terms, skill, sentence):
            if acceptable_distractor(wrong, key, kept, sentence.text):
                kept.append(wrong)
        return len(kept) >= MCQ_CHOICES - 1

    def _order(self, stats: Stats, cursor: int) -> list[str]:
        """The kinds to try, furthest from their share first. In the last pass, while the count is
        not reached, the kinds that have their share come after (a library with few numbers
        still gets its count)."""
        kinds = [k for k in self.request.kinds if stats.accepted(k) < self.wanted[k]]
        rotation = cursor % max(1, len(kinds))
        kinds = kinds[rotation:] + kinds[:rotation]
        kinds.sort(key=lambda k: -(self.wanted[k] - stats.accepted(k)) / max(1, self.wanted[k]))
        if cursor >= self.overflow_from and stats.accepted() < self.request.count:
            kinds += sorted((k for k in self.request.kinds if k not in kinds),
                            key=lambda k: (stats.accepted(k) / max(1, self.wanted[k]), self.request.kinds.index(k)))
        return kinds

    def _unit(self, topic: Topic, passage, stats: Stats, cursor: int) -> None:
        unit_sentences = usable(passage)
        if not unit_sentences:
            stats.skipped_passages += 1
            return
        context = Context(self.request.library, topic.id, self.request.level, self.request.lang)
        tries = accepted = 0
        used: set[int] = set()
        spent: set[str] = set()  # kinds this passage has nothing more for
        seed = self.request.seed * 1000 + cursor
        while tries < MAX_TRIES_PER_UNIT and accepted < MAX_ITEMS_PER_UNIT and not self.cancel.is_set():
            kinds = [k for k in self._order(stats, cursor + tries) if k not in spent]
            if not kinds:
                return
            kind = kinds[0]
            available = [s for s in unit_sentences if s.start not in used]
            outcome = self._try(kind, available, context, stats, seed + tries)
            if outcome is None:
                spent.add(kind)
                continue
            costly, item = outcome
            tries += int(costly)
            if item is not None:
                used.add(item.source.start)
                accepted += 1

    def _try(self, kind: str, available: list[Sentence], context: Context, stats: Stats, seed: int):
        """Candidates of `kind` until one costs a model call or passes; (costly, accepted item or None),
        or None when the passage has no (new) candidate of this kind."""
        for candidate in self._candidates(kind, available, context, stats, seed):
            began = self.clock()
            costly = callable(candidate)
            if costly:
                try:
                    candidate = candidate()
                except ModelError:
                    stats.record_error(kind, self.clock() - began)
                    stats.costly += 1
                    return True, None
            checked = validate(candidate, document_text=self._text(candidate.source.document),
                               known=self.known, model=self.model, lang=self.request.lang, seed=seed,
                               corpus=self.corpus)
            ok = checked.passed
            stats.record(checked, self.clock() - began, ok)
            costly = costly or "answerable" in checked.checks
            stats.costly += int(costly)
            if ok:
                stored = self.on_accept(checked)
                self.known.append(KnownItem(stored.id, stored.kind, stored.prompt, stored.key, stored.source.quote))
                return costly, stored
            if costly:
                return True, None
        return None

    def _cap(self, round_no: int) -> int:
        return math.ceil(self.request.count / max(1, len(self.topics))) + round_no

    def run(self, cursor: int = 0, stats: Stats | None = None) -> Progress:
        """Work from unit `cursor` until enough items are accepted, the units or the budget run out, or cancel."""
        stats = stats or Stats()
        budget = self.request.count * CANDIDATE_FACTOR
        per_round = len({t.id for t, _ in self.units}) or 1
        state = "exhausted"
        while cursor < len(self.units):
            if self.cancel.is_set():
                state = "cancelled"
                break
            if stats.accepted() >= self.request.count:
                state = "done"
                break
            if stats.costly >= budget:
                state = "budget"
                break
            topic, passage = self.units[cursor]
            if stats.topics.get(topic.id, 0) < self._cap(cursor // per_round):
                self._unit(topic, passage, stats, cursor)
            if self.cancel.is_set():
                state = "cancelled"
                break
            cursor += 1
            self.on_progress(Progress(cursor, len(self.units), stats.accepted(), stats.made(), stats))
        else:
            state = "done" if stats.accepted() >= self.request.count else "exhausted"
        if state == "exhausted" and stats.accepted() >= self.request.count:
            state = "done"
        progress = Progress(cursor, len(self.units), stats.accepted(), stats.made(), stats, state)
        self.on_progress(progress)
        return progress


__all__ = ["CANDIDATE_FACTOR", "GenerationRequest", "Generator", "Progress", "Stats", "plan_units", "term_index",
           "usable"]
