"""The generation loop on a small course: kinds and skills spread, every accepted quote verbatim,
cancel and resume, broken JSON and timeouts recorded per candidate, bad libraries refused."""

from __future__ import annotations

import threading
import time

import pytest
from oracle import OracleModel

from precepteur.errors import InputError, ModelError
from precepteur.learning.items import asking
from precepteur.learning.items.generate import Generator, GenerationRequest, Stats
from precepteur.learning.topics import build_topics
from precepteur.library import LibraryService
from precepteur.llm import ScriptedModel, StructuredText


def generator(library, topics, count=10, kinds=("mcq", "true_false", "numeric", "cloze", "short_answer"),
              model=None, **kwargs):
    accepted = []

    def keep(item):
        stored = item.copy(id=len(accepted) + 1)
        accepted.append(stored)
        return stored

    made = Generator(model or OracleModel(), GenerationRequest("nsi", count, tuple(kinds), **kwargs), topics,
                     document_text=lambda name: library.document_text("nsi", name), on_accept=keep)
    return made, accepted


def test_all_kinds_over_the_skills_with_verbatim_quotes(library, topics):
    run, accepted = generator(library, topics, count=8)
    progress = run.run()
    assert progress.state == "done" and progress.accepted == 8
    kinds = {kind: sum(i.kind == kind for i in accepted) for kind in ("mcq", "true_false", "numeric", "cloze", "short_answer")}
    assert kinds == {"mcq": 2, "true_false": 2, "numeric": 2, "cloze": 1, "short_answer": 1}  # 8 split over 5 kinds
    assert len({i.skill for i in accepted}) >= 4
    for item in accepted:
        text = library.document_text("nsi", item.source.document)
        assert text[item.source.start:item.source.end] == item.source.quote
        assert item.passed and item.checks["answerable"] and item.checks["quote_verbatim"]
    numeric = [i for i in accepted if i.kind == "numeric"]
    assert sorted(i.key for i in numeric) == ["15", "30"]
    mcq = next(i for i in accepted if i.kind == "mcq")
    assert sorted(mcq.choices) == sorted([mcq.key, "Quicksort", "Kruskal", "Prim"]) and mcq.generator == "mcq.model"
    stats = progress.stats.to_dict()
    assert sum(k["accepted"] for k in stats["kinds"].values()) == 8
    assert stats["kinds"]["cloze"]["checks"]["quote_verbatim"][1] == stats["kinds"]["cloze"]["made"]


def test_cancel_then_resume_keeps_what_was_made(library, topics):
    cancel = threading.Event()
    first, accepted = generator(library, topics, count=6, kinds=("cloze", "true_false"))
    first.cancel = cancel
    first.on_accept = lambda item: (accepted.append(item.copy(id=len(accepted) + 1)), cancel.set(), accepted[-1])[2]
    stopped = first.run()
    assert stopped.state == "cancelled" and stopped.accepted == 1
    second, more = generator(library, topics, count=6, kinds=("cloze", "true_false"))
    second.known = list(first.known)
    resumed = second.run(stopped.cursor, Stats.from_dict(stopped.stats.to_dict()))
    assert resumed.state == "done" and resumed.accepted == 6 and len(more) == 5
    prompts = [i.prompt for i in accepted + more]
    assert len(set(prompts)) == 6


def test_broken_json_and_timeouts_are_recorded_and_the_rest_goes_on(library, topics, monkeypatch):
    model = OracleModel()
    model.enqueue(StructuredText("pas du json"), ModelError("model.generation_failed", name="m", detail="boom"))
    run, accepted = generator(library, topics, count=2, kinds=("mcq",), model=model)
    progress = run.run()
    entry = progress.stats.kinds["mcq"]
    assert entry["errors"] == 2 and entry["made"] >= 4 and progress.accepted == 2

    class Slow(OracleModel):
        def stream(self, messages, options=None, cancel=None):
            for chunk in super().stream(messages, options, cancel):
                time.sleep(0.02)
                yield chunk

    monkeypatch.setattr(asking, "MODEL_TIMEOUT_S", 0.05)
    slow, kept = generator(library, topics, count=1, kinds=("short_answer",), model=Slow())
    timed_out = slow.run()
    assert timed_out.stats.kinds["short_answer"]["errors"] >= 1 and timed_out.accepted == 0


def test_weak_model_answers_keep_items_out(library, topics):
    model = ScriptedModel()  # answers the smallest JSON: "x", "A", "vrai"
    run, accepted = generator(library, topics, count=4, kinds=("cloze", "mcq"), model=model)
    progress = run.run()
    assert progress.accepted == 0 and progress.state in ("budget", "exhausted")
    assert progress.stats.kinds["cloze"]["answerable"][0] == 0


def test_bad_requests_and_libraries(library, topics, settings, tmp_path):
    with pytest.raises(InputError) as caught:
        generator(library, topics, kinds=("essay",))
    assert caught.value.key == "items.error.unknown_kind"
    with pytest.raises(InputError) as caught:
        generator(library, topics, skill="nope")
    assert caught.value.key == "items.error.unknown_skill"
    with pytest.raises(InputError) as caught:
        generator(library, [], count=3)
    assert caught.value.key == "items.error.empty_library"
    code_only = tmp_path / "code"
    code_only.mkdir()
    (code_only / "tp.md").write_text("## TP\n\n```python\nx = 1\n```\n\nÀ faire.\n\n- a\n- b\n", encoding="utf-8")
    service = LibraryService(settings)
    service.add("tp", [code_only], embed=False)
    with pytest.raises(InputError) as caught:
        Generator(OracleModel(), GenerationRequest("tp", 3), build_topics(service.passages("tp")),
                  document_text=lambda name: service.document_text("tp", name))
    assert caught.value.key == "items.error.no_usable_text"
    assert "aucune phrase" in str(caught.value)


def test_one_skill_only(library, topics):
    run, accepted = generator(library, topics, count=3, kinds=("cloze", "true_false"), skill="cours.md:3-le-routage")
    assert run.run().accepted == 3
    assert {i.skill for i in accepted} == {"cours.md:3-le-routage"}


def test_exercises_are_used_only_when_there_is_no_course_text():
    from precepteur.learning.items.generate import plan_units
    from precepteur.learning.topics import Topic
    from precepteur.library.types import Passage

    def passage(heading, text):
        return Passage("cours.md", 0, 0, len(text), text, heading, heading)

    course = passage("Routage › a) le protocole RIP", "Le protocole RIP utilise le nombre de sauts comme métrique "
                     "de routage. Le protocole OSPF choisit les routes selon le coût des liaisons du réseau.")
    exercise = passage("Routage › exercice 2.1", "Le protocole OSPF est un protocole de routage à état "
                       "de liens. Le protocole RIP limite les routes à 15 sauts au maximum dans un réseau.")
    mixed = Topic("routage", "Routage", "cours.md", "Routage", [exercise, course])
    only_exercises = Topic("tp", "TP", "cours.md", "TP", [exercise])
    units = plan_units([mixed, only_exercises])
    assert {(topic.id, p.heading) for topic, p in units} == {("routage", "Routage › a) le protocole RIP")}
    assert {(topic.id, p.heading) for topic, p in plan_units([only_exercises])} == {("tp", "Routage › exercice 2.1")}


def test_a_kind_the_library_has_little_for_leaves_its_share_to_the_others(library, topics):
    run, accepted = generator(library, topics, count=8, kinds=("numeric", "cloze"))
    progress = run.run()
    kinds = {kind: sum(i.kind == kind for i in accepted) for kind in ("numeric", "cloze")}
    assert kinds["numeric"] == 2  # the library states two numbers
    assert progress.state == "done" and progress.accepted == 8 and kinds["cloze"] == 6
