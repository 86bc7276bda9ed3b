"""The HTML report: self-contained, with its plots, failures and timings."""

from __future__ import annotations

import re

from eval_fakes import GOOD_ANSWERS, FakeTutor, document_text

from precepteur.evals.report import render_report
from precepteur.evals.runner import REPORT_FILE, run_suite

EXTERNAL = re.compile(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", re.I)


def test_report_is_self_contained_and_complete(tiny_suite, tmp_path):
    answers = {**GOOD_ANSWERS, "g1": "Non, <script>alert(1)</script> Socrate est immortel."}
    results = run_suite(tiny_suite, FakeTutor(answers), model="fake", out_dir=tmp_path, document_text=document_text)
    html = (tmp_path / REPORT_FILE).read_text(encoding="utf-8")
    assert html == render_report(results, "fr")
    assert not EXTERNAL.search(html) and "@import" not in html and "<link" not in html
    assert html.count('src="data:image/png;base64,') == 2  # scores per category, time and tokens
    assert "<script>" not in html and "&lt;script&gt;" in html  # answers are escaped
    assert "Socrate est immortel" in html and "Tous les hommes sont mortels" in html
    assert "aucun des motifs attendus" in html  # why it failed
    assert "fake" in html and "tiny" in html and results["judge"]["statement"] in html
    assert "secondes" in html and "jetons" in html


def test_report_in_english_and_without_items(tiny_suite, tmp_path):
    results = run_suite(tiny_suite.select(limit=0), FakeTutor({}), model="fake", out_dir=tmp_path, lang="en")
    html = render_report(results, "en")
    assert "No item has been evaluated yet." in html and "data:image/png" not in html
    assert '<html lang="en">' in html
