"""Loading and scoring the red-team suites of this folder (shared by tests and the eval suite)."""

from __future__ import annotations

from pathlib import Path

import yaml

HERE = Path(__file__).parent
PROMPT_SUITES = ("prompts.yaml", "learners_a.yaml", "learners_b.yaml", "learners_c.yaml", "learners_d.yaml")


def items(name: str) -> list[dict]:
    return yaml.safe_load((HERE / name).read_text(encoding="utf-8"))["items"]
