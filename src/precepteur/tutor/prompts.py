"""Prompts: a level-aware system prompt that stays identical across the turns of a
conversation (so the llama.cpp KV cache reuses it), and a user turn that carries
this turn's verified facts and document excerpts.

Context-window budgeting lives here too: earlier turns are dropped oldest first
until system + history + this turn + the answer budget fit the model's window.
"""

from __future__ import annotations

from typing import Callable

from ..i18n import t
from ..learning.levels import Level
from .types import SkillResult

# Tokens kept free for the answer beyond `max_tokens`, for template overhead.
TEMPLATE_MARGIN_TOKENS = 64


def system_prompt(level: Level, mode: str, lang: str, canary: str | None = None) -> str:
    """The stable system prompt for one (level, mode, language), with the installation's canary."""
    label = level.label_fr if lang == "fr" else level.label_en
    style = level.style_fr if lang == "fr" else level.style_en
    text = t("tutor.system", lang, level=label, style=style) + "\n" + t(f"tutor.{mode}", lang)
    return text + ("\n" + t("tutor.canary", lang, canary=canary) if canary else "")


def protected_texts(level: Level, mode: str, lang: str, canary: str | None, with_sources: bool) -> list[str]:
    """Our own words, in both languages, that no answer may recite (8-word spans, while streaming)."""
    texts = []
    for language in ("fr", "en"):
        texts.append(system_prompt(level, mode, language, canary))
        texts.extend(instructions(language, with_sources))
    return texts


def user_turn(question: str, facts: list[SkillResult], sources_block: str, lang: str, guidance: str = "") -> str:
    """This turn's message: excerpts before the learner's words, verified facts after them,
    then this turn's guidance for the model (a rung of homework mode's hint ladder)."""
    if guidance:
        return user_turn(question, facts, sources_block, lang) + "\n\n" + guidance
    if not facts and not sources_block:
        return question
    parts: list[str] = []
    if sources_block:
        parts += [sources_block, t("tutor.question_label", lang) + " " + question]
    else:
        parts.append(question)
    if facts:
        parts.append("")
        parts.extend(t("tutor.fact_line", lang, statement=f.statement or f.result) for f in facts)
        parts.append(t("tutor.facts_intro", lang))
    return "\n".join(parts)


def instructions(lang: str, with_sources: bool) -> list[str]:
    """Our own words in this turn's prompt, which an answer must not recite."""
    texts = [t("tutor.facts_intro", lang), t("tutor.question_label", lang)]
    if with_sources:
        texts.append(t("sources.header", lang, open="", close=""))
    return texts


def fit_history(
    system: str,
    history: list[dict],
    turn: str,
    *,
    context_window: int,
    answer_tokens: int,
    count_tokens: Callable[[str], int],
) -> list[dict]:
    """The most recent earlier turns that fit in the window with this turn and the answer."""
    budget = context_window - answer_tokens - TEMPLATE_MARGIN_TOKENS
    budget -= count_tokens(system) + count_tokens(turn)
    kept: list[dict] = []
    for message in reversed([m for m in history if m.get("content")]):
        cost = count_tokens(message["content"]) + 8
        if cost > budget:
            break
        kept.append({"role": message["role"], "content": message["content"]})
        budget -= cost
    kept.reverse()
    # A conversation handed to the model starts with a user turn.
    while kept and kept[0]["role"] != "user":
        kept.pop(0)
    return kept


def build_messages(
    system: str,
    history: list[dict],
    turn: str,
    *,
    context_window: int,
    answer_tokens: int,
    count_tokens: Callable[[str], int],
) -> list[dict]:
    kept = fit_history(
        system, history, turn,
        context_window=context_window, answer_tokens=answer_tokens, count_tokens=count_tokens,
    )
    return [{"role": "system", "content": system}, *kept, {"role": "user", "content": turn}]
