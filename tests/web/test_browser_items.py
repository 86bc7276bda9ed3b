"""What a teacher sees of the item bank, in Debian's Chromium driven by Playwright, against a real server:
generate items for one skill and watch the progress, edit one, approve three; a learner reaches none of it."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from test_browser import CHROMIUM, DESKTOP, browser  # noqa: F401  (the shared Chromium fixture)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "learning" / "items"))

from course_docs import COURSE  # noqa: E402
from oracle import OracleModel  # noqa: E402

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed at /usr/bin/chromium"),
]


class SlowOracle(OracleModel):
    """The item tests' oracle, slow enough that the progress can be watched (a fraction of a second a call)."""

    def stream(self, messages, options=None, cancel=None):
        for chunk in super().stream(messages, options, cancel):
            time.sleep(0.03)
            yield chunk


@pytest.fixture
def live(live_server_factory, users, tmp_path):
    server = live_server_factory(model=SlowOracle(chunk_chars=2))
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "cours.md").write_text(COURSE, encoding="utf-8")
    library = server.app.state.services.library
    library.create("nsi", owner=str(users["prof"].id))
    library.add("nsi", [docs], embed=False)
    return server


def sign_in(page, url: str, name: str) -> None:
    page.goto(f"{url}/signin")
    page.get_by_label("Nom d'utilisateur").fill(name)
    page.get_by_label("Mot de passe").fill(f"{name}-password")
    page.get_by_label("Mot de passe").press("Enter")
    page.wait_for_url(f"{url}/chat")


def test_teacher_generates_watches_edits_and_approves(browser, live, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    page = browser.new_context(viewport=DESKTOP, locale="fr-FR").new_page()
    sign_in(page, live.url, "prof")
    page.goto(f"{live.url}/library/nsi")
    page.get_by_role("link", name="Exercices").click()
    expect(page.get_by_role("heading", name="Exercices de « nsi »")).to_be_visible()
    page.get_by_label("Notion").first.select_option(label="Le routage")
    page.get_by_label("Nombre d'exercices voulus").fill("4")
    for kind in ("QCM", "Numérique", "Texte à trous", "Réponse courte"):
        page.get_by_label(kind, exact=True).uncheck()
    page.get_by_role("button", name="Générer").click()
    page.wait_for_url("**/library/nsi/items?job=*")
    status = page.locator("#job-status")
    expect(status).to_contain_text("examinés", timeout=10_000)  # progress while the job runs
    page.screenshot(path=str(tmp_path / "items-progress.png"), full_page=True)
    expect(page.locator("#job-state")).to_have_text("terminée", timeout=60_000)  # the page reloads when done
    expect(status).to_contain_text("terminé : 4 exercices retenus")
    rows = page.locator("tr.item-row")
    expect(rows).to_have_count(4)
    page.screenshot(path=str(tmp_path / "items-done.png"), full_page=True)

    first = rows.first.locator("a").first
    item_id = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", name=f"Exercice n° {item_id}")).to_be_visible()
    expect(page.locator("figure.source blockquote")).to_be_visible()
    page.get_by_label("Explication").fill("Relire le paragraphe sur le routage.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("Enregistré.")
    expect(page.locator(".facts")).to_contain_text("Relire le paragraphe sur le routage.")

    page.get_by_role("link", name="← Exercices de « nsi »").click()
    for index in range(3):
        rows.nth(index).get_by_role("checkbox").check()
    page.get_by_role("button", name="Approuver la sélection").click()
    expect(page.locator("tr.item-row .status-approved")).to_have_count(3)
    expect(page.locator("tr.item-row .status-draft")).to_have_count(1)
    page.screenshot(path=str(tmp_path / "items-approved.png"), full_page=True)

    learner = browser.new_context(viewport=DESKTOP, locale="fr-FR").new_page()
    sign_in(learner, live.url, "alice")
    for path in ("/library/nsi/items", f"/library/nsi/items/{item_id}", "/library/nsi/skills", "/library/nsi/items/new"):
        response = learner.goto(f"{live.url}{path}")
        assert response.status in (403, 404), path
    for path in ("/api/libraries/nsi/items", f"/api/libraries/nsi/items/{item_id}", "/api/libraries/nsi/skills"):
        assert learner.request.get(f"{live.url}{path}").status in (403, 404), path
    assert "Exercices" not in learner.locator("nav").inner_text()
