"""The item loop on the real llama.cpp runtime with SmolLM2-135M: grammar-constrained JSON
for questions, wrong answers and answerability, every candidate checked and recorded.
(SmolLM2 is tiny and English-only: what matters here is the plumbing, not the items.)"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "llm"))

pytestmark = [pytest.mark.llamacpp, pytest.mark.slow]


@pytest.fixture
def smollm2(tmp_path):
    pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed")
    from llm_fixtures import shared_models_dir

    from precepteur.config import Settings
    from precepteur.llm import get_model
    from precepteur.llm._install import install_pack
    from precepteur.llm.packs import SMOLLM2_135M

    folder = shared_models_dir()
    install_pack(SMOLLM2_135M, folder)
    settings = Settings(home=tmp_path / "llama-home", threads=2, n_ctx=2048)
    settings.models_dir.mkdir(parents=True)
    os.symlink(SMOLLM2_135M.path(folder), SMOLLM2_135M.path(settings.models_dir))
    shutil.copy(SMOLLM2_135M.manifest_path(folder), SMOLLM2_135M.manifest_path(settings.models_dir))
    return get_model(SMOLLM2_135M.name, settings)


def test_the_grammar_holds_the_model_to_the_schemas(smollm2, library, topics):
    from precepteur.learning.items._build import Context
    from precepteur.learning.items.checks import check_schema
    from precepteur.learning.items.generate import term_index, usable
    from precepteur.learning.items.model_kinds import make_mcq

    sentence = next(s for t in topics for p in t.passages for s in usable(p) if s.display.startswith("Le protocole RIP s"))
    # make_mcq parses the model's answer with parse_json, which validates it against MCQ_SCHEMA
    # (a question and exactly 3 wrong answers): returning at all means the grammar held the shape.
    # A tiny model's wrong answers may all be filtered out: then the item has fewer than 4 choices and
    # the schema check names it, so it can never be accepted.
    item = make_mcq(smollm2, sentence, term_index(topics), Context("nsi", "cours.md:3-le-routage"), "Bellman-Ford")
    assert item.kind == "mcq" and "Bellman-Ford" in item.choices and len(item.choices) <= 4
    if len(item.choices) < 4:
        assert check_schema(item) == "mcq_choices"
    assert item.prompt.endswith("?") and item.generator in ("mcq.model", "mcq.model+terms")


def test_generation_on_the_real_runtime(smollm2, library, topics):
    from precepteur.learning.items.generate import GenerationRequest, Generator

    accepted = []
    run = Generator(smollm2, GenerationRequest("nsi", 1, ("true_false",)), topics,
                    document_text=lambda name: library.document_text("nsi", name),
                    on_accept=lambda item: accepted.append(item) or item)
    progress = run.run()
    kinds = progress.stats.kinds
    assert progress.state in ("done", "budget", "exhausted")
    assert sum(entry["made"] for entry in kinds.values()) >= 1
    assert sum(entry["errors"] for entry in kinds.values()) == 0  # the grammar keeps the JSON whole
    answered = sum(entry["answerable"][1] for entry in kinds.values())
    assert answered >= 1  # the model was asked to answer its own questions
    for item in accepted:
        assert item.passed
        assert library.document_text("nsi", item.source.document)[item.source.start:item.source.end] == item.source.quote
