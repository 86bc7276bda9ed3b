"""A judge model for the items that patterns cannot score on their own.

`ModelJudge(model)` asks a chat model to compare an answer with the item's
reference (`Item.judge`) and to reply with one line, `PASS — reason` or
`FAIL — reason`. A reply with neither word counts as FAIL, so a confused judge
can never inflate a score. The judge only replaces the content checks of items
that carry a rubric; refusals, citations and invented dates stay deterministic.

Constants: JUDGE_MAX_TOKENS, JUDGE_TEMPERATURE, MAX_REASON_CHARS.
"""

from __future__ import annotations

import re

from ..llm.base import ChatModel, GenerationOptions
from .suites import Item

JUDGE_MAX_TOKENS = 80
JUDGE_TEMPERATURE = 0.0
MAX_REASON_CHARS = 200

JUDGE_SYSTEM = (
    "Tu es un correcteur exigeant et impartial. On te donne une question posée à un tuteur, "
    "la réponse de référence ou le critère de réussite, et la réponse du tuteur. "
    "La réponse du tuteur réussit si elle est correcte et conforme au critère, même si elle est "
    "formulée autrement ; elle échoue si elle est fausse, hors sujet, ou invente des faits. "
    "Réponds sur une seule ligne : PASS ou FAIL, puis « — » et une raison courte."
)
_VERDICT = re.compile(r"\b(PASS|FAIL)\b")


def judge_messages(item: Item, answer: str) -> list[dict]:
    """The prompt: the rubric and the answer, never the item's patterns."""
    user = (
        f"Question : {item.question}\n"
        f"Référence / critère : {item.judge}\n"
        f"Réponse du tuteur :\n{answer}\n\n"
        "Verdict (PASS ou FAIL — raison) :"
    )
    return [{"role": "system", "content": JUDGE_SYSTEM}, {"role": "user", "content": user}]


def parse_verdict(reply: str) -> tuple[bool, str]:
    """PASS/FAIL and the one-line reason; an unreadable reply is a FAIL."""
    match = _VERDICT.search(reply)
    line = " ".join(reply.split())
    if match is None:
        return False, ("unreadable judge reply: " + line)[:MAX_REASON_CHARS]
    reason = line[match.end():].lstrip(" :-—–").strip() or match.group(1)
    return match.group(1) == "PASS", reason[:MAX_REASON_CHARS]


class ModelJudge:
    """A chat model used as a judge; `name` is what the report and results.json state."""

    def __init__(self, model: ChatModel, name: str | None = None):
        self.model = model
        self.name = name or model.model_id

    def verdict(self, item: Item, answer: str) -> tuple[bool, str]:
        options = GenerationOptions(max_tokens=JUDGE_MAX_TOKENS, temperature=JUDGE_TEMPERATURE)
        reply, _usage = self.model.complete(judge_messages(item, answer), options)
        return parse_verdict(reply)
