"""Preference data from votes: TRL conversational preference rows `{prompt, chosen, rejected}`
plus metadata, with the privacy rules applied before anything is written.

`preference_rows(candidates, secret, names)` is pure: plain `Candidate` records in (the
store builds them), rows and a report of what each rule dropped out. A row is kept when
the verdict is `a` or `b` and the judge consented; it is dropped when the judge is a
minor or in a school cohort (see `store.arena` for who is), when the judge is in a class
that has not opted in to training (`store.classes.training_allowed`), when the battle was
excluded, when either answer's licence forbids training, or when the local detector
(`guard.pii.scrub`, with the names of the accounts table) finds personal data in the
question, an answer or the comment (masks written at storage count as found). The
prompt is the system prompt *without* the installation's canary and the user turn with
the retrieved passages, exactly as the tutor built it.

Judge ids and battle ids are HMAC-SHA256 with a per-release `secret` (the CLI draws a
fresh one for every export and keeps it nowhere), so two releases cannot be joined on
them and nobody can go back to an account; no IP address is ever stored.

Every row validates against ROW_SCHEMA (`preference_row.schema.json`, shipped in the
package). `write_jsonl` and `write_parquet` write the same rows.

Constants: DATASET_LICENCE, ROW_SCHEMA_FILE, DROP_RULES.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..guard.pii import scrub

DATASET_LICENCE = "Etalab-2.0"
ROW_SCHEMA_FILE = Path(__file__).with_name("preference_row.schema.json")
DROP_RULES = ("not_a_or_b", "no_consent", "no_judge", "minor", "cohort", "class_opt_out", "excluded", "licence",
              "personal_data")


@dataclass(frozen=True)
class Side:
    contestant: str
    model: str
    prompt_version: str
    answer: str
    reasons: tuple[str, ...] = ()
    output_licence: str = "?"
    allows_training: bool = True


@dataclass(frozen=True)
class Candidate:
    """One voted battle as the export sees it."""

    battle_id: str
    question: str
    system_prompt: str  # without the canary
    user_turn: str  # the question with the retrieved passages, as the model read it
    a: Side
    b: Side
    verdict: str
    consent: bool
    judge_id: int | None
    role: str
    level: str  # the question's level
    judge_level: str | None
    day: str
    comment: str = ""
    minor: bool = True
    cohort: bool = False
    training_allowed: bool = True  # store.classes.training_allowed of the judge (class-level opt-in)
    excluded: bool = False
    anony: bool = True
    leaked: bool = False
    library: str | None = None
    extra: dict = field(default_factory=dict)


def pseudonym(secret: bytes, kind: str, value: object) -> str:
    """A stable-per-release, irreversible id for `value` (32 hex characters)."""
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:32]


def drop_reason(c: Candidate, names=()) -> str | None:
    """The first rule that keeps this vote out of the export, or None when it goes in."""
    if c.verdict not in ("a", "b"):
        return "not_a_or_b"
    if not c.consent:
        return "no_consent"
    if c.judge_id is None:
        return "no_judge"  # the account was erased: nothing says the judge was an adult
    if c.minor:
        return "minor"
    if c.cohort:
        return "cohort"
    if not c.training_allowed:
        return "class_opt_out"
    if c.excluded:
        return "excluded"
    if not (c.a.allows_training and c.b.allows_training):
        return "licence"
    if any(scrub(text, names).found for text in (c.question, c.a.answer, c.b.answer, c.comment, c.user_turn)):
        return "personal_data"
    return None


def to_row(c: Candidate, secret: bytes) -> dict:
    """The TRL conversational preference row with its metadata."""
    chosen, rejected = (c.a, c.b) if c.verdict == "a" else (c.b, c.a)
    return {
        "prompt": [{"role": "system", "content": c.system_prompt}, {"role": "user", "content": c.user_turn}],
        "chosen": [{"role": "assistant", "content": chosen.answer}],
        "rejected": [{"role": "assistant", "content": rejected.answer}],
        "metadata": {
            "battle": pseudonym(secret, "battle", c.battle_id),
            "judge": pseudonym(secret, "judge", c.judge_id),
            "chosen_contestant": chosen.contestant,
            "rejected_contestant": rejected.contestant,
            "chosen_model": chosen.model,
            "rejected_model": rejected.model,
            "chosen_prompt_version": chosen.prompt_version,
            "rejected_prompt_version": rejected.prompt_version,
            "chosen_reasons": list(chosen.reasons),
            "rejected_reasons": list(rejected.reasons),
            "role": c.role,
            "level": c.level,
            "judge_level": c.judge_level or "",
            "day": c.day,
            "library": c.library or "",
            "blind": c.anony,
            "leaked_identity": c.leaked,
            "dataset_licence": DATASET_LICENCE,
            "chosen_output_licence": chosen.output_licence,
            "rejected_output_licence": rejected.output_licence,
        },
    }


def preference_rows(candidates, secret: bytes, names=()) -> tuple[list[dict], dict[str, int]]:
    """The rows that may be published, and how many votes each rule dropped."""
    if len(secret) < 16:
        raise ValueError("the release secret must hold at least 16 bytes")
    names = tuple(names)
    report = {"votes": 0, **{rule: 0 for rule in DROP_RULES}, "rows": 0}
    rows = []
    for c in candidates:
        report["votes"] += 1
        reason = drop_reason(c, names)
        if reason is not None:
            report[reason] += 1
            continue
        rows.append(to_row(c, secret))
    report["rows"] = len(rows)
    return rows, report


@lru_cache(maxsize=1)
def row_schema() -> dict:
    """The JSON Schema every exported row satisfies."""
    return json.loads(ROW_SCHEMA_FILE.read_text(encoding="utf-8"))


def validate(row: dict) -> None:
    """Raise jsonschema.ValidationError unless `row` satisfies the schema."""
    import jsonschema

    jsonschema.validate(row, row_schema())


def write_jsonl(rows: list[dict], path: Path) -> None:
    with Path(path).open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def write_parquet(rows: list[dict], path: Path) -> None:
    """The same rows as Parquet (nested columns); needs pyarrow."""
    pa, pq = _pyarrow()
    table = pa.Table.from_pylist(rows, schema=_arrow_schema(pa)) if rows else _arrow_schema(pa).empty_table()
    pq.write_table(table, str(path))


def read_parquet(path: Path) -> list[dict]:
    _pa, pq = _pyarrow()
    return pq.read_table(str(path)).to_pylist()


def _pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        from ..errors import PrecepteurError

        raise PrecepteurError("arena.error.pyarrow_missing") from None
    return pa, pq


def _arrow_schema(pa):
    """The Arrow schema of a row, built from the JSON Schema (strings, booleans, string lists)."""
    turn = pa.list_(pa.struct([("role", pa.string()), ("content", pa.string())]))
    meta_fields = []
    for name, spec in row_schema()["properties"]["metadata"]["properties"].items():
        kind = spec.get("type", "string")  # a `const` is a string here
        meta_fields.append((name, pa.bool_() if kind == "boolean" else
                            pa.list_(pa.string()) if kind == "array" else pa.string()))
    return pa.schema([("prompt", turn), ("chosen", turn), ("rejected", turn), ("metadata", pa.struct(meta_fields))])


__all__ = [
    "DATASET_LICENCE", "Candidate", "Side", "preference_rows", "drop_reason", "to_row", "pseudonym",
    "row_schema", "validate", "write_jsonl", "read_jsonl", "write_parquet", "read_parquet",
]
