"""The item bank on SQLite and PostgreSQL: add, list with filters, review in bulk, edit,
history of every change, skills resolved through merges, hidden skills kept from learners,
generation jobs and the library's settings."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "learning"))

from items_fixtures import CLOZE, MCQ, NUMERIC, TRUE_FALSE  # noqa: E402

from precepteur.learning.topics import TopicSetting  # noqa: E402
from precepteur.store.curriculum import (  # noqa: E402
    library_settings,
    save_library_settings,
    save_topic_setting,
    topic_settings,
)
from precepteur.store.item_jobs import create_job, get_job, interrupt_running, jobs_for, update_job  # noqa: E402
from precepteur.store.items import (  # noqa: E402
    add_item,
    approved_items,
    counts,
    fingerprint,
    get_item,
    history,
    known_items,
    list_items,
    set_status,
    update_item,
)
from precepteur.store.models import User  # noqa: E402


@pytest.fixture
def prof(db) -> int:
    with db.session() as s:
        user = User(name="prof", role="teacher")
        s.add(user)
        s.flush()
        return user.id


def test_add_get_list_and_filters(db, prof):
    with db.session() as s:
        mcq = add_item(s, MCQ.copy(status="draft"), user_id=prof)
        cloze = add_item(s, CLOZE.copy(skill="c5c.md:3-les-piles", checks={"schema": True, "answerable": False}))
        tf = add_item(s, TRUE_FALSE.copy(library="autre"))
    assert mcq.id and cloze.id and tf.id
    with db.session() as s:
        got = get_item(s, mcq.id)
        assert got.to_dict() == {
            "id": mcq.id, "skill": "c11r.md:ce-qu-il-faut-savoir", "kind": "mcq", "prompt": MCQ.prompt,
            "choices": ["Dijkstra", "Bellman-Ford", "Kruskal", "Prim"], "key": "Bellman-Ford", "status": "draft",
            "source": {"document": "c11r.md", "locator": "c11r.md › Ce qu’il faut savoir", "quote": MCQ.source.quote},
            "checks": {"schema": True, "key_in_passage": True},
        }
        assert got.source == MCQ.source and got.context == MCQ.context and got.level == "Terminale"
        assert get_item(s, 999_999) is None and get_item(s, "x") is None
        assert [i.id for i in list_items(s, "nsi")] == [mcq.id, cloze.id]  # by skill ("c11r" < "c5c"), then id
        assert [i.id for i in list_items(s, "nsi", status="draft")] == [mcq.id]
        assert [i.id for i in list_items(s, "nsi", kind="cloze")] == [cloze.id]
        assert [i.id for i in list_items(s, "nsi", failed=True)] == [cloze.id]
        assert [i.id for i in list_items(s, "nsi", skill="c5c.md:3-les-piles")] == [cloze.id]
        assert [i.id for i in approved_items(s, "nsi")] == [cloze.id]
        assert [i.id for i in approved_items(s, "autre")] == [tf.id]
        assert {row[1] for row in known_items(s, "nsi")} == {"mcq", "cloze"} and known_items(s, "nsi")[0][4] == MCQ.source.quote
        assert counts(s, "nsi") == {"c11r.md:ce-qu-il-faut-savoir": {"draft": 1}, "c5c.md:3-les-piles": {"approved": 1}}


def test_fingerprint_ignores_case_accents_and_spaces():
    assert fingerprint("cloze", "Le  Protocole RIP", "Bellman-Ford") == fingerprint("cloze", "le protocole rip ", "bellman ford")
    assert fingerprint("cloze", "Le protocole RIP", "x") != fingerprint("mcq", "Le protocole RIP", "x")


def test_review_in_bulk_and_history(db, prof):
    with db.session() as s:
        ids = [add_item(s, item.copy(status="draft"), user_id=prof).id for item in (MCQ, CLOZE, NUMERIC)]
        other = add_item(s, TRUE_FALSE.copy(library="autre", status="draft")).id
    with db.session() as s:
        changed, missing = set_status(s, [ids[0], ids[1], 424242, other], "approved", user_id=prof, library="nsi")
        assert [i.id for i in changed] == ids[:2] and missing == [424242, other]
        assert {i.status for i in changed} == {"approved"}
        set_status(s, [ids[0]], "approved", user_id=prof)  # unchanged: no new event
        set_status(s, [ids[2]], "rejected", user_id=prof)
    with db.session() as s:
        assert [i.id for i in approved_items(s, "nsi")] == sorted(ids[:2], key=lambda i: (get_item(s, i).skill, i))
        events = history(s, ids[0])
        assert [e["action"] for e in events] == ["generate", "approve"]
        assert events[1]["user_id"] == prof and events[1]["before"]["status"] == "draft"
        assert events[1]["after"]["status"] == "approved"
        assert [e["action"] for e in history(s, ids[2])] == ["generate", "reject"]
    with pytest.raises(ValueError):
        with db.session() as s:
            set_status(s, ids, "published", user_id=prof)


def test_edit_keeps_before_and_after(db, prof):
    with db.session() as s:
        item = add_item(s, CLOZE, user_id=prof, action="create")
    with db.session() as s:
        edited = update_item(s, item.id, item.copy(prompt="Le protocole RIP repose sur _____.", status="draft"),
                             user_id=prof)
        assert edited.prompt == "Le protocole RIP repose sur _____." and edited.status == "draft"
        assert update_item(s, 999_999, item, user_id=prof) is None
    with db.session() as s:
        events = history(s, item.id)
        assert [e["action"] for e in events] == ["create", "edit"]
        assert events[1]["before"]["prompt"] == CLOZE.prompt and events[1]["after"]["prompt"].endswith("repose sur _____.")


def test_skills_resolve_through_merges_and_hidden_skills_stay_away_from_learners(db, prof):
    with db.session() as s:
        a = add_item(s, CLOZE.copy(skill="c5r.md:ce-qu-il-faut-savoir")).id
        b = add_item(s, MCQ.copy(skill="c5c.md:3-les-piles")).id
        c = add_item(s, NUMERIC.copy(skill="c13c.md")).id
        save_topic_setting(s, "nsi", TopicSetting("c5r.md:ce-qu-il-faut-savoir", merged_into="c5c.md:3-les-piles"))
        save_topic_setting(s, "nsi", TopicSetting("c13c.md", hidden=True))
    with db.session() as s:
        assert get_item(s, a).skill == "c5c.md:3-les-piles"
        assert [i.id for i in approved_items(s, "nsi", "c5c.md:3-les-piles")] == [a, b]
        assert [i.id for i in approved_items(s, "nsi", "c5r.md:ce-qu-il-faut-savoir")] == [a, b]
        assert c not in [i.id for i in approved_items(s, "nsi")]
        assert c in [i.id for i in list_items(s, "nsi")]
        assert set(topic_settings(s, "nsi")) == {"c5r.md:ce-qu-il-faut-savoir", "c13c.md"}
        save_topic_setting(s, "nsi", TopicSetting("c13c.md"))  # back to the default: row removed
        assert set(topic_settings(s, "nsi")) == {"c5r.md:ce-qu-il-faut-savoir"}
        assert c in [i.id for i in approved_items(s, "nsi")]


def test_library_settings(db):
    with db.session() as s:
        assert library_settings(s, "nsi").to_dict() == {"library": "nsi", "levels": [], "auto_approve": False}
        save_library_settings(s, "nsi", levels=["Terminale", "1re"])
        save_library_settings(s, "nsi", auto_approve=True)
    with db.session() as s:
        assert library_settings(s, "nsi").to_dict() == {"library": "nsi", "levels": ["Terminale", "1re"],
                                                         "auto_approve": True}


def test_jobs(db, prof):
    with db.session() as s:
        job = create_job(s, "nsi", {"count": 10, "kinds": ["cloze"]}, 10, prof)
        assert job.state == "queued" and not job.finished
        update_job(s, job.id, state="running", accepted=3, candidates=7, cursor=2, stats={"cloze": {"made": 7}})
        second = create_job(s, "nsi", {}, 5)
    with db.session() as s:
        got = get_job(s, job.id)
        assert (got.state, got.accepted, got.candidates, got.cursor, got.stats) == ("running", 3, 7, 2, {"cloze": {"made": 7}})
        assert [j.id for j in jobs_for(s, "nsi")] == [second.id, job.id]
        assert interrupt_running(s) == 2
        assert get_job(s, job.id).to_dict()["resumable"] is True
        assert get_job(s, 999) is None
        with pytest.raises(ValueError):
            update_job(s, job.id, wanted=3)
