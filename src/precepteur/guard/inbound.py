"""Inbound checks: what a school assistant must refuse, redirect or reshape before any model runs.

The deterministic layer (rules.py over normalize.py and the versioned policy in
policy/fr.yaml) decides first, with no model and no network: distress gets kind
words and the help line (3114, 3018, 119), unsafe requests a calm refusal,
graded work hint mode, injected orders are dropped and personal data masked.
It also flags questions about a person's life (`biography`): Précepteur only tells
a life from the teacher's documents, never from the model's memory, because
inventing biographies was one of LUCIE's public failures.
"""

from __future__ import annotations

from .pii import scrub
from .rules import decide
from .verdict import Verdict


def check(question: str, level_cycle: str = "adulte", lang: str = "fr", names=()) -> Verdict:
    """The deterministic verdict on a learner's message; personal data is masked in `question`."""
    verdict = decide(question, level_cycle, lang)
    scrubbed = scrub(verdict.question, names)
    if scrubbed.found:
        verdict = verdict.but(question=scrubbed.text, pii=scrubbed.kinds)
        if verdict.action == "answer":
            verdict = verdict.but(action="mask", category=verdict.category or "personal_data")
    return verdict
