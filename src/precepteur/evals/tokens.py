"""What French costs in tokens: tokens per word of each model on French and English text.

Tokenizers trained mostly on English cut French into more pieces, so the same
lesson costs more context, time and money in French (one of LUCIE's arguments).
`measure(models, samples)` counts, for each model, the tokens and words of each
sample: by default two built-in paragraphs with the same content in French and
in English (SAMPLES), or the files a teacher gives. Words are counted as a reader
counts them: letters joined by apostrophes or hyphens make one word ("l'air",
"au-dessus", "don't"); numbers count as words.

Constants: SAMPLES, WORD_RE.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import Callable

from ..i18n import t
from ..llm.base import ChatModel
from ..textlang import detect_language

WORD_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+(?:[.,]\d+)?")

SAMPLES: dict[str, str] = {
    "fr": (
        "Une pile est une structure de données dans laquelle le dernier élément ajouté est le premier "
        "à être retiré : on dit qu'elle suit le principe LIFO. On peut empiler un élément au sommet, "
        "dépiler l'élément du sommet, tester si la pile est vide et connaître sa taille. Les piles servent "
        "partout en informatique : le bouton « annuler » d'un éditeur de texte, l'historique d'un navigateur "
        "ou la pile d'exécution des fonctions récursives. Quand une fonction s'appelle elle-même, chaque appel "
        "attend le résultat du suivant, et l'ordinateur garde ces appels en mémoire les uns au-dessus des "
        "autres. Si la récursion ne s'arrête jamais, la pile déborde et le programme s'interrompt avec une "
        "erreur.\n\nLes plantes vertes fabriquent leur propre nourriture grâce à la photosynthèse. Leurs "
        "feuilles captent la lumière du soleil, absorbent le dioxyde de carbone de l'air et puisent l'eau du "
        "sol par leurs racines. Avec cette énergie, elles transforment l'eau et le dioxyde de carbone en sucre, "
        "et elles rejettent de l'oxygène. C'est pourquoi les forêts jouent un rôle essentiel pour la vie sur "
        "Terre : elles produisent l'oxygène que nous respirons et stockent une grande quantité de carbone."
    ),
    "en": (
        "A stack is a data structure in which the last element added is the first one to be removed: we "
        "say that it follows the LIFO principle. We can push an element onto the top, pop the element from "
        "the top, test whether the stack is empty and know its size. Stacks are used everywhere in computing: "
        "the \"undo\" button of a text editor, the history of a browser or the call stack of recursive "
        "functions. When a function calls itself, each call waits for the result of the next one, and the "
        "computer keeps these calls in memory one above the other. If the recursion never stops, the stack "
        "overflows and the program stops with an error.\n\nGreen plants make their own food through "
        "photosynthesis. Their leaves capture sunlight, absorb carbon dioxide from the air and draw water "
        "from the soil through their roots. With this energy, they turn water and carbon dioxide into sugar, "
        "and they release oxygen. This is why forests play an essential role for life on Earth: they produce "
        "the oxygen we breathe and store a large amount of carbon."
    ),
}


@dataclass(frozen=True)
class Sample:
    label: str
    lang: str
    text: str


@dataclass(frozen=True)
class TokenRow:
    model: str
    sample: str
    lang: str
    words: int
    tokens: int

    @property
    def tokens_per_word(self) -> float:
        return self.tokens / self.words if self.words else 0.0

    def to_dict(self) -> dict:
        return {"model": self.model, "sample": self.sample, "lang": self.lang, "words": self.words,
                "tokens": self.tokens, "tokens_per_word": round(self.tokens_per_word, 4)}


def count_words(text: str) -> int:
    return len(WORD_RE.findall(text))


def builtin_samples() -> list[Sample]:
    return [Sample(lang, lang, text) for lang, text in SAMPLES.items()]


def file_sample(label: str, text: str) -> Sample:
    """A teacher's text, labelled by file name, its language guessed."""
    return Sample(label, detect_language(text), text)


def measure(
    names: list[str], load: Callable[[str], ChatModel], samples: list[Sample]
) -> tuple[list[TokenRow], list[tuple[str, str]]]:
    """Token counts per model and sample; models that cannot load are skipped with the reason."""
    rows: list[TokenRow] = []
    skipped: list[tuple[str, str]] = []
    for name in names:
        try:
            model = load(name)
        except Exception as exc:  # a missing or broken model is skipped, with its note
            skipped.append((name, str(exc) or type(exc).__name__))
            continue
        try:
            for sample in samples:
                rows.append(TokenRow(name, sample.label, sample.lang, count_words(sample.text),
                                     model.count_tokens(sample.text)))
        except Exception as exc:  # a tokenizer that fails is reported, not fatal
            skipped.append((name, str(exc) or type(exc).__name__))
            rows = [row for row in rows if row.model != name]
    return rows, skipped


def french_overhead(rows: list[TokenRow]) -> dict[str, float]:
    """Per model, how many more tokens the French built-in sample needs than the English one."""
    overhead = {}
    for model in dict.fromkeys(row.model for row in rows):
        fr = next((r for r in rows if r.model == model and r.sample == "fr"), None)
        en = next((r for r in rows if r.model == model and r.sample == "en"), None)
        if fr and en and en.tokens:
            overhead[model] = round(fr.tokens / en.tokens - 1, 4)
    return overhead


def format_table(rows: list[TokenRow], lang: str = "fr") -> str:
    """A plain-text table for the terminal."""
    head = (t("evals.tokens.model", lang), t("evals.tokens.sample", lang), t("evals.tokens.words", lang),
            t("evals.tokens.tokens", lang), t("evals.tokens.per_word", lang))
    body = [(r.model, f"{r.sample} ({r.lang})", str(r.words), str(r.tokens), f"{r.tokens_per_word:.2f}") for r in rows]
    widths = [max(len(str(cell)) for cell in column) for column in zip(head, *body)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip() for line in (head, *body)]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def render_tokens_report(rows: list[TokenRow], skipped: list[tuple[str, str]], lang: str = "fr") -> str:
    """A small self-contained HTML page: the table, a bar plot, the skipped models."""
    from ._plots import grouped_bars
    from .report import CSS

    title = t("evals.tokens.title", lang)
    models = list(dict.fromkeys(row.model for row in rows))
    samples = list(dict.fromkeys(row.sample for row in rows))
    series = {
        sample: [next((r.tokens_per_word for r in rows if r.model == m and r.sample == sample), 0.0) for m in models]
        for sample in samples
    }
    plot = grouped_bars(models, series, t("evals.tokens.per_word", lang), title) if rows else ""
    head = "".join(f"<th>{escape(t(f'evals.tokens.{key}', lang))}</th>"
                   for key in ("model", "sample", "words", "tokens", "per_word"))
    body = "".join(
        f"<tr><td>{escape(r.model)}</td><td>{escape(r.sample)} ({escape(r.lang)})</td><td class=num>{r.words}</td>"
        f"<td class=num>{r.tokens}</td><td class=num>{r.tokens_per_word:.2f}</td></tr>"
        for r in rows
    )
    overhead = "".join(
        f"<li>{escape(t('evals.tokens.overhead', lang, model=m, percent=f'{100 * v:+.0f}'))}</li>"
        for m, v in french_overhead(rows).items()
    )
    notes = "".join(f"<li>{escape(t('evals.tokens.skipped', lang, model=n, reason=why))}</li>" for n, why in skipped)
    image = f'<img src="{plot}" alt="{escape(title)}">' if plot else ""
    return (
        f'<!doctype html><html lang="{escape(lang)}"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{CSS}</style></head><body><h1>{escape(title)}</h1>"
        f"<p>{escape(t('evals.tokens.explain', lang))}</p>{image}<table><tr>{head}</tr>{body}</table>"
        + (f"<ul>{overhead}</ul>" if overhead else "")
        + (f"<h2>{escape(t('evals.tokens.skipped_title', lang))}</h2><ul>{notes}</ul>" if notes else "")
        + "</body></html>"
    )
