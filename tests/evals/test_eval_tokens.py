"""Tokens per word: counts with the scripted model's tokenizer, skipped models, the HTML page."""

from __future__ import annotations

from precepteur.evals.tokens import (
    SAMPLES, builtin_samples, count_words, file_sample, french_overhead, measure, render_tokens_report,
)
from precepteur.llm import ScriptedModel


def loader(name):
    if name == "scripted":
        return ScriptedModel()
    raise RuntimeError(f"{name} is not installed")


def test_words_are_counted_as_a_reader_counts_them():
    assert count_words("L'air est au-dessus de 3,5 m, don't you think?") == 9


def test_measure_uses_each_model_tokenizer_and_skips_the_missing():
    rows, skipped = measure(["scripted", "ghost"], loader, builtin_samples())
    assert [(r.model, r.sample) for r in rows] == [("scripted", "fr"), ("scripted", "en")]
    fr = rows[0]
    assert fr.tokens == len(SAMPLES["fr"]) // 3 and fr.words == count_words(SAMPLES["fr"])
    assert skipped == [("ghost", "ghost is not installed")]
    assert french_overhead(rows)["scripted"] == round(rows[0].tokens / rows[1].tokens - 1, 4)


def test_file_samples_get_their_language():
    assert file_sample("cours.md", "Les piles sont basées sur le principe LIFO.").lang == "fr"
    assert file_sample("notes.txt", "Stacks follow the LIFO principle and the queue is FIFO.").lang == "en"


def test_tokens_page_is_self_contained():
    rows, skipped = measure(["scripted", "ghost"], loader, builtin_samples())
    html = render_tokens_report(rows, skipped, "fr")
    assert 'src="data:image/png;base64,' in html and "http" not in html
    assert "ghost ignoré" in html and "scripted" in html
