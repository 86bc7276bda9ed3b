"""Prompt-injection hygiene for text retrieved from documents, before it enters a prompt.

A teacher's document (or a file a learner managed to get into a library) may hide
orders for the model: "ignore les consignes précédentes", "system:", chat-template
tokens such as <|im_start|> or [INST], an HTML comment addressed to "Assistant :", a
white-on-white line in a DOCX, an order in Spanish, German or Italian, written in
leetspeak, with a Cyrillic "о", zero-width characters, letter spacing, or split
over several lines. `sanitize()` returns a copy for the prompt where chat-template
tokens are removed and every line that reads as an order to the model is replaced by
a visible placeholder; the stored text is never modified, so quotes are still checked
against the original.

Detection reads each line after the guard's normalisation (normalize.py: NFKC,
confusables, zero-width, leetspeak, spacing), with the policy's own injection rules
and DOC_ORDERS (addressing the model, other languages, "réponds uniquement …"), and
also reads windows of up to WINDOW_LINES consecutive lines so an order split over
lines is caught as a whole.

Constants: CHAT_TOKENS, ROLE_MARKER, INSTRUCTION_PATTERNS, DOC_ORDERS, WINDOW_LINES, TURN_MAX_LINES.
"""

from __future__ import annotations

import re
import unicodedata

from ..i18n import t
from .normalize import ZERO_WIDTH, normalize
from .policy import load_policy

WINDOW_LINES = 3
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
_TURN_START = re.compile(r"<\|im_start\|>\s*(?:system|assistant|user)|<\|start_header_id\|>|^\s*(?:\[INST\]|<<SYS>>)|<start_of_turn>", re.I)
_TURN_END = re.compile(r"<\|im_end\|>|<\|eot_id\|>|\[/INST\]|<</SYS>>|<end_of_turn>", re.I)
TURN_MAX_LINES = 6
# Over the normalised text (lower-case ASCII words): orders to the model in other words.
_MODEL = r"(?:assistant|assistante|ia|l ia|intelligence artificielle|modele|modele de langage|chatbot|gpt|chatgpt|llm|model|ai|bot|robot|precepteur)"
DOC_ORDERS = tuple(re.compile(p) for p in (
    rf"\b(?:note|instruction|consigne|message|ordre|info) (?:\w+ )?(?:pour|a|au|a l) (?:le |la |l )?{_MODEL}\b",
    rf"\b{_MODEL} (?:\w+ ){{0,2}}(?:ignore|oublie|reponds|repond|ecris|ajoute|remplace|recopie|termine|affiche|dis|tu es|you are|must|should|answer|reply|write)\b",
    r"\b(?:ignora|ignorar|olvida|olvidar|ignoriere|ignorieren|vergiss|vergessen|ignorare|dimentica|dimenticare)\b"
    r".{0,60}\b(?:instrucciones|instruccion|reglas|anweisungen|regeln|vorgaben|istruzioni|regole|indicazioni)\b",
    r"\b(?:responde|antworte|rispondi|reponds|repond|reply|answer|respond|ecris|dis|write|say)(?:s|z)? (?:\w+ ){0,2}(?:uniquement|seulement|juste|only|solamente|nur|solo)\b",
    r"\b(?:consigne|instruction|ordre) (?:prioritaire|secrete|cachee|importante|speciale|urgente)\b",
    r"\b(?:remplace|remplacez) (?:ta|votre|la) reponse\b|\b(?:ajoute|ajoutez) a (?:ta|votre|chaque) reponse\b",
    r"\b(?:termine|terminez|commence|commencez) (?:chaque|toute|toutes|ta|tes|vos) reponses?\b",
    r"\ba (?:toute|chaque) question\b|\bto (?:every|each|any) question\b",
    r"\b(?:ta|votre) seule (?:mission|tache|consigne)\b",
    r"\b(?:prompt systeme|system prompt|message systeme|system message)\b",
    r"\b(?:tu es|vous etes|you are) (?:desormais|maintenant|now|a partir de maintenant)\b",
    r"\b(?:sans filtre|sans restriction|sans regles|without (?:any )?(?:filter|restriction|rules))\b.*\b(?:reponds|answer|ia|assistant)\b",
))


def _clean(line: str) -> str:
    line = unicodedata.normalize("NFKC", line)
    return "".join(c for c in line if c not in ZERO_WIDTH and unicodedata.category(c) != "Cf")


def _orders(raw: str, normalized: str | None = None) -> bool:
    """Whether a piece of text (one line or a few) gives orders to the model."""
    raw = _clean(raw)
    if ROLE_MARKER.match(raw) or any(p.search(raw) for p in INSTRUCTION_PATTERNS):
        return True
    normalized = normalize(raw) if normalized is None else normalized
    if any(p.search(normalized) for p in DOC_ORDERS):
        return True
    return bool(load_policy("fr").category("injection").fired(normalized))


def is_instruction_like(line: str) -> bool:
    """True when a line reads as an order to the model rather than course material."""
    return _orders(line)


def _flagged_lines(lines: list[str]) -> set[int]:
    normalized = [normalize(_clean(line)) if line.strip() else "" for line in lines]
    flagged = {i for i, line in enumerate(lines) if normalized[i] and _orders(line, normalized[i])}
    # A forged chat turn ("<|im_start|>system ... <|im_end|>") is an order from its start to its end.
    for i, line in enumerate(lines):
        if _TURN_START.search(_clean(line)):
            flagged.add(i)
            ends = [j for j in range(i, min(len(lines), i + TURN_MAX_LINES)) if _TURN_END.search(_clean(lines[j]))]
            if ends:  # the whole forged turn, up to its closing token
                flagged.update(range(i, ends[0] + 1))
    for size in range(2, WINDOW_LINES + 1):
        for start in range(0, len(lines) - size + 1):
            window = range(start, start + size)
            if any(i in flagged for i in window) or not all(normalized[i] for i in window):
                continue
            if _orders(" ".join(lines[i] for i in window), " ".join(normalized[i] for i in window)):
                flagged.update(window)
    return flagged


def find_injections(text: str) -> list[str]:
    """The instruction-like lines of a text (for logs, tests and teacher warnings)."""
    lines = text.splitlines()
    return [lines[i].strip() for i in sorted(_flagged_lines(lines))]


def sanitize(text: str, lang: str = "fr", remove: tuple[str, ...] = ()) -> str:
    """A copy of `text` safe to place in a prompt as data.

    Chat-template tokens and the strings in `remove` (the prompt's own delimiters) are
    deleted wherever they occur; instruction-like lines become a placeholder.
    """
    for marker in remove:
        text = re.sub(re.escape(marker), " ", text, flags=re.IGNORECASE)
    placeholder = t("guard.injection.removed", lang)
    lines = text.split("\n")
    flagged = _flagged_lines(lines)
    out = []
    for i, line in enumerate(lines):
        if i in flagged:
            if not out or out[-1] != placeholder:
                out.append(placeholder)
        else:
            out.append(CHAT_TOKENS.sub(" ", _clean(line)))
    return "\n".join(out)
