"""A teacher's own questions, read from a CSV or Markdown file (pure parsing).

CSV: a header row, comma or semicolon separated, columns in French or English:
`type`/`kind`, `question`/`prompt`, `reponse`/`réponse`/`answer`/`key`,
`choix`/`choices` (separated by "|"), `variantes`/`variants` ("|"), `explication`/`explanation`,
`notion`/`skill`, `tolerance`/`tolérance`. Only question and answer are required.

Markdown: each numbered line ("1. ...") starts a question; then optional lines
- `- [x] right choice` / `- [ ] wrong choice` (a multiple-choice item; "Vrai"/"Faux" choices make a true/false one),
- `Réponse : ...` (or `Answer:`), `Variantes : a | b`, `Explication : ...`, `Notion : ...`, `Type : ...`,
  `Tolérance : 0,1`.

Without a type, the kind follows from the item: choices -> mcq (true/false for
Vrai/Faux), a blank "_____" -> cloze, a number -> numeric, vrai/faux -> true/false,
else short answer. Every row becomes a `Draft` or a `RowError` with its line number;
one bad row never stops the others.

Constants: MAX_IMPORT_ROWS, MAX_IMPORT_BYTES, FIELD_NAMES, KIND_NAMES.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from ..answers import fold, normalize, parse_quantity
from ._build import BLANK
from .types import FALSE, KINDS, TRUE

MAX_IMPORT_ROWS = 2000
MAX_IMPORT_BYTES = 2 * 1024 * 1024
FIELD_NAMES = {
    "type": "kind", "kind": "kind", "genre": "kind",
    "question": "prompt", "prompt": "prompt", "enonce": "prompt", "stem": "prompt",
    "reponse": "key", "answer": "key", "key": "key", "cle": "key", "solution": "key",
    "choix": "choices", "choices": "choices", "options": "choices",
    "variantes": "variants", "variants": "variants",
    "explication": "explanation", "explanation": "explanation",
    "notion": "skill", "skill": "skill", "competence": "skill",
    "tolerance": "tolerance",
}
KIND_NAMES = {
    "qcm": "mcq", "mcq": "mcq", "choix multiple": "mcq", "vrai/faux": "true_false", "vrai faux": "true_false",
    "vrai-faux": "true_false", "true_false": "true_false", "true/false": "true_false", "vf": "true_false",
    "numerique": "numeric", "numeric": "numeric", "nombre": "numeric", "texte a trous": "cloze", "trou": "cloze",
    "cloze": "cloze", "reponse courte": "short_answer", "short_answer": "short_answer", "courte": "short_answer",
    "short answer": "short_answer",
}
_SPLIT = re.compile(r"\s*\|\s*")
_MD_START = re.compile(r"^\s*(\d{1,4})[.)]\s+(.*\S)\s*$")
_MD_CHOICE = re.compile(r"^\s*[-*]\s*\[([ xX])\]\s*(.*\S)\s*$")
_MD_FIELD = re.compile(r"^\s*[-*]?\s*([A-Za-zÀ-ÿ ]{3,20}?)\s*:\s*(.*\S)\s*$")


@dataclass
class Draft:
    """A question as the teacher wrote it, before the bank checks it."""

    line: int
    kind: str
    prompt: str
    key: str
    choices: list[str] | None = None
    variants: list[str] = field(default_factory=list)
    explanation: str = ""
    skill: str = ""
    tolerance: float | None = None


@dataclass(frozen=True)
class RowError:
    line: int
    key: str  # catalogue key under "items.import."
    params: tuple = ()


def _truth(text: str) -> str | None:
    folded = normalize(text)
    return TRUE if folded in ("vrai", "true") else FALSE if folded in ("faux", "false") else None


def infer_kind(prompt: str, key: str, choices: list[str] | None) -> str:
    if choices:
        return "true_false" if {_truth(c) for c in choices} == {TRUE, FALSE} else "mcq"
    if BLANK in prompt or "___" in prompt:
        return "cloze"
    if _truth(key):
        return "true_false"
    if parse_quantity(key) is not None:
        return "numeric"
    return "short_answer"


def _tolerance(text: str) -> float | None:
    if not text.strip():
        return None
    quantity = parse_quantity(text)
    return None if quantity is None else float(quantity.value)


def _finish(line: int, values: dict) -> Draft | RowError:
    prompt = " ".join(str(values.get("prompt", "")).split())
    key = " ".join(str(values.get("key", "")).split())
    choices = values.get("choices") or None
    if isinstance(choices, str):
        choices = [c for c in _SPLIT.split(choices) if c.strip()] or None
    if not prompt:
        return RowError(line, "no_prompt")
    if choices and not key:
        return RowError(line, "no_right_choice")
    if not key:
        return RowError(line, "no_answer")
    raw_kind = fold(str(values.get("kind", ""))).strip()
    kind = KIND_NAMES.get(raw_kind, raw_kind) if raw_kind else infer_kind(prompt, key, choices)
    if kind not in KINDS:
        return RowError(line, "unknown_kind", (raw_kind,))
    if kind == "true_false":
        truth = _truth(key)
        if truth is None:
            return RowError(line, "true_false_answer", (key,))
        key, choices = truth, [TRUE, FALSE]
    if kind == "mcq":
        choices = choices or []
        if key not in choices:
            choices = [*choices, key]
        if len(choices) != 4:
            return RowError(line, "four_choices", (len(choices),))
    if kind == "cloze" and BLANK not in prompt:
        prompt = re.sub(r"_{3,}", BLANK, prompt)
    tolerance_text = str(values.get("tolerance", "") or "")
    tolerance = _tolerance(tolerance_text)
    if tolerance_text.strip() and tolerance is None:
        return RowError(line, "bad_tolerance", (tolerance_text,))
    variants = values.get("variants") or []
    if isinstance(variants, str):
        variants = [v for v in _SPLIT.split(variants) if v.strip()]
    return Draft(line, kind, prompt, key, choices if kind in ("mcq", "true_false") else None, list(variants),
                 " ".join(str(values.get("explanation", "")).split()), str(values.get("skill", "")).strip(), tolerance)


def parse_csv(text: str) -> list[Draft | RowError]:
    """Drafts (or errors) from CSV text with a header row."""
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = list(reader)
    if not rows:
        return [RowError(1, "empty_file")]
    header = [FIELD_NAMES.get(fold(h).strip(), "") for h in rows[0]]
    if "prompt" not in header or "key" not in header:
        return [RowError(1, "csv_header")]
    out: list[Draft | RowError] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(out) >= MAX_IMPORT_ROWS:
            out.append(RowError(number, "too_many_rows", (MAX_IMPORT_ROWS,)))
            break
        values = {name: cell.strip() for name, cell in zip(header, row) if name}
        out.append(_finish(number, values))
    return out


def parse_markdown(text: str) -> list[Draft | RowError]:
    """Drafts (or errors) from the Markdown format of the module docstring."""
    out: list[Draft | RowError] = []
    current: dict | None = None
    start = 0

    def close() -> None:
        if current is not None:
            right = [c for c, ok in current.pop("_marks", []) if ok]
            every = [c for c, _ in current.pop("_all", [])]
            if every:
                current["choices"] = every
                if len(right) != 1:
                    out.append(RowError(start, "one_right_choice", (len(right),)))
                    return
                current.setdefault("key", right[0])
            out.append(_finish(start, current))

    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        begin = _MD_START.match(line)
        if begin:
            close()
            if len(out) >= MAX_IMPORT_ROWS:
                out.append(RowError(number, "too_many_rows", (MAX_IMPORT_ROWS,)))
                return out
            current, start = {"prompt": begin.group(2), "_marks": [], "_all": []}, number
            continue
        if current is None:
            out.append(RowError(number, "outside_question"))
            continue
        choice = _MD_CHOICE.match(line)
        if choice:
            current["_marks"].append((choice.group(2), choice.group(1) != " "))
            current["_all"].append((choice.group(2), choice.group(1) != " "))
            continue
        named = _MD_FIELD.match(line)
        name = FIELD_NAMES.get(fold(named.group(1)).strip()) if named else None
        if name:
            current[name] = named.group(2)
        else:
            current["prompt"] = f"{current['prompt']} {line.strip()}"
    close()
    return out or [RowError(1, "empty_file")]


def parse(text: str, filename: str) -> list[Draft | RowError]:
    """CSV or Markdown by the file's extension (.csv, else Markdown)."""
    if filename.lower().endswith((".csv", ".tsv")):
        return parse_csv(text)
    return parse_markdown(text)


__all__ = ["Draft", "MAX_IMPORT_BYTES", "MAX_IMPORT_ROWS", "RowError", "infer_kind", "parse", "parse_csv",
           "parse_markdown"]
