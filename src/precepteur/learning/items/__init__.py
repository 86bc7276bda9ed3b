"""Exercises drawn from the teacher's documents: the item type, generation, validation, import.

Public here: the plain data (`Item`, `Source`, KINDS, STATUSES). The parts live in
their own modules, imported where used so that grading and the store stay light:
`text` (sentences and key terms), `cloze`, `true_false`, `model_kinds` (MCQ, short
answer and numeric written by the model), `checks` (validation, each check named),
`generate` (the over-generate-and-filter loop), `jobs` (background runs with
progress, cancel and resume), `importing` (Markdown/CSV lists), `judge` (the
model's rubric for short answers).
"""

from .types import CHOICE_KINDS, FALSE, KINDS, NO_SOURCE, STATUSES, TRUE, Item, Source

__all__ = ["CHOICE_KINDS", "FALSE", "KINDS", "NO_SOURCE", "STATUSES", "TRUE", "Item", "Source"]
