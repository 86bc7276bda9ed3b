"""Prompt-injection hygiene for text retrieved from documents, before it enters a prompt.

A teacher's document (or a file a learner managed to get into a library) may contain
lines that read as orders to the model: "ignore your instructions", "ignore les
consignes précédentes", "system:", chat-template tokens such as <|im_start|> or
[INST]. `sanitize()` returns a copy for the prompt where chat-template tokens are
removed and instruction-like lines replaced by a visible placeholder; the stored text
is never modified, so quotes are still checked against the original.

Constants: CHAT_TOKENS, ROLE_MARKER, INSTRUCTION_PATTERNS.
"""

from __future__ import annotations

import re

from ..i18n import t

CHAT_TOKENS = re.compile(
    r"<\|[^|<>\n]{1,40}\|>"  # <|im_start|>, <|eot_id|>, <|system|>, <|start_header_id|> ...
    r"|\[/?INST\]|<</?SYS>>|</?s>|<(?:start|end)_of_turn>|<\|?(?:endoftext|bos|eos)\|?>",
    re.IGNORECASE,
)
ROLE_MARKER = re.compile(
    r"^\s*(?:[#>*\-\s]*)(?:system|assistant|user|human|developer|système|systeme|développeur"
    r"|assistant\(e\)|### ?(?:instruction|response|system)s?)\s*:",
    re.IGNORECASE,
)
_ORDERS_EN = r"(?:instructions?|rules|prompts?|directions|guidelines|context)"
_ORDERS_FR = r"(?:consignes?|instructions?|règles|regles|directives|ordres|prompts?)"
INSTRUCTION_PATTERNS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"\b(?:ignore|disregard|forget|override|bypass)\b[^.\n]{{0,40}}\b{_ORDERS_EN}",
        r"\byou are now\b|\bfrom now on,? you\b|\bact as (?:an?|the) (?:unrestricted|new|different)\b",
        r"\bnew (?:system )?instructions?\s*:",
        r"\b(?:reveal|print|show|repeat)\b[^.\n]{0,30}\b(?:system prompt|your prompt|your instructions)\b",
        rf"\b(?:ignore[rsz]?|oublie[rsz]?|n['’]?(?:obéis|obeis|tiens)|contourne[rsz]?)\b[^.\n]{{0,40}}\b{_ORDERS_FR}",
        rf"\bne (?:tiens|tenez) (?:pas|plus) compte\b[^.\n]{{0,30}}\b{_ORDERS_FR}",
        r"\btu es (?:maintenant|désormais|desormais)\b|\bà partir de maintenant,? tu\b",
        r"\bnouvelles? (?:consignes?|instructions?)\s*:",
        r"\b(?:révèle|revele|affiche|répète|repete)[rsz]?\b[^.\n]{0,30}\b(?:prompt|consignes|instructions)\b",
    )
)


def is_instruction_like(line: str) -> bool:
    """True when a line reads as an order to the model rather than course material."""
    return bool(CHAT_TOKENS.search(line) or ROLE_MARKER.match(line)
                or any(p.search(line) for p in INSTRUCTION_PATTERNS))


def find_injections(text: str) -> list[str]:
    """The instruction-like lines of a text (for logs, tests and teacher warnings)."""
    return [line.strip() for line in text.splitlines() if is_instruction_like(line)]


def sanitize(text: str, lang: str = "fr", remove: tuple[str, ...] = ()) -> str:
    """A copy of `text` safe to place in a prompt as data.

    Chat-template tokens and the strings in `remove` (the prompt's own delimiters) are
    deleted wherever they occur; instruction-like lines become a placeholder.
    """
    for marker in remove:
        text = re.sub(re.escape(marker), " ", text, flags=re.IGNORECASE)
    placeholder = t("guard.injection.removed", lang)
    lines = []
    for line in text.split("\n"):
        if ROLE_MARKER.match(line) or any(p.search(line) for p in INSTRUCTION_PATTERNS):
            lines.append(placeholder)
        else:
            lines.append(CHAT_TOKENS.sub(" ", line))
    return "\n".join(lines)
