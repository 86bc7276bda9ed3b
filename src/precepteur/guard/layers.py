"""The inbound guard as layers, cheapest first, each one measured on its own.

    (a) rules      deterministic French rules after normalisation (rules.py, no model)
    (b) semantic   a small network over sentence embeddings of labelled examples (semantic.py)
    (c) judge      the local model, asked whether the message belongs to the category the
                   semantic layer proposed, under a JSON schema (judge.py)

The rules decide whenever they act. Otherwise the semantic layer's probability that
the message is harmful decides: for distress (self-harm, harassment, a child in danger,
sextortion) and sexual content from DISTRESS_PROBABILITY, with one kind message that gives every help
line (3114, 3018, 119), because the nearest category may be the wrong one and a kind
redirect costs less than a missed child; for the other categories from
ACT_PROBABILITY. Between ASK_PROBABILITY and those thresholds the judge, when there is
one, confirms or clears the category. A learner who asks how to help someone else in
distress (the rules' ALLY, not SELF_REVEAL) is answered, with the help lines as a footnote,
as the rules do. If the judge cannot answer, the guard fails
closed on distress and sexual content. `judge_mode="always"` asks the judge about every
message the rules let through (slower; for evaluation); "off" never asks it.

Whatever layer decides, the learner reads the policy's words and help lines.

Constants: DISTRESS, FAIL_CLOSED, JUDGE_MODES, SHORT_WORDS.
"""

from __future__ import annotations

import logging

from ..i18n import t
from .inbound import check
from .judge import GuardJudge, JudgeUnavailable
from .normalize import normalize
from .policy import Policy, load_policy
from .rules import ALLY_FOOTNOTED, ally_footnote, asks_for_someone_else
from .semantic import ACT_PROBABILITY, ASK_PROBABILITY, DISTRESS_PROBABILITY
from .verdict import Verdict

log = logging.getLogger("precepteur.guard")

SHORT_WORDS = 2  # a message of at most this many words is left to the rules (see semantic_reading)
DISTRESS = frozenset({"self_harm", "harassment", "child_danger", "sextortion"})
FAIL_CLOSED = DISTRESS | {"sexual"}
JUDGE_MODES = ("auto", "always", "off")


def verdict_for(category: str, base: Verdict, policy: Policy, lang: str, layer: str) -> Verdict:
    """The policy's verdict for `category`, keeping what the rules already found (masking...)."""
    policy_category = policy.category(category)
    action = policy_category.action
    message = t(policy_category.message, lang)
    return base.but(action=action, category=category, categories=(category,), message=message,
                    flag=policy_category.flag, layer=layer)


class Guard:
    """Inbound checks for one installation: rules, then (optionally) semantic, then judge."""

    def __init__(self, *, semantic=None, judge_model=None, judge_mode: str = "auto", policy: Policy | None = None):
        if judge_mode not in JUDGE_MODES:
            raise ValueError(f"judge_mode must be one of {JUDGE_MODES}")
        self.semantic = semantic
        self.judge = GuardJudge(judge_model) if judge_model is not None and judge_mode != "off" else None
        self.judge_mode = judge_mode
        self.policy = policy or load_policy("fr")

    def inspect(self, question: str, level_cycle: str = "adulte", lang: str = "fr", names=()) -> Verdict:
        verdict = check(question, level_cycle, lang, names)
        if verdict.refused or verdict.action == "hint" or verdict.footnote:
            return verdict  # the rules recognised graded work or a lesson on a hard subject
        text = verdict.question or question
        vote = self._vote(text)
        if vote is None:
            return self._ask_judge(verdict, text, lang, level_cycle, None) if self.judge_mode == "always" else verdict
        if vote.category in DISTRESS and vote.probability >= DISTRESS_PROBABILITY:
            if vote.category in ALLY_FOOTNOTED and asks_for_someone_else(normalize(text), self.policy):
                return verdict.but(footnote=ally_footnote(lang), category="distress", categories=("distress",),
                                   layer="semantic")  # how to help a friend: answered, with the lines
            return self._distress(verdict, lang)
        if vote.probability >= (DISTRESS_PROBABILITY if vote.category in FAIL_CLOSED else ACT_PROBABILITY):
            return verdict_for(vote.category, verdict, self.policy, lang, "semantic")
        if self.judge is not None and (vote.probability >= ASK_PROBABILITY or self.judge_mode == "always"):
            return self._ask_judge(verdict, text, lang, level_cycle, vote)
        return verdict

    def _distress(self, verdict: Verdict, lang: str) -> Verdict:
        return verdict.but(action="redirect", category="distress", categories=("distress",),
                           message=t("guard.distress", lang), flag=True, layer="semantic")

    def _ask_judge(self, verdict: Verdict, text: str, lang: str, level_cycle: str, vote) -> Verdict:
        candidate = vote.category if vote is not None else "self_harm"
        try:
            category = self.judge.judge(text, lang, candidate)
        except JudgeUnavailable as exc:
            log.warning("guard judge unavailable", extra={"error": str(exc)})
            if vote is not None and vote.category in FAIL_CLOSED and vote.probability >= ASK_PROBABILITY:
                return self._distress(verdict, lang) if vote.category in DISTRESS else verdict_for(
                    vote.category, verdict, self.policy, lang, "semantic")
            return verdict
        if category == "aucune" or (category == "cheating" and level_cycle == "adulte"):
            return verdict
        return verdict_for(category, verdict, self.policy, lang, "judge")

    def _vote(self, text: str):
        """The semantic layer's vote on the message as it reads it (`semantic_reading`)."""
        if self.semantic is None:
            return None
        reading = semantic_reading(text, self.policy)
        if not reading:
            return None
        try:
            return self.semantic.classify(reading)
        except Exception:  # the embedder is an optional heavy part: the rules still stand
            log.exception("guard semantic layer failed")
            return None


def semantic_reading(text: str, policy: Policy) -> str:
    """What the semantic layer reads: the message, without its idioms when it has some ("je
    suis mort de rire", "ce contrôle va me tuer" say nothing of dying); "" when nothing is left,
    or when at most SHORT_WORDS words are: on one or two words the classifier's probability is
    noise ("Bonne nuit !" read 0.52, nearest "mon beau-père me touche la nuit"), and a greeting
    must neither cost a judge call nor fail closed; the rules still read every short message.
    Reading each sentence on its own was tried and dropped: a sad sentence taken out of its
    message ("je suis triste depuis que ma meilleure amie a déménagé") scored as distress, 9 of
    70 lessons refused."""
    normalized = normalize(text)
    plain = policy.without_idioms(normalized)
    whole = text if plain == normalized else plain
    return whole if len(plain.split()) > SHORT_WORDS else ""
