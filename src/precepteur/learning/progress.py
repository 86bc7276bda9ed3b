"""Progress as plain data: a learner's skills, and a class's dashboard (pure functions).

- `skill_progress`: per skill practised, mastery σ(θ) with its answers (rated from
  MIN_ANSWERS), the next due review (ISO 8601 UTC), reviews waiting now, reviews
  done, and every card's due date.
- `dashboard`: a learner × skill mastery heat map, the skills the class struggles
  with (mean mastery under STRUGGLE_BELOW among learners who answered), and items
  that behave badly with at least MIN_ITEM_ANSWERS first answers: too easy (right
  rate ≥ TOO_EASY), too hard (≤ TOO_HARD), or inverted (answered right by weak
  learners and wrong by strong ones: the correlation between being right and the
  learner's θ in the skill ≤ INVERTED_BELOW).

Constants: STRUGGLE_BELOW, MIN_ITEM_ANSWERS, TOO_EASY, TOO_HARD, INVERTED_BELOW.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from .mastery import SkillEstimate

STRUGGLE_BELOW = 0.6
MIN_ITEM_ANSWERS = 5
TOO_EASY = 0.95
TOO_HARD = 0.2
INVERTED_BELOW = -0.2


def iso(when: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z ("2025-03-11T09:00:00Z"), or None."""
    if when is None:
        return None
    return when.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class CardInfo:
    item_id: int
    library: str
    skill: str
    due: datetime
    reviews: int = 0


def skill_progress(estimates: Mapping[tuple[str, str], SkillEstimate], cards: Iterable[CardInfo], now: datetime,
                   labels: Mapping[tuple[str, str], str] | None = None) -> list[dict]:
    """The `/api/me/progress` skills, weakest first."""
    labels = labels or {}
    by_skill: dict[tuple[str, str], list[CardInfo]] = {}
    for card in cards:
        by_skill.setdefault((card.library, card.skill), []).append(card)
    out = []
    for key in sorted(set(estimates) | set(by_skill)):
        estimate = estimates.get(key, SkillEstimate())
        skill_cards = sorted(by_skill.get(key, []), key=lambda c: (c.due, c.item_id))
        out.append({
            "skill": key[1], "library": key[0], "label": labels.get(key, key[1]),
            "mastery": round(estimate.mastery, 4), "answers": estimate.answers, "rated": estimate.evaluated,
            "due": iso(skill_cards[0].due) if skill_cards else None,
            "due_now": sum(1 for c in skill_cards if c.due <= now),
            "reviews": sum(c.reviews for c in skill_cards),
            "items": [{"id": c.item_id, "due": iso(c.due)} for c in skill_cards],
        })
    return sorted(out, key=lambda row: (row["mastery"], row["library"], row["skill"]))


@dataclass(frozen=True)
class FirstAnswer:
    learner_id: int
    item_id: int
    skill: str
    correct: bool


def _correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sx = math.sqrt(sum((x - mx) ** 2 for x in xs))
    sy = math.sqrt(sum((y - my) ** 2 for y in ys))
    if sx == 0 or sy == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / (sx * sy)


def dashboard(learners: Sequence[tuple[int, str]], skills: Sequence[tuple[str, str]],
              estimates: Mapping[tuple[int, str], SkillEstimate], answers: Iterable[FirstAnswer]) -> dict:
    """Heat map, struggling skills and badly behaving items of one class (see the module docstring)."""
    heat = []
    for learner_id, name in learners:
        cells = []
        for skill, _label in skills:
            estimate = estimates.get((learner_id, skill))
            cells.append(None if estimate is None or estimate.answers == 0 else
                         {"mastery": round(estimate.mastery, 4), "answers": estimate.answers})
        heat.append({"learner": name, "cells": cells})
    struggling = []
    for column, (skill, label) in enumerate(skills):
        values = [row["cells"][column]["mastery"] for row in heat if row["cells"][column]]
        if values and sum(values) / len(values) < STRUGGLE_BELOW:
            struggling.append({"skill": skill, "label": label, "mastery": round(sum(values) / len(values), 4),
                               "learners": len(values)})
    struggling.sort(key=lambda row: row["mastery"])
    per_item: dict[int, list[FirstAnswer]] = {}
    for answer in answers:
        per_item.setdefault(answer.item_id, []).append(answer)
    items = []
    for item_id, rows in sorted(per_item.items()):
        if len(rows) < MIN_ITEM_ANSWERS:
            continue
        rate = sum(r.correct for r in rows) / len(rows)
        thetas = [estimates.get((r.learner_id, r.skill), SkillEstimate()).theta for r in rows]
        corr = _correlation(thetas, [1.0 if r.correct else 0.0 for r in rows])
        problem = ("too_easy" if rate >= TOO_EASY else "too_hard" if rate <= TOO_HARD
                   else "inverted" if corr is not None and corr <= INVERTED_BELOW else None)
        if problem:
            items.append({"item": item_id, "skill": rows[0].skill, "problem": problem, "right": round(rate, 4),
                          "answers": len(rows), "correlation": None if corr is None else round(corr, 4)})
    return {"skills": [{"skill": s, "label": label} for s, label in skills], "heatmap": heat,
            "struggling": struggling, "items": items}


__all__ = ["CardInfo", "FirstAnswer", "INVERTED_BELOW", "MIN_ITEM_ANSWERS", "STRUGGLE_BELOW", "TOO_EASY",
           "TOO_HARD", "dashboard", "iso", "skill_progress"]
