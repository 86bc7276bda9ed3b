"""Comparing two runs, and the release gate.

`compare(a, b)` lines up the category scores of two results.json objects and
lists the items that regressed (passed in A, failed in B) or improved. `gate(run,
baseline, margin)` fails a release when a category that code can answer exactly
(PERFECT_CATEGORIES: letters, arithmetic) is below 100 %, when the run is
incomplete, or when a category lost more than `margin` against the baseline. The
baseline comparison uses only the items both runs share, so a run limited to a
few categories or items is compared fairly. A committed baseline for a suite and
model lives in `evals/baselines/<suite>-<model>.json` (a results.json trimmed by
`baseline_from`).

Constants: PERFECT_CATEGORIES, DEFAULT_MARGIN, BASELINES_FOLDER, SCORE_EPSILON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..errors import InputError
from ..i18n import t
from .runner import RESULTS_FILE

PERFECT_CATEGORIES = ("letters", "arithmetic")
DEFAULT_MARGIN = 0.05
BASELINES_FOLDER = "baselines"
SCORE_EPSILON = 1e-9  # scores are rounded ratios: never fail a gate on float noise


def load_run(path: str | Path) -> dict:
    """A results.json object from a run directory or from the file itself."""
    path = Path(path)
    file = path / RESULTS_FILE if path.is_dir() else path
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("evals.no_results", path=str(path))
    except json.JSONDecodeError as exc:
        raise InputError("evals.bad_results", path=str(file), detail=str(exc))
    if not isinstance(data, dict) or not isinstance(data.get("items"), list) or "scores" not in data:
        raise InputError("evals.bad_results", path=str(file), detail="items/scores")
    return data


def committed_baseline(suite: str, model: str) -> Path | None:
    """The baseline shipped in the package for this suite and model, if any."""
    entry = resources.files("precepteur.evals") / BASELINES_FOLDER / f"{suite}-{model}.json"
    return Path(str(entry)) if entry.is_file() else None


def baseline_from(results: dict) -> dict:
    """A results.json without answers: what a committed baseline keeps."""
    keep = ("id", "category", "passed")
    trimmed = {key: value for key, value in results.items() if key != "items"}
    trimmed["items"] = [{key: item[key] for key in keep} for item in results["items"]]
    return trimmed


@dataclass
class CategoryDelta:
    name: str
    a: float | None
    b: float | None

    @property
    def diff(self) -> float | None:
        return None if self.a is None or self.b is None else round(self.b - self.a, 4)


@dataclass
class Comparison:
    rows: list[CategoryDelta]
    regressed: list[dict] = field(default_factory=list)  # the item as recorded in B
    improved: list[dict] = field(default_factory=list)


def compare(a: dict, b: dict) -> Comparison:
    """Category scores side by side, and the items whose outcome changed."""
    names = list(a["scores"]) + [name for name in b["scores"] if name not in a["scores"]]
    rows = [CategoryDelta(name, a["scores"].get(name), b["scores"].get(name)) for name in names]
    before = {item["id"]: item for item in a["items"]}
    regressed, improved = [], []
    for item in b["items"]:
        old = before.get(item["id"])
        if old is None:
            continue
        if old["passed"] and not item["passed"]:
            regressed.append(item)
        elif item["passed"] and not old["passed"]:
            improved.append(item)
    return Comparison(rows, regressed, improved)


def shared_scores(a: dict, b: dict) -> dict[str, tuple[float, float, int]]:
    """Per category, the scores of A and B on the items both runs have, and how many."""
    outcome_a = {item["id"]: item for item in a["items"]}
    tallies: dict[str, list[int]] = {}
    for item in b["items"]:
        old = outcome_a.get(item["id"])
        if old is None:
            continue
        tally = tallies.setdefault(item["category"], [0, 0, 0])
        tally[0] += bool(old["passed"])
        tally[1] += bool(item["passed"])
        tally[2] += 1
    return {name: (pa / n, pb / n, n) for name, (pa, pb, n) in tallies.items()}


@dataclass
class GateResult:
    ok: bool
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def gate(run: dict, baseline: dict | None = None, margin: float = DEFAULT_MARGIN, lang: str = "fr") -> GateResult:
    """Whether a run may ship; every failure says why."""
    failures: list[str] = []
    notes: list[str] = []
    items = run["items"]
    if not items:
        failures.append(t("evals.gate.empty", lang))
    done, total = run.get("done", len(items)), run.get("total", len(items))
    if done < total:
        failures.append(t("evals.gate.incomplete", lang, done=done, total=total))
    for name in PERFECT_CATEGORIES:
        if name not in run["scores"]:
            notes.append(t("evals.gate.absent", lang, category=name))
            continue
        if run["scores"][name] < 1 - SCORE_EPSILON:
            failed = [item["id"] for item in items if item["category"] == name and not item["passed"]]
            failures.append(t("evals.gate.perfect", lang, category=name, score=f"{100 * run['scores'][name]:.0f}",
                              items=", ".join(failed)))
    if baseline is not None:
        lost = {item["id"] for item in compare(baseline, run).regressed}
        for name, (old, new, count) in shared_scores(baseline, run).items():
            if new < old - margin - SCORE_EPSILON:
                ids = [item["id"] for item in items if item["category"] == name and item["id"] in lost]
                failures.append(t("evals.gate.regressed", lang, category=name, old=f"{100 * old:.0f}",
                                  new=f"{100 * new:.0f}", margin=f"{100 * margin:.0f}", count=count,
                                  items=", ".join(ids)))
        if not shared_scores(baseline, run):
            notes.append(t("evals.gate.no_shared", lang))
    return GateResult(ok=not failures, failures=failures, notes=notes)
