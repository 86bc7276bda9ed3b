"""Program-aided answers on a word-problem/logic suite: how often do the sampled programs agree
on the right result, agree on a wrong one, disagree (an honest "not sure"), or fail (plain path)?

Runs only the program step (`skills.program.solve`, SAMPLES programs per item) on the
real model, and scores the verified fact's sentence with the suite's own checks; a
plain answer is timed once per item for the "within 2x" comparison when --plain is given.

    PRECEPTEUR_HOME=/work/home .venv/bin/python bench/program_aided.py \
        --suite bench/data/reasoning_suite.json [--model qwen2.5-coder-1.5b] [--limit N] [--plain]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from precepteur.config import Settings
from precepteur.evals.scoring import _content_reasons
from precepteur.evals.suites import load_suite
from precepteur.llm import get_model
from precepteur.skills import program
from precepteur.textlang import detect_language
from precepteur.tutor import Tutor, TutorRequest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", default="bench/data/reasoning_suite.json")
    parser.add_argument("--model", default=None)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--categories", default=None)
    parser.add_argument("--plain", action="store_true", help="also time a plain answer (program path off)")
    args = parser.parse_args(argv)
    settings = Settings()
    model = get_model(args.model, settings)
    suite = load_suite(args.suite)
    items = [i for i in suite.items if not args.categories or i.category in args.categories.split(",")]
    items = items[: args.limit] if args.limit else items
    counts = {"right": 0, "wrong": 0, "unsure": 0, "plain": 0, "not_a_problem": 0}
    seconds, plain_seconds = [], []
    for item in items:
        lang = item.lang or detect_language(item.question)
        if not program.looks_like_problem(item.question):
            counts["not_a_problem"] += 1
            print(f"{item.id}: not a problem (plain path)")
            continue
        began = time.perf_counter()
        outcome = program.solve(item.question, lang, model, settings.seed)
        seconds.append(time.perf_counter() - began)
        if outcome is None:
            kind = "plain"
        elif outcome.fact is not None:
            kind = "wrong" if _content_reasons(item, outcome.fact.statement, lang) else "right"
        else:
            kind = "unsure"
        counts[kind] += 1
        shown = outcome.fact.result if outcome and outcome.fact else (outcome.unsure if outcome else "-")
        print(f"{item.id}: {kind} ({shown}) {seconds[-1]:.1f}s", flush=True)
        if args.plain:
            tutor = Tutor(settings.model_copy(update={"program_aided": False}), model)
            began = time.perf_counter()
            tutor.answer(TutorRequest(question=item.question, lang=lang))
            plain_seconds.append(time.perf_counter() - began)
    total = len(items)
    summary = {"items": total, **counts,
               "right_share": round(counts["right"] / total, 3) if total else 0,
               "confident_wrong_share": round(counts["wrong"] / total, 3) if total else 0,
               "program_seconds_median": round(statistics.median(seconds), 1) if seconds else None}
    if plain_seconds:
        summary["plain_seconds_median"] = round(statistics.median(plain_seconds), 1)
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
