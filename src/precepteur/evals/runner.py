"""Running a suite through the tutor, item by item, resumably.

`run_suite(suite, tutor, model=..., out_dir=...)` asks `tutor.answer(request)`
(the production `Tutor`, or anything with the same method) every item of the
suite, scores the answer, prints one progress line per item, and appends each
scored item to `out_dir/progress.jsonl` (flushed line by line). A run that was
interrupted picks up where it stopped: items already recorded for the same model
and suite are skipped, except those that ended in an error, which are tried
again. A crashed model, whether its exception escapes `answer()` or the tutor
caught it into `TutorResult.error`, makes a failed item carrying its error, and
the run goes on. `results.json` and `report.html`
are rewritten atomically every CHECKPOINT_EVERY items and at the end.

Constants: CHECKPOINT_EVERY, PROGRESS_FILE, RESULTS_FILE, REPORT_FILE, PASS_MARK, FAIL_MARK.
"""

from __future__ import annotations

import json
import os
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Protocol

from ..i18n import t
from ..tutor.types import TutorRequest, TutorResult
from .scoring import Judge, score
from .suites import Item, Suite

CHECKPOINT_EVERY = 10
PROGRESS_FILE = "progress.jsonl"
RESULTS_FILE = "results.json"
REPORT_FILE = "report.html"
PASS_MARK = "✓"
FAIL_MARK = "✗"


class Answerer(Protocol):
    """The one method the runner needs: the production `Tutor` has it."""

    def answer(self, request: TutorRequest) -> TutorResult: ...


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def write_atomic(path: Path, text: str) -> None:
    """Write `text` so that a reader never sees half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def request_for(item: Item) -> TutorRequest:
    graded = ()
    if item.homework:
        from ..tutor.homework import GradedWork

        statement, solution, answer = item.homework
        graded = (GradedWork(id=0, statement=statement, solution=solution, answer=answer),)
    return TutorRequest(
        question=item.question, level=item.level, mode=item.mode, library=item.library, lang=item.lang,
        graded=graded,
    )


def _error_text(exc: BaseException) -> str:
    message = str(exc).strip()
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def evaluate_item(
    item: Item,
    tutor: Answerer,
    *,
    document_text: Callable[[str, str], str] | None = None,
    judge: Judge | None = None,
    lang: str = "fr",
    clock: Callable[[], float] = time.perf_counter,
) -> dict:
    """Ask, time and score one item; any exception becomes a failed item with its error."""
    record: dict = {"id": item.id, "category": item.category, "question": item.question}
    start = clock()
    try:
        result = tutor.answer(request_for(item))
    except Exception as exc:  # a crashed model is a result to report, not the end of the run
        error = _error_text(exc)
        record.update(answer="", passed=False, seconds=round(clock() - start, 3), tokens=0,
                      prompt_tokens=0, completion_tokens=0, why=t("evals.why.error", lang, error=error),
                      error=error, declined=False, citations=[], skills=[], judged=False)
        return record
    seconds = round(clock() - start, 3)
    try:
        verdict = score(item, result, document_text=document_text, judge=judge, lang=lang,
                        leak_check=getattr(tutor, "recites_instructions", None))
        passed, why, judged, error = verdict.passed, verdict.why, verdict.judged, result.error
        if error:  # the tutor caught a model crash: even a verified answer is not a model that works
            passed = False
            why = "; ".join(filter(None, [t("evals.why.error", lang, error=error), why]))
    except Exception as exc:  # a crashed judge fails the item, and says so
        error = "judge " + _error_text(exc)
        passed, why, judged = False, t("evals.why.error", lang, error=error), False
    record.update(
        answer=result.answer,
        passed=passed,
        seconds=seconds,
        tokens=result.prompt_tokens + result.completion_tokens,
        prompt_tokens=result.prompt_tokens,
        completion_tokens=result.completion_tokens,
        why=why,
        error=error,
        declined=result.declined,
        citations=[c.to_dict() for c in result.citations],
        skills=[s.to_dict() for s in result.skills],
        judged=judged,
    )
    return record


def read_progress(path: Path, model: str, suite: str) -> tuple[str | None, dict[str, dict]]:
    """The start time and the recorded items (last record wins) of earlier runs of model+suite."""
    started: str | None = None
    records: dict[str, dict] = {}
    if not path.exists():
        return started, records
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:  # the last line of a killed run may be cut short
            continue
        if not isinstance(entry, dict) or entry.get("model") != model or entry.get("suite") != suite:
            continue
        if entry.get("kind") == "run" and started is None:
            started = entry.get("started")
        elif entry.get("kind") == "item" and isinstance(entry.get("item"), dict):
            records[entry["item"]["id"]] = entry["item"]
    return started, records


def category_scores(items: list[dict], order: list[str]) -> tuple[dict[str, float], dict[str, list[int]]]:
    """Share of passed items per category, and [passed, total] per category."""
    counts: dict[str, list[int]] = {}
    for name in order:
        if any(item["category"] == name for item in items):
            counts[name] = [0, 0]
    for item in items:
        pair = counts.setdefault(item["category"], [0, 0])
        pair[0] += bool(item["passed"])
        pair[1] += 1
    return {name: round(p / n, 4) for name, (p, n) in counts.items()}, counts


def judge_info(judge_name: str | None, items: list[dict], suite: Suite, lang: str) -> dict:
    """What results.json and the report say about how items were scored."""
    candidates = sum(1 for item in suite.items if item.judge and item.content_checks)
    judged = sum(1 for item in items if item.get("judged"))
    if judge_name:
        statement = t("evals.judge.used", lang, judge=judge_name, judged=judged, candidates=candidates)
    else:
        statement = t("evals.judge.none", lang, candidates=candidates)
    return {"model": judge_name, "used": bool(judge_name), "judged": judged, "candidates": candidates,
            "statement": statement}


def build_results(
    suite: Suite, model: str, started: str, records: dict[str, dict], *,
    judge_name: str | None, lang: str, finished: str | None,
) -> dict:
    """The results.json object, items in suite order."""
    items = [records[item.id] for item in suite.items if item.id in records]
    scores, counts = category_scores(items, suite.category_names())
    passed = sum(1 for item in items if item["passed"])
    return {
        "model": model,
        "suite": suite.name,
        "library": suite.library,
        "started": started,
        "finished": finished,
        "lang": lang,
        "total": len(suite.items),
        "done": len(items),
        "overall": round(passed / len(items), 4) if items else 0.0,
        "scores": scores,
        "counts": counts,
        "judge": judge_info(judge_name, items, suite, lang),
        "items": items,
    }


def write_outputs(results: dict, out_dir: Path, lang: str) -> None:
    """results.json and report.html, each replaced atomically."""
    from .report import render_report

    write_atomic(out_dir / RESULTS_FILE, json.dumps(results, ensure_ascii=False, indent=2))
    write_atomic(out_dir / REPORT_FILE, render_report(results, lang))


def run_suite(
    suite: Suite,
    tutor: Answerer,
    *,
    model: str,
    out_dir: Path,
    resume: bool = True,
    document_text: Callable[[str, str], str] | None = None,
    judge: Judge | None = None,
    judge_name: str | None = None,
    progress: Callable[[str], None] | None = None,
    checkpoint_every: int = CHECKPOINT_EVERY,
    lang: str = "fr",
    clock: Callable[[], float] = time.perf_counter,
) -> dict:
    """Run every item of `suite` not already done, and write progress, results and report."""
    out_dir.mkdir(parents=True, exist_ok=True)
    progress_path = out_dir / PROGRESS_FILE
    if not resume and progress_path.exists():
        progress_path.unlink()
    started, records = read_progress(progress_path, model, suite.name) if resume else (None, {})
    wanted = {item.id for item in suite.items}
    records = {key: value for key, value in records.items() if key in wanted}
    started = started or now_iso()
    todo = [item for item in suite.items if item.id not in records or records[item.id].get("error")]
    say = progress or (lambda line: None)
    if len(todo) < len(suite.items):
        say(t("evals.resumed", lang, done=len(suite.items) - len(todo), total=len(suite.items)))
    judge_name = judge_name if judge is not None else None

    def results(finished: str | None) -> dict:
        return build_results(suite, model, started, records, judge_name=judge_name, lang=lang, finished=finished)

    position = len(suite.items) - len(todo)
    with progress_path.open("a", encoding="utf-8") as log:
        log.write(json.dumps({"kind": "run", "model": model, "suite": suite.name, "started": started}) + "\n")
        log.flush()
        try:
            for count, item in enumerate(todo, start=1):
                record = evaluate_item(item, tutor, document_text=document_text, judge=judge, lang=lang, clock=clock)
                records[item.id] = record
                log.write(json.dumps({"kind": "item", "model": model, "suite": suite.name, "item": record},
                                     ensure_ascii=False) + "\n")
                log.flush()
                position += 1
                mark = PASS_MARK if record["passed"] else FAIL_MARK
                say(f"[{position}/{len(suite.items)}] {item.category} {mark} {record['seconds']:.1f} s"
                    + (f"  ({record['error']})" if record.get("error") else ""))
                if checkpoint_every and count % checkpoint_every == 0 and count < len(todo):
                    write_outputs(results(None), out_dir, lang)
        except KeyboardInterrupt:
            write_outputs(results(None), out_dir, lang)
            raise
    final = results(now_iso())
    write_outputs(final, out_dir, lang)
    return final
