"""Does an answer give its identity away? Then its battle is `leaked_identity`.

`identity_leak(text, names, recites)` is pure: it returns why the answer breaks the
blind (the model or organisation it names, or `system_prompt` when it echoes our
instructions, as judged by the `recites` callable the tutor provides), or None.
Names are matched as whole words, case- and accent-insensitively, and a name's
parts count on their own when long enough to be distinctive ("qwen2.5-coder-1.5b"
yields "qwen"): a judge who reads "je suis Qwen" knows who answered.

`public_text(value, secrets)` is the check the web shell runs on everything it sends
before the vote: whether any of the contestants' identifiers appears in it.

Constants: KNOWN_NAMES (model families and their makers), MIN_PART_CHARS.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Callable, Iterable

KNOWN_NAMES = (
    "qwen", "alibaba", "tongyi", "smollm", "hugging face", "huggingface", "llama", "meta ai", "mistral",
    "mixtral", "openai", "chatgpt", "gpt-4", "gpt-3", "gpt4", "anthropic", "claude", "google", "gemini", "gemma",
    "microsoft", "phi-3", "phi-4", "deepseek", "lucie", "linagora", "openllm-france", "olmo", "baichuan",
    "internlm", "cohere", "command-r", "vicuna",
)
MIN_PART_CHARS = 4
_GENERIC_PARTS = {"instruct", "chat", "coder", "base", "model", "gguf", "q4_k_m", "scripted", "test"}


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def identity_terms(names: Iterable[str]) -> list[str]:
    """The terms that identify the given contestant or model names, folded, longest first."""
    terms: set[str] = set()
    for name in names:
        folded = _fold(str(name)).strip()
        if not folded:
            continue
        terms.add(folded)
        for part in re.split(r"[\s/:_.\-]+", folded):
            if len(part) >= MIN_PART_CHARS and part not in _GENERIC_PARTS and not part.isdigit():
                terms.add(part)
    return sorted(terms, key=len, reverse=True)


def identity_leak(text: str, names: Iterable[str] = (), recites: Callable[[str], bool] | None = None) -> str | None:
    """Why `text` breaks the blind (a name it says, or "system_prompt"), or None."""
    folded = _fold(text or "")
    for term in [*identity_terms(names), *KNOWN_NAMES]:
        if re.search(r"(?<![\w])" + re.escape(term) + r"(?![\w])", folded):
            return term
    if recites is not None and text and recites(text):
        return "system_prompt"
    return None


def public_text(value: str, secrets: Iterable[str]) -> str | None:
    """The first secret (contestant id, model, hash, version) found in `value`, or None."""
    folded = _fold(value)
    for secret in secrets:
        if secret and _fold(secret) in folded:
            return secret
    return None


__all__ = ["KNOWN_NAMES", "identity_leak", "identity_terms", "public_text"]
