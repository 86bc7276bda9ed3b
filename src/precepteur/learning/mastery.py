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

Starting points. A learner's first skill starts at INITIAL_THETA; a later skill of the
same library starts at the mean θ of her other skills (`starting_skill`: a learner good
at stacks is likely good at queues). A new item starts at the mean d of the calibrated
items (CALIBRATED_ANSWERS answers or more) of its skill and kind, else of its skill, else
INITIAL_DIFFICULTY (`starting_item`: a skill's cloze items may all be hard).

How sure an estimate is. An estimate resting on n answers is treated as off by a normal
error of variance PRIOR_VARIANCE / (1 + PRIOR_VARIANCE · ANSWER_INFORMATION · n)
(`variance`; ANSWER_INFORMATION is below the p(1 − p) ≈ 0.2 of a Bayesian update because
Elo's K(n) decays slowly and keeps a noise floor — measured on bench/learners.py).
`band_chance` is then the chance that the true P(correct) of an item lies in a band,
the errors of θ and d added: sessions pick by it, so an item whose difficulty rests on
few answers loses to a calibrated one at the same predicted P.

Pure functions over frozen dataclasses: `update` returns new estimates and the
probability it predicted; nothing is changed in place.

Constants: ALPHA = 0.8, BETA = 0.05, INITIAL_THETA = 0.0, INITIAL_DIFFICULTY = 0.0,
MIN_ANSWERS = 5, TARGET_P = 0.8 (the success rate sessions aim at), PRIOR_VARIANCE = 1.0,
ANSWER_INFORMATION = 0.05, CALIBRATED_ANSWERS = 5.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from .items.types import CHOICE_KINDS

ALPHA = 0.8
BETA = 0.05
INITIAL_THETA = 0.0
INITIAL_DIFFICULTY = 0.0
MIN_ANSWERS = 5
TARGET_P = 0.8
PRIOR_VARIANCE = 1.0
ANSWER_INFORMATION = 0.05
CALIBRATED_ANSWERS = 5


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


def starting_skill(others: Iterable[SkillEstimate]) -> SkillEstimate:
    """Where a learner's new skill starts: the mean θ of her other answered skills (precision-weighted)."""
    weights = [(1.0 / variance(e.answers), e.theta) for e in others if e.answers > 0]
    if not weights:
        return SkillEstimate()
    return SkillEstimate(sum(w * theta for w, theta in weights) / sum(w for w, _ in weights), 0)


def starting_item(siblings: Iterable[ItemEstimate]) -> ItemEstimate:
    """Where a new item starts: the mean d of the calibrated `siblings` (same skill and kind), else INITIAL_DIFFICULTY."""
    known = [e.difficulty for e in siblings if e.answers >= CALIBRATED_ANSWERS]
    return ItemEstimate(sum(known) / len(known), 0) if known else ItemEstimate()


def variance(answers: int) -> float:
    """The variance of an estimate's error after `answers` answers (see the module docstring)."""
    return PRIOR_VARIANCE / (1.0 + PRIOR_VARIANCE * ANSWER_INFORMATION * max(0, answers))


def _normal_cdf(z: float) -> float:
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def _band_logit(p: float, guess: float) -> float:
    x = (p - guess) / (1.0 - guess)
    if x <= 0.0:
        return -math.inf
    if x >= 1.0:
        return math.inf
    return math.log(x / (1.0 - x))


def band_chance(skill: SkillEstimate, item: ItemEstimate, guess: float, band: tuple[float, float]) -> float:
    """The chance that the true P(correct) lies in `band`, θ − d being normal around its estimate."""
    spread = math.sqrt(variance(skill.answers) + variance(item.answers))
    mean = skill.theta - item.difficulty
    low, high = _band_logit(band[0], guess), _band_logit(band[1], guess)
    return _normal_cdf((high - mean) / spread) - _normal_cdf((low - mean) / spread)


def mastery_label(estimate: SkillEstimate, lang: str = "fr") -> str:
    """"72 % (8 réponses)", or "non évalué (3 réponses)" under MIN_ANSWERS answers."""
    from ..i18n import t

    if not estimate.evaluated:
        return t("learning.mastery.unrated", lang, answers=estimate.answers)
    return t("learning.mastery.value", lang, percent=round(100 * estimate.mastery), answers=estimate.answers)


__all__ = [
    "ALPHA", "ANSWER_INFORMATION", "BETA", "CALIBRATED_ANSWERS", "INITIAL_DIFFICULTY", "INITIAL_THETA",
    "ItemEstimate", "MIN_ANSWERS", "PRIOR_VARIANCE", "SkillEstimate", "TARGET_P", "Update", "band_chance",
    "guess_rate", "mastery_label", "predict", "sigmoid", "starting_item", "starting_skill", "uncertainty",
    "update", "variance",
]
