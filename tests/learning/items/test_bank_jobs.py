"""The teacher's side of the bank (own items, edits, imports) and generation jobs in the database:
stored as they come, cancel and resume, background runs, clear failures that leave nothing half-written."""

from __future__ import annotations

import threading
import time

import pytest
from oracle import OracleModel

from precepteur.learning.items.bank import ItemInvalid, create_item, edit_item, import_items
from precepteur.learning.items.generate import GenerationRequest
from precepteur.learning.items.importing import Draft
from precepteur.learning.items.jobs import ItemJobs, new_job, run_job
from precepteur.store.curriculum import save_library_settings
from precepteur.store.item_jobs import get_job
from precepteur.store.items import get_item, history, list_items

ROUTING = "cours.md:3-le-routage"


def test_a_teachers_item_is_sourced_from_the_library(database, library):
    with database.session() as s:
        item = create_item(s, library, "nsi", Draft(0, "mcq", "Sur quel algorithme s'appuie le protocole RIP ?",
                                                     "Bellman-Ford", ["Dijkstra", "Bellman-Ford", "Kruskal", "Prim"]),
                           user_id=None)
    assert item.skill == ROUTING and item.status == "draft" and item.generator == "manual"
    assert item.source.quote == "Le protocole RIP s'appuie sur l'algorithme de Bellman-Ford."
    assert library.document_text("nsi", "cours.md")[item.source.start:item.source.end] == item.source.quote
    assert item.passed and "answerable" not in item.checks
    with database.session() as s:
        assert [e["action"] for e in history(s, item.id)] == ["create"]


def test_refused_items_change_nothing(database, library):
    with database.session() as s:
        with pytest.raises(ItemInvalid) as caught:
            create_item(s, library, "nsi", Draft(0, "mcq", "Quel algorithme ?", "Prim", ["Prim", "Kruskal"]), user_id=None)
        assert "un QCM a exactement 4 choix" in str(caught.value)
        with pytest.raises(ItemInvalid) as caught:
            create_item(s, library, "nsi", Draft(0, "cloze", "Une pile suit le principe _____.", "LIFO", skill="nope"),
                        user_id=None)
        assert "notion introuvable « nope »" in str(caught.value)
        assert list_items(s, "nsi") == []


def test_edits_are_checked_again(database, library):
    with database.session() as s:
        item = create_item(s, library, "nsi", Draft(0, "cloze", "Une pile suit le principe _____.", "LIFO"),
                           user_id=None)
    with database.session() as s:
        with pytest.raises(ItemInvalid) as caught:
            edit_item(s, library, item.id, {"prompt": "Une pile suit le principe LIFO."}, user_id=None)
        assert "un texte à trous a exactement un trou" in caught.value.message()
    with database.session() as s:
        assert get_item(s, item.id).prompt == "Une pile suit le principe _____."  # unchanged
        weak = edit_item(s, library, item.id, {"key": "FILO"}, user_id=None)
        assert weak.status == "draft" and weak.checks["key_in_passage"] is False
        fixed = edit_item(s, library, item.id, {"key": "LIFO", "variants": ["lifo"]}, user_id=None)
        assert fixed.passed and fixed.variants == ["lifo"]
        with pytest.raises(ItemInvalid):
            edit_item(s, library, item.id, {"status": "approved"}, user_id=None)
        assert [e["action"] for e in history(s, item.id)] == ["create", "edit", "edit"]


def test_import_keeps_good_rows_and_names_bad_ones(database, library):
    text = ("question,réponse,type\n"
            "Une pile suit le principe _____.,LIFO,\n"
            "Quel protocole s'appuie sur Dijkstra ?,OSPF,\n"
            ",sans question,\n"
            "Un QCM ?,a,qcm\n")
    with database.session() as s:
        report = import_items(s, library, "nsi", text, "mes-questions.csv", user_id=None)
    assert [i.kind for i in report.created] == ["cloze", "short_answer"]
    assert {i.generator for i in report.created} == {"import"}
    assert report.errors == [(4, "question manquante"), (5, "un QCM a 4 choix, celui-ci en a 1")]
    with database.session() as s:
        assert len(list_items(s, "nsi")) == 2
        assert [e["action"] for e in history(s, report.created[0].id)] == ["import"]


def test_a_job_stores_items_as_it_goes_and_resumes(database, library):
    request = GenerationRequest("nsi", 6, ("cloze", "true_false", "mcq"))
    job = new_job(database, request)
    cancel = threading.Event()
    stopped = run_job(database, library, OracleModel(), job.id, cancel=cancel,
                      on_progress=lambda p: cancel.set() if p.accepted >= 2 else None)
    assert stopped.state == "cancelled" and 2 <= stopped.accepted < 6 and "vous pouvez reprendre" in stopped.message
    done = run_job(database, library, OracleModel(), job.id)
    assert done.state == "done" and done.accepted == 6 and done.message.startswith("terminé : 6 exercices retenus")
    with database.session() as s:
        items = list_items(s, "nsi")
        assert len(items) == 6 and len({i.prompt for i in items}) == 6
        assert {i.status for i in items} == {"draft"}
        assert all(i.passed for i in items)


def test_auto_approval_and_clear_failures(database, library, settings):
    with database.session() as s:
        save_library_settings(s, "nsi", auto_approve=True)
    job = new_job(database, GenerationRequest("nsi", 2, ("cloze",)))
    assert run_job(database, library, OracleModel(), job.id).state == "done"
    with database.session() as s:
        assert {i.status for i in list_items(s, "nsi")} == {"approved"}
    library.create("vide")
    empty = new_job(database, GenerationRequest("vide", 2))
    failed = run_job(database, library, OracleModel(), empty.id)
    assert failed.state == "error" and "ne contient aucun texte" in failed.message


def test_background_jobs_start_cancel_resume(database, library):
    jobs = ItemJobs(database, library, OracleModel())
    try:
        job = jobs.start(GenerationRequest("nsi", 3, ("cloze", "true_false")))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with database.session() as s:
                current = get_job(s, job.id)
            if current.finished:
                break
            time.sleep(0.05)
        assert current.state == "done" and current.accepted == 3
        assert jobs.resume(job.id).state == "done"  # a finished job is not run again
        assert jobs.cancel(999) is None
    finally:
        jobs.shutdown()
