"""Practice sessions (not login sessions, which are `gate.sessions`): which items a
session asks, and where a running session stands. Pure: state in, list out.

`build` chooses MIN_SIZE to MAX_SIZE items of one library (of one skill when asked):

1. due reviews first, most overdue first, for at most MAX_REVIEW_SHARE of the places
   while the bank still has new items (so that a backlog of reviews never stops
   new material: the reviews left wait for the next session, most overdue first);
2. then new items (never answered by this learner) most likely to sit in TARGET_BAND
   (`learning.mastery.band_chance`: the predicted P(correct) with the uncertainty of
   θ and d, so that an item whose difficulty rests on few answers loses to a
   calibrated one, and is explored when nothing calibrated fits), ties broken by the
   predicted P closest to TARGET_P, taken in turn from the learner's weakest skills
   (lowest θ, then fewest answers), FOCUS_SKILLS of them at least when the library
   has that many; a weak skill with no new item predicted in TARGET_BAND comes after
   the skills that have one;
3. then, if the bank has nothing new or due left, items seen before, soonest due first.

When the due reviews all belong to one skill and another skill has new items, one
place is kept for it, so a session spans at least two skills whenever it can.

Skills and items without an estimate yet are predicted from where the learner model
starts them (`starting_skill`: the learner's other skills; `starting_item`: the
calibrated items of the same skill and kind), as the store will start them.

`Progress` replays a session's answers: each planned item is answered once; an
item answered wrong comes back once at the end of the session (the second try is
graded but not logged again); any other answer is refused (`refusal`).

Constants: MIN_SIZE, MAX_SIZE, MAX_REVIEW_SHARE, FOCUS_SKILLS, TARGET_BAND.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from .mastery import (
    TARGET_P, ItemEstimate, SkillEstimate, band_chance, guess_rate, predict, starting_item, starting_skill,
)

MIN_SIZE = 5
MAX_SIZE = 10
MAX_REVIEW_SHARE = 0.5  # of a session's places, while the bank has new items
FOCUS_SKILLS = 2
TARGET_BAND = (0.6, 0.9)  # predicted P(correct) of an item at the right difficulty


@dataclass(frozen=True)
class Candidate:
    """An approved item as the builder sees it."""

    id: int
    skill: str
    kind: str
    choices: int | None = None

    @property
    def guess(self) -> float:
        return guess_rate(self.kind, self.choices)


@dataclass
class LearnerState:
    """What the builder knows of one learner in one library."""

    skills: Mapping[str, SkillEstimate] = field(default_factory=dict)
    items: Mapping[int, ItemEstimate] = field(default_factory=dict)  # every item's difficulty
    due: Mapping[int, datetime] = field(default_factory=dict)  # item id -> due date, for items with a card


class _Estimates:
    """The estimates the builder predicts with: stored ones, else where the learner model starts them."""

    def __init__(self, candidates: Sequence[Candidate], state: LearnerState):
        self.state = state
        self.new_skill = starting_skill(state.skills.values())
        siblings: dict[tuple[str, str], list[ItemEstimate]] = {}
        for c in candidates:
            if c.id in state.items:
                siblings.setdefault((c.skill, c.kind), []).append(state.items[c.id])
        self.new_item = {key: starting_item(found) for key, found in siblings.items()}

    def skill(self, skill: str) -> SkillEstimate:
        return self.state.skills.get(skill) or self.new_skill

    def item(self, c: Candidate) -> ItemEstimate:
        return self.state.items.get(c.id) or self.new_item.get((c.skill, c.kind), ItemEstimate())

    def predicted(self, c: Candidate) -> float:
        return predict(self.skill(c.skill), self.item(c), c.guess)

    def in_band(self, c: Candidate) -> bool:
        return TARGET_BAND[0] <= self.predicted(c) <= TARGET_BAND[1]

    def best(self, pool: list[Candidate]) -> Candidate:
        """The item most likely in TARGET_BAND; then the predicted P closest to TARGET_P; then the lowest id."""
        def rank(c: Candidate):
            chance = band_chance(self.skill(c.skill), self.item(c), c.guess, TARGET_BAND)
            return (-round(chance, 12), abs(self.predicted(c) - TARGET_P), c.id)

        return min(pool, key=rank)


def _skill_order(candidates: Sequence[Candidate], estimates: _Estimates) -> list[str]:
    skills = list(dict.fromkeys(c.skill for c in candidates))
    rank = {skill: i for i, skill in enumerate(skills)}

    def weakness(skill: str):
        estimate = estimates.skill(skill)
        return (estimate.theta, estimate.answers, rank[skill])

    return sorted(skills, key=weakness)


def build(candidates: Sequence[Candidate], state: LearnerState, now: datetime, size: int) -> list[int]:
    """The ids of the session's items, in the order they are asked (see the module docstring)."""
    if now.tzinfo is None:
        raise ValueError("naive datetime: pass an aware UTC datetime")
    size = max(0, min(size, len(candidates)))
    by_id = {c.id: c for c in candidates}
    estimates = _Estimates(candidates, state)
    due = sorted((when, item_id) for item_id, when in state.due.items() if item_id in by_id and when <= now)
    new = [c for c in candidates if c.id not in state.due]
    cap = min(size, math.ceil(size * MAX_REVIEW_SHARE)) if new else size
    review_skills = {by_id[item_id].skill for _, item_id in due[:cap]}
    reserve = 1 if len(review_skills) == 1 and any(c.skill not in review_skills for c in new) else 0
    chosen = [item_id for _, item_id in due[: min(cap, size - reserve)]]

    pools: dict[str, list[Candidate]] = {}
    for c in new:
        pools.setdefault(c.skill, []).append(c)
    order = [skill for skill in _skill_order(new, estimates) if pools.get(skill)]
    # A weak skill with nothing new at the right difficulty gives its turn to the next one.
    fitting = [skill for skill in order if any(estimates.in_band(c) for c in pools[skill])]
    order = fitting + [skill for skill in order if skill not in fitting]
    if reserve:
        order = [s for s in order if s not in review_skills] + [s for s in order if s in review_skills]
    focus = order[:FOCUS_SKILLS]
    turn = 0
    while len(chosen) < size and any(pools.get(s) for s in order):
        for slot, skill in enumerate(focus):  # a focus skill that ran out gives its turn to the next weakest
            if not pools.get(skill):
                focus[slot] = next((s for s in order if s not in focus and pools.get(s)), "")
        focus = [s for s in focus if s]
        skill = focus[turn % len(focus)]
        pick = estimates.best(pools[skill])
        pools[skill].remove(pick)
        chosen.append(pick.id)
        turn += 1

    if len(chosen) < size:  # nothing new left: the other due reviews, then seen items, soonest due first
        seen = sorted((when, item_id) for item_id, when in state.due.items() if item_id in by_id and item_id not in chosen)
        chosen.extend(item_id for _, item_id in seen[: size - len(chosen)])
    return chosen


@dataclass(frozen=True)
class Attempt:
    """One answer given in a session."""

    item_id: int
    correct: bool


@dataclass
class Progress:
    """Where a session stands, replayed from its plan and its answers in order."""

    plan: list[int]
    attempts: list[Attempt] = field(default_factory=list)

    def _counts(self) -> tuple[dict[int, int], set[int]]:
        tries: dict[int, int] = {}
        wrong_first: set[int] = set()
        for a in self.attempts:
            tries[a.item_id] = tries.get(a.item_id, 0) + 1
            if tries[a.item_id] == 1 and not a.correct:
                wrong_first.add(a.item_id)
        return tries, wrong_first

    @property
    def queue(self) -> list[int]:
        """Items still to answer: the planned ones left, then each first-wrong item once more."""
        tries, wrong_first = self._counts()
        left = [i for i in self.plan if i not in tries]
        retries = [a.item_id for a in self.attempts
                   if a.item_id in wrong_first and tries[a.item_id] == 1 and not a.correct]
        return left + list(dict.fromkeys(retries))

    @property
    def total(self) -> int:
        """How many answers the whole session takes, retries included (for the progress bar)."""
        _tries, wrong_first = self._counts()
        return len(self.plan) + len(wrong_first)

    @property
    def done(self) -> bool:
        return not self.queue

    def attempt_number(self, item_id: int) -> int:
        """1 for a first answer, 2 for the retry of a first-wrong item."""
        tries, _ = self._counts()
        return tries.get(item_id, 0) + 1

    def refusal(self, item_id: int) -> str | None:
        """Why an answer to `item_id` is refused now ("not_in_session", "already_answered"), or None."""
        if item_id not in self.plan:
            return "not_in_session"
        if item_id not in self.queue:
            return "already_answered"
        return None


__all__ = ["Attempt", "Candidate", "FOCUS_SKILLS", "LearnerState", "MAX_SIZE", "MIN_SIZE", "Progress", "build"]
