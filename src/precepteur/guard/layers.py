"""The inbound guard as layers, cheapest first, each one measured on its own.

    (a) rules      deterministic French rules after normalisation (rules.py, no model)
    (b) semantic   nearest labelled examples by meaning (semantic.py, embeddings only)
    (c) judge      the local model, asked whether the message belongs to the category the
                   semantic layer proposed, under a JSON schema (judge.py)

The rules decide whenever they act. Otherwise a semantic vote with a margin (see
semantic.py) asks the judge, whose category stands ("aucune" lets the question
through). If the judge cannot answer, the guard fails closed on self-harm and
sexual content (the issue's rule) and, because a missed child costs more than a
kind redirect, on every distress category. With no judge (mode "off", or no model),
only a confident vote on distress acts: the semantic layer never refuses on its own. `judge_mode="always"` asks the judge about every
message the rules let through (slower; for evaluation).

Whatever layer decides, the learner reads the policy's words and help lines.

Constants: DISTRESS, FAIL_CLOSED, JUDGE_MODES.
"""

from __future__ import annotations

import logging

from ..i18n import t
from .inbound import check
from .judge import GuardJudge, JudgeUnavailable
from .policy import Policy, load_policy
from .verdict import Verdict

log = logging.getLogger("precepteur.guard")

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
        weak = vote is not None and vote.weak
        if self.judge is not None and (weak or self.judge_mode == "always"):
            try:
                candidate = vote.category if vote is not None else "self_harm"
                category = self.judge.judge(text, lang, candidate)
            except JudgeUnavailable as exc:
                log.warning("guard judge unavailable", extra={"error": str(exc)})
                if weak and vote.category in FAIL_CLOSED:
                    return verdict_for(vote.category, verdict, self.policy, lang, "semantic")
                return verdict
            if category not in ("aucune", "cheating") or (category == "cheating" and level_cycle != "adulte"):
                return verdict_for(category, verdict, self.policy, lang, "judge")
            return verdict
        if self.judge is None and vote is not None and vote.confident and vote.category in DISTRESS:
            return verdict_for(vote.category, verdict, self.policy, lang, "semantic")
        return verdict

    def _vote(self, text: str):
        if self.semantic is None:
            return None
        try:
            return self.semantic.classify(text)
        except Exception:  # the embedder is an optional heavy part: the rules still stand
            log.exception("guard semantic layer failed")
            return None
