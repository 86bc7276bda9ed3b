"""The learner model: Elo-style estimates of a learner's skill and of an item's difficulty.

Chosen because it runs online with no fitting step, calibrates the unknown
difficulty of newly generated items as learners answer them, and copes with a
cold start (Pelánek, Computers & Education 2016; proso-apps):

    P(correct) = g + (1 − g) · σ(θ_skill − d_item)
    g          = 1 / choices for a choice item (mcq, true/false), 0 otherwise
    K(n)       = ALPHA / (1 + BETA · n)          (uncertainty after n answers)
    θ_skill   += K(n_learner_skill) · (correct − P)
    d_item    −= K(n_item)          · (correct − P)

θ (per learner and skill) and d (per item) start at INITIAL_THETA and
INITIAL_DIFFICULTY; both are updated only on a learner's *first* answer to an
item (later answers are reviews, for `learning.review`). `n_learner_skill` counts
the learner's first answers in that skill before this one, `n_item` the first
answers to the item before this one.

People see mastery as a probability: σ(θ), the chance of answering an item of
average difficulty right, shown with its number of answers, and "non évalué"
under MIN_ANSWERS answers.

Pure functions over frozen dataclasses: `update` returns new estimates and the
probability it predicted; nothing is changed in place.

Constants: ALPHA = 0.8, BETA = 0.05, INITIAL_THETA = 0.0, INITIAL_DIFFICULTY = 0.0,
MIN_ANSWERS = 5, TARGET_P = 0.8 (the success rate sessions aim at).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .items.types import CHOICE_KINDS

ALPHA = 0.8
BETA = 0.05
INITIAL_THETA = 0.0
INITIAL_DIFFICULTY = 0.0
MIN_ANSWERS = 5
TARGET_P = 0.8


def sigmoid(x: float) -> float:
    """The logistic function, safe for large |x|."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def uncertainty(n: int) -> float:
    """K(n) = ALPHA / (1 + BETA·n): how far one answer moves an estimate seen n times."""
    return ALPHA / (1.0 + BETA * max(0, n))


def guess_rate(kind: str, choices: int | None) -> float:
    """g: 1/choices for choice items (true/false: 1/2), 0 for open answers."""
    if kind not in CHOICE_KINDS:
        return 0.0
    count = 2 if kind == "true_false" and not choices else (choices or 0)
    return 1.0 / count if count > 0 else 0.0


@dataclass(frozen=True)
class SkillEstimate:
    """θ of one learner in one skill, and how many first answers it rests on."""

    theta: float = INITIAL_THETA
    answers: int = 0

    @property
    def mastery(self) -> float:
        """σ(θ): the chance of answering an item of average difficulty right."""
        return sigmoid(self.theta)

    @property
    def evaluated(self) -> bool:
        return self.answers >= MIN_ANSWERS

    def to_dict(self) -> dict:
        return {"theta": self.theta, "answers": self.answers}

    @classmethod
    def from_dict(cls, data: dict) -> SkillEstimate:
        return cls(float(data.get("theta", INITIAL_THETA)), int(data.get("answers", 0)))


@dataclass(frozen=True)
class ItemEstimate:
    """d of one item, and how many first answers it rests on."""

    difficulty: float = INITIAL_DIFFICULTY
    answers: int = 0

    def to_dict(self) -> dict:
        return {"difficulty": self.difficulty, "answers": self.answers}

    @classmethod
    def from_dict(cls, data: dict) -> ItemEstimate:
        return cls(float(data.get("difficulty", INITIAL_DIFFICULTY)), int(data.get("answers", 0)))


def predict(skill: SkillEstimate, item: ItemEstimate, guess: float = 0.0) -> float:
    """P(correct) = g + (1 − g)·σ(θ − d)."""
    return guess + (1.0 - guess) * sigmoid(skill.theta - item.difficulty)


@dataclass(frozen=True)
class Update:
    """The outcome of one first answer: the new estimates and the probability predicted before it."""

    skill: SkillEstimate
    item: ItemEstimate
    predicted: float


def update(skill: SkillEstimate, item: ItemEstimate, correct: bool, guess: float = 0.0) -> Update:
    """The estimates after a learner's first answer to an item (see the module docstring)."""
    p = predict(skill, item, guess)
    error = (1.0 if correct else 0.0) - p
    return Update(
        SkillEstimate(skill.theta + uncertainty(skill.answers) * error, skill.answers + 1),
        ItemEstimate(item.difficulty - uncertainty(item.answers) * error, item.answers + 1),
        p,
    )


def mastery_label(estimate: SkillEstimate, lang: str = "fr") -> str:
    """"72 % (8 réponses)", or "non évalué (3 réponses)" under MIN_ANSWERS answers."""
    from ..i18n import t

    if not estimate.evaluated:
        return t("learning.mastery.unrated", lang, answers=estimate.answers)
    return t("learning.mastery.value", lang, percent=round(100 * estimate.mastery), answers=estimate.answers)


__all__ = [
    "ALPHA", "BETA", "INITIAL_DIFFICULTY", "INITIAL_THETA", "ItemEstimate", "MIN_ANSWERS", "SkillEstimate",
    "TARGET_P", "Update", "guess_rate", "mastery_label", "predict", "sigmoid", "uncertainty", "update",
]
