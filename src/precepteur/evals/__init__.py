"""The quality battery: suites, deterministic scoring, a resumable runner, reports and the release gate.

Runs go through the same tutor pipeline as production. `run_suite` writes
`progress.jsonl`, `results.json` and a self-contained `report.html`; `compare` and
`gate` read results back; `tokens` measures what French costs each tokenizer.
"""

from .compare import DEFAULT_MARGIN, PERFECT_CATEGORIES, Comparison, GateResult, compare, gate, load_run
from .judge import ModelJudge
from .report import render_report
from .runner import CHECKPOINT_EVERY, evaluate_item, run_suite
from .scoring import Verdict, score, states
from .suites import Item, Suite, builtin_suites, load_suite, parse_suite
from .tokens import measure, render_tokens_report

__all__ = [
    "CHECKPOINT_EVERY",
    "DEFAULT_MARGIN",
    "PERFECT_CATEGORIES",
    "Comparison",
    "GateResult",
    "Item",
    "ModelJudge",
    "Suite",
    "Verdict",
    "builtin_suites",
    "compare",
    "evaluate_item",
    "gate",
    "load_run",
    "load_suite",
    "measure",
    "parse_suite",
    "render_report",
    "render_tokens_report",
    "run_suite",
    "score",
    "states",
]
