"""Library management over the JSON API, with the pages' rules (issue 10, defect 11),
and upload leftovers cleaned at start (defect 10)."""

from __future__ import annotations

import json
import time

import pytest
from fastapi.testclient import TestClient
from web_helpers import sign_in

from precepteur.web.app import create_app

COURSE = b"# Les piles\n\nUne pile suit le principe LIFO : dernier entre, premier sorti.\n"


def signed_in(app, name: str) -> tuple[TestClient, dict]:
    client = TestClient(app)
    return client, {"X-CSRF-Token": sign_in(client, name)}


def wait_for_job(client, library: str, job: str, headers=None) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        data = client.get(f"/api/libraries/{library}/jobs/{job}", headers=headers).json()
        if data.get("finished"):
            return data
        time.sleep(0.05)
    raise AssertionError("job did not finish")


@pytest.fixture
def prof(app, users):
    client, headers = signed_in(app, "prof")
    with client:
        yield client, headers


def test_create_upload_poll_list_and_remove(prof):
    client, headers = prof
    created = client.post("/api/libraries", json={"name": "nsi", "restricted": True}, headers=headers)
    assert created.status_code == 201
    assert created.json() == {"name": "nsi", "owner": str(client.get("/api/me").json()["id"]), "restricted": True,
                              "documents": 0, "passages": 0, "embedded": 0}
    upload = client.post("/api/libraries/nsi/documents", headers=headers,
                         files=[("files", ("piles.md", COURSE, "text/markdown")),
                                ("files", ("vide.txt", b"", "text/plain"))])
    assert upload.status_code == 202 and list(upload.json()) == ["job"]
    job = wait_for_job(client, "nsi", upload.json()["job"])
    assert job["phase"] == "done" and job["added"] == ["piles.md"]
    assert job["errors"] == ["vide.txt: vide.txt : le fichier est vide"]
    documents = client.get("/api/libraries/nsi/documents").json()
    assert [(d["name"], d["kind"], d["passages"]) for d in documents] == [("piles.md", "markdown", 1)]
    assert client.delete("/api/libraries/nsi/documents/absent.md", headers=headers).status_code == 404
    assert client.delete("/api/libraries/nsi/documents/piles.md", headers=headers).status_code == 204
    assert client.get("/api/libraries/nsi/documents").json() == []
    assert client.delete("/api/libraries/nsi", headers=headers).status_code == 204
    assert client.get("/api/libraries/nsi/documents").status_code == 404
    assert "nsi" not in [lib["name"] for lib in client.get("/api/libraries").json()]


def test_names_are_checked_like_on_the_pages(prof):
    client, headers = prof
    assert client.post("/api/libraries", json={"name": "nsi"}, headers=headers).status_code == 201
    again = client.post("/api/libraries", json={"name": "nsi"}, headers=headers)
    assert again.status_code == 409 and "existe déjà" in again.json()["error"]["message"]
    assert client.post("/api/libraries", json={"name": "../etc"}, headers=headers).status_code == 422
    assert client.post("/api/libraries", json={"name": ""}, headers=headers).status_code == 422
    files = [("files", (f"f{i}.md", COURSE, "text/markdown")) for i in range(51)]
    assert client.post("/api/libraries/nsi/documents", headers=headers, files=files).status_code == 413


def test_another_teacher_gets_403_on_an_open_library_and_404_on_a_restricted_one(app, prof):
    client, headers = prof
    client.post("/api/libraries", json={"name": "ouverte"}, headers=headers)
    client.post("/api/libraries", json={"name": "privee", "restricted": True}, headers=headers)
    job = client.post("/api/libraries/ouverte/documents", headers=headers,
                      files={"files": ("piles.md", COURSE, "text/markdown")}).json()["job"]
    wait_for_job(client, "ouverte", job)
    other, other_headers = signed_in(app, "prof2")
    with other:
        for method, path in [("POST", "documents"), ("GET", "documents"), ("GET", f"jobs/{job}"),
                             ("DELETE", "documents/piles.md"), ("DELETE", "")]:
            kwargs = {"files": {"files": ("x.md", COURSE, "text/markdown")}} if method == "POST" else {}
            url = f"/api/libraries/ouverte/{path}".rstrip("/")
            assert other.request(method, url, headers=other_headers, **kwargs).status_code == 403, (method, path)
            url = f"/api/libraries/privee/{path}".rstrip("/")
            assert other.request(method, url, headers=other_headers, **kwargs).status_code == 404, (method, path)
        assert other.get(f"/api/libraries/absente/jobs/{job}").status_code == 404
    # The job belongs to "ouverte": asking for it under another library is a 404.
    assert client.get(f"/api/libraries/privee/jobs/{job}").status_code == 404
    assert client.get("/api/libraries/ouverte/documents").json()[0]["name"] == "piles.md"


def test_learners_are_refused_and_signed_out_people_get_401(app, prof):
    client, headers = prof
    client.post("/api/libraries", json={"name": "nsi"}, headers=headers)
    learner, learner_headers = signed_in(app, "alice")
    with learner:
        assert learner.post("/api/libraries", json={"name": "a-moi"}, headers=learner_headers).status_code == 403
        assert learner.get("/api/libraries/nsi/documents").status_code == 403
        assert learner.delete("/api/libraries/nsi", headers=learner_headers).status_code == 403
    with TestClient(app) as anonymous:
        assert anonymous.post("/api/libraries", json={"name": "x"}).status_code == 401
        assert anonymous.get("/api/libraries/nsi/documents").status_code == 401
        assert anonymous.delete("/api/libraries/nsi").status_code == 401


def test_an_admin_manages_every_library(app, prof):
    client, headers = prof
    client.post("/api/libraries", json={"name": "nsi", "restricted": True}, headers=headers)
    admin, admin_headers = signed_in(app, "admin")
    with admin:
        assert admin.get("/api/libraries/nsi/documents").status_code == 200
        assert admin.delete("/api/libraries/nsi", headers=admin_headers).status_code == 204


def test_removing_a_library_while_its_upload_waits_leaves_no_ghost(app, prof):
    client, headers = prof
    client.post("/api/libraries", json={"name": "nsi", "restricted": True}, headers=headers)
    uploads = app.state.services.uploads
    job = uploads.save("nsi", [("piles.md", __import__("io").BytesIO(COURSE))])
    client.delete("/api/libraries/nsi", headers=headers)
    uploads.start(job)
    deadline = time.monotonic() + 10
    while not job.finished and time.monotonic() < deadline:
        time.sleep(0.02)
    assert job.phase == "error" and "supprimée" in job.message
    assert app.state.services.library.list() == []


def test_upload_leftovers_are_cleaned_and_unfinished_jobs_resumed_at_start(settings, users):
    uploads = settings.home / "uploads"
    half = uploads / "coupe-en-route"  # an upload cut short: files but no manifest
    half.mkdir(parents=True)
    (half / "piles.md").write_bytes(COURSE)
    orphan = uploads / "bibli-supprimee"
    orphan.mkdir()
    (orphan / "piles.md").write_bytes(COURSE)
    (orphan / "job.json").write_text(json.dumps({"library": "disparue", "files": ["piles.md"]}))
    app = create_app(settings)
    app.state.services.library.create("nsi", owner=str(users["prof"].id))
    pending = uploads / "a-reprendre"
    pending.mkdir()
    (pending / "piles.md").write_bytes(COURSE)
    (pending / "job.json").write_text(json.dumps({"library": "nsi", "files": ["piles.md"], "lang": "fr"}))
    with TestClient(app) as client:
        headers = {"X-CSRF-Token": sign_in(client, "prof")}
        job = wait_for_job(client, "nsi", "a-reprendre", headers)
        assert job["phase"] == "done" and job["added"] == ["piles.md"]
    assert not uploads.exists() or sorted(p.name for p in uploads.iterdir()) == []
