"""Whole-corpus retrieval and coverage on the bench question sets (slow: embeds ~670 passages)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from precepteur.tutor.sources import covers

from library_docs import CORPUS

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"


def _load(name):
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _chapter(document):
    match = re.match(r"c(\d+)[a-z]*\.", document)
    return f"c{int(match.group(1))}" if match else None


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus not available")
def test_whole_corpus_hybrid_quality_and_coverage(service):
    report = service.add("nsi", [CORPUS])
    assert not report.errors and report.embedded == report.passages
    questions = _load("retrieval_questions.jsonl")
    reciprocal, hit5 = [], []
    for item in questions:
        chapters = [_chapter(h.document) for h in service.search("nsi", item["question"], k=10)]
        rank = chapters.index(item["chapter"]) + 1 if item["chapter"] in chapters else None
        reciprocal.append(1 / rank if rank else 0.0)
        hit5.append(bool(rank and rank <= 5))
    assert sum(hit5) / len(hit5) >= 0.98
    assert sum(reciprocal) / len(reciprocal) >= 0.95
    declined_off = sum(not covers(q["question"], service.search("nsi", q["question"])) for q in _load("offtopic_questions.jsonl"))
    accepted_on = sum(covers(q["question"], service.search("nsi", q["question"])) for q in questions)
    assert declined_off >= 0.9 * len(_load("offtopic_questions.jsonl"))
    assert accepted_on >= 0.95 * len(questions)
