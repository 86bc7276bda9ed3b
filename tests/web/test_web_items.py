"""The item bank on the web: JSON API and teacher pages; who may reach them (owner and admins),
generation in the background, review, edits checked again, import, the skills map."""

from __future__ import annotations

import html
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_helpers import page_csrf, sign_in

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "learning" / "items"))

from course_docs import COURSE  # noqa: E402

KEYS = {"id", "skill", "kind", "prompt", "choices", "key", "status", "source", "checks"}
ROUTING = "cours.md:3-le-routage"


def signed_in(app, name: str) -> tuple[TestClient, str]:
    client = TestClient(app)
    return client, sign_in(client, name)


@pytest.fixture
def course(app, users, tmp_path):
    """Library "nsi" owned by prof (the course of the item tests), "autre" owned by prof2."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "cours.md").write_text(COURSE, encoding="utf-8")
    service = app.state.services.library
    service.create("nsi", owner=str(users["prof"].id))
    service.add("nsi", [docs], embed=False)
    service.create("autre", owner=str(users["prof2"].id))
    return service


def wait_for(client, url: str, seconds: float = 30) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = client.get(url).json()
        if job["finished"]:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job still running: {job}")


def generate(client, csrf, count=2, kinds=("true_false",), **extra) -> dict:
    started = client.post("/api/libraries/nsi/items/generate", json={"count": count, "kinds": list(kinds), **extra},
                          headers={"X-CSRF-Token": csrf})
    assert started.status_code == 202, started.text
    assert started.json()["state"] == "queued"
    return wait_for(client, started.json()["poll"])


def test_generate_list_review_edit_over_the_api(app, course):
    prof, csrf = signed_in(app, "prof")
    job = generate(prof, csrf)
    assert job["state"] == "done" and job["accepted"] == 2 and job["message"].startswith("terminé")
    items = prof.get("/api/libraries/nsi/items").json()
    assert len(items) == 2 and all(set(i) == KEYS for i in items)
    assert all(i["source"]["quote"] in COURSE and i["status"] == "draft" for i in items)
    ids = [i["id"] for i in items]
    review = prof.post("/api/libraries/nsi/items/review", json={"ids": ids + [424242], "status": "approved"},
                       headers={"X-CSRF-Token": csrf}).json()
    assert [i["status"] for i in review["changed"]] == ["approved", "approved"] and review["missing"] == [424242]
    assert [i["id"] for i in prof.get("/api/libraries/nsi/items?status=approved").json()] == ids
    detail = prof.get(f"/api/libraries/nsi/items/{ids[0]}").json()
    assert [e["action"] for e in detail["history"]] == ["generate", "approve"]
    bad = prof.patch(f"/api/libraries/nsi/items/{ids[0]}", json={"key": "Peut-être"}, headers={"X-CSRF-Token": csrf})
    assert bad.status_code == 422
    assert "un vrai/faux a pour choix « Vrai » et « Faux »" in bad.json()["error"]["message"]
    assert prof.get(f"/api/libraries/nsi/items/{ids[0]}").json()["key"] == "Vrai"  # unchanged
    good = prof.patch(f"/api/libraries/nsi/items/{ids[0]}", json={"explanation": "Voir le cours."},
                      headers={"X-CSRF-Token": csrf})
    assert good.status_code == 200 and good.json()["explanation"] == "Voir le cours."


def test_own_items_import_and_skills_over_the_api(app, course):
    prof, csrf = signed_in(app, "prof")
    headers = {"X-CSRF-Token": csrf}
    created = prof.post("/api/libraries/nsi/items", headers=headers, json={
        "kind": "cloze", "prompt": "Le protocole RIP s'appuie sur l'algorithme de _____.", "key": "Bellman-Ford"})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["skill"] == ROUTING and body["generator"] == "manual" and body["source"]["quote"].startswith("Le protocole RIP")
    refused = prof.post("/api/libraries/nsi/items", headers=headers,
                        json={"kind": "mcq", "prompt": "Lequel ?", "key": "a", "choices": ["a", "b"]})
    assert refused.status_code == 422 and "4 choix" in refused.json()["error"]["message"]
    imported = prof.post("/api/libraries/nsi/items/import", headers=headers, files={
        "file": ("q.csv", "question,réponse\nUne pile suit le principe _____.,LIFO\n,rien\n".encode(), "text/csv")})
    assert imported.status_code == 200
    assert len(imported.json()["created"]) == 1 and imported.json()["errors"] == [{"line": 3, "message": "question manquante"}]
    skills = prof.get("/api/libraries/nsi/skills").json()
    assert [s["id"] for s in skills] == ["cours.md:1-les-piles", "cours.md:2-les-files", ROUTING, "cours.md:4-le-web"]
    assert skills[2]["items"] == {"draft": 1}
    renamed = prof.patch(f"/api/libraries/nsi/skills/{ROUTING}", headers=headers, json={"label": "Routage"})
    assert renamed.json()[0]["label"] == "Routage"
    merged = prof.patch("/api/libraries/nsi/skills/cours.md:2-les-files", headers=headers,
                        json={"merged_into": "cours.md:1-les-piles"})
    assert merged.json()[0]["merged"] == ["cours.md:2-les-files"]
    assert prof.patch("/api/libraries/nsi/skills/cours.md:1-les-piles", headers=headers,
                      json={"merged_into": "nope"}).status_code == 422
    assert prof.patch("/api/libraries/nsi/skills/nope", headers=headers, json={"hidden": True}).status_code == 404
    settings = prof.put("/api/libraries/nsi/settings", headers=headers, json={"levels": ["Tle"], "auto_approve": True})
    assert settings.json() == {"library": "nsi", "levels": ["Terminale"], "auto_approve": True}
    assert prof.put("/api/libraries/nsi/settings", headers=headers, json={"levels": ["CM7"]}).status_code == 422


ROUTES = [
    ("get", "/api/libraries/{lib}/items", None), ("post", "/api/libraries/{lib}/items/generate", {"count": 1}),
    ("get", "/api/libraries/{lib}/items/{item}", None), ("patch", "/api/libraries/{lib}/items/{item}", {"explanation": "x"}),
    ("post", "/api/libraries/{lib}/items/review", {"ids": ["{item}"], "status": "rejected"}),
    ("get", "/api/libraries/{lib}/skills", None), ("get", "/api/libraries/{lib}/settings", None),
    ("get", "/api/libraries/{lib}/items/jobs", None), ("get", "/library/{lib}/items", None),
    ("get", "/library/{lib}/items/{item}", None), ("get", "/library/{lib}/skills", None),
    ("get", "/library/{lib}/items/new", None),
]


def _call(client, csrf, method, url, body, lib, item):
    url = url.format(lib=lib, item=item)
    if body is not None:
        body = {k: ([item] if v == ["{item}"] else v) for k, v in body.items()}
        return getattr(client, method)(url, json=body, headers={"X-CSRF-Token": csrf}, follow_redirects=False)
    return getattr(client, method)(url, headers={"Accept": "application/json"}, follow_redirects=False)


def test_only_the_owner_reaches_the_bank(app, course):
    prof, csrf = signed_in(app, "prof")
    generate(prof, csrf, count=1)
    item = prof.get("/api/libraries/nsi/items").json()[0]["id"]
    alice, alice_csrf = signed_in(app, "alice")
    prof2, prof2_csrf = signed_in(app, "prof2")
    admin, admin_csrf = signed_in(app, "admin")
    nobody = TestClient(app)
    for method, url, body in ROUTES:
        assert _call(alice, alice_csrf, method, url, body, "nsi", item).status_code == 403, url
        assert _call(prof2, prof2_csrf, method, url, body, "nsi", item).status_code == 404, url
        # prof2's own library does not hold prof's item.
        if "{item}" in url or body == {"ids": ["{item}"], "status": "rejected"}:
            answer = _call(prof2, prof2_csrf, method, url, body, "autre", item)
            assert answer.status_code == 404 or answer.json().get("missing") == [item], url
        signed_out = _call(nobody, "", method, url, body, "nsi", item)
        assert signed_out.status_code in (401, 303), url
        if url.startswith("/library") and method == "get":
            page = nobody.get(url.format(lib="nsi", item=item), follow_redirects=False)
            assert page.status_code == 303 and page.headers["location"].startswith("/signin")
        if method == "get":
            assert _call(admin, admin_csrf, method, url, body, "nsi", item).status_code == 200, url
    assert prof.get("/api/libraries/nsi/items").json()[0]["status"] == "draft"  # nobody else changed it


def test_teacher_pages(app, course):
    prof, csrf = signed_in(app, "prof")
    page = prof.get("/library/nsi/items")
    assert page.status_code == 200 and "Exercices de « nsi »" in html.unescape(page.text)
    csrf = page_csrf(page.text)
    started = prof.post("/library/nsi/items/generate", data={"csrf_token": csrf, "count": "2", "kinds": "true_false",
                                                             "skill": ROUTING}, follow_redirects=False)
    assert started.status_code == 303 and "?job=" in started.headers["location"]
    job_id = started.headers["location"].rsplit("=", 1)[1]
    wait_for(prof, f"/api/libraries/nsi/items/jobs/{job_id}")
    listing = html.unescape(prof.get(started.headers["location"]).text)
    assert "Le routage" in listing and "Vrai ou faux ?" in listing and "terminé : 2 exercices retenus" in listing
    items = prof.get("/api/libraries/nsi/items").json()
    one = items[0]["id"]
    detail = html.unescape(prof.get(f"/library/nsi/items/{one}").text)
    assert "Ce que voit l'élève" in detail and "citation exacte" in detail and "cours.md › 3) Le routage" in detail
    saved = prof.post(f"/library/nsi/items/{one}", data={
        "csrf_token": csrf, "kind": "true_false", "prompt": items[0]["prompt"], "key": "Vrai", "choices": "",
        "variants": "", "explanation": "C'est écrit dans le cours.", "skill": ROUTING, "tolerance": ""},
        follow_redirects=False)
    assert saved.status_code == 303
    refused = prof.post(f"/library/nsi/items/{one}", data={
        "csrf_token": csrf, "kind": "cloze", "prompt": "Sans trou.", "key": "Vrai", "skill": ROUTING})
    assert refused.status_code == 422 and "un texte à trous a exactement un trou" in html.unescape(refused.text)
    reviewed = prof.post("/library/nsi/items/review", data={"csrf_token": csrf, "status": "approved",
                                                            "item": [str(i["id"]) for i in items]}, follow_redirects=False)
    assert reviewed.status_code == 303
    assert {i["status"] for i in prof.get("/api/libraries/nsi/items").json()} == {"approved"}
    skills = html.unescape(prof.get("/library/nsi/skills").text)
    assert "Carte des notions" in skills and "Approuver d'emblée" in skills
    prof.post(f"/library/nsi/skills/{ROUTING}", data={"csrf_token": csrf, "label": "Routage IP", "merged_into": ""})
    assert "Routage IP" in html.unescape(prof.get("/library/nsi/items").text)
    new = prof.post("/library/nsi/items/new", data={"csrf_token": csrf, "kind": "short_answer",
                                                     "prompt": "Quel principe suit une pile ?", "key": "LIFO", "skill": ""},
                    follow_redirects=False)
    assert new.status_code == 303
    imported = prof.post("/library/nsi/items/import", data={"csrf_token": csrf},
                         files={"file": ("q.md", "1. Une file suit le principe _____.\n   Réponse : FIFO\n2. Rien ?\n".encode())})
    assert imported.status_code == 200 and "ligne 3 : réponse manquante" in html.unescape(imported.text)
