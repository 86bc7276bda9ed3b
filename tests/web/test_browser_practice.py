"""Practice in Debian's Chromium driven by Playwright, against a real server: a learner joins with
a code, completes a session (progress bar, summary) and sees her progress chart; the teacher sees
the heat map with her in it; a second learner sees none of the first's data; a phone-sized screen
never scrolls sideways."""

from __future__ import annotations

import pytest
from practice_helpers import seed_bank
from test_browser import CHROMIUM, DESKTOP, PHONE, browser  # noqa: F401  (the shared Chromium fixture)
from web_helpers import make_token

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed at /usr/bin/chromium"),
]


@pytest.fixture
def live(live_server_factory, users, tmp_path):
    server = live_server_factory()
    seed_bank(server.app, users, tmp_path)
    return server


def new_class(live) -> tuple[int, str]:
    import httpx

    headers = {"Authorization": f"Bearer {make_token(live.app, 'prof')}"}
    made = httpx.post(f"{live.url}/api/classes", json={"name": "Terminale B", "level": "Terminale",
                                                        "libraries": ["nsi"]}, headers=headers)
    code = httpx.post(f"{live.url}/api/classes/{made.json()['id']}/codes", json={}, headers=headers)
    return made.json()["id"], code.json()["code"]


def key_of(live, session_url: str) -> dict[int, str]:
    import httpx

    headers = {"Authorization": f"Bearer {make_token(live.app, 'prof')}"}
    session_id = session_url.rsplit("/", 1)[1]
    rows = httpx.get(f"{live.url}/api/sessions/{session_id}/key", headers=headers).json()["items"]
    return {row["id"]: row["answer"] for row in rows}


def no_sideways_scroll(page, label: str) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{label} scrolls sideways by {overflow}px"


def join(page, url: str, code: str, nickname: str) -> None:
    page.goto(f"{url}/join?code={code}")
    page.get_by_label("Pseudonyme").fill(nickname)
    page.get_by_label("Mot de passe (8 caractères au moins)").fill("mot-de-passe-1")
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_url(f"{url}/practice")


def complete_session(page, live, shots, label: str, *, wrong_first: bool) -> str:
    from playwright.sync_api import expect

    page.get_by_role("button", name="Réviser (0 dues)").click()
    page.wait_for_url(f"{live.url}/practice/*")
    session_url = page.url
    key = key_of(live, session_url)
    bar = page.locator("#session-bar")
    expect(bar).to_have_attribute("value", "0")
    first = True
    while page.locator("form.answer-form").count():
        item_id = int(page.locator("form.answer-form input[name=item_id]").get_attribute("value"))
        answer = "zzz" if (first and wrong_first) else key[item_id]
        radios = page.locator("form.answer-form input[type=radio]")
        if radios.count():
            choice = answer if answer in key.values() and not (first and wrong_first) else None
            target = page.get_by_label(choice, exact=True) if choice else radios.last
            if choice is None:  # a wrong choice: not the key
                target = next(radios.nth(i) for i in range(radios.count())
                              if radios.nth(i).get_attribute("value") != key[item_id])
            target.check()
        else:
            page.get_by_label("Votre réponse").fill(answer)
        page.get_by_role("button", name="Valider").click()
        expect(page.locator(".feedback")).to_be_visible()
        if first:
            expect(bar).to_have_attribute("value", "1")
            page.screenshot(path=str(shots / f"{label}-feedback.png"), full_page=True)
        first = False
    expect(page.get_by_role("heading", name="Bilan de la séance")).to_be_visible()
    expect(page.locator(".summary .moved li").first).to_contain_text("maîtrise")
    page.screenshot(path=str(shots / f"{label}-summary.png"), full_page=True)
    return session_url


def test_join_practise_progress_heatmap_and_privacy(browser, live, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    class_id, code = new_class(live)
    page = browser.new_context(viewport=DESKTOP, locale="fr-FR").new_page()
    join(page, live.url, code, "renard")
    session_url = complete_session(page, live, tmp_path, "desktop", wrong_first=True)
    expect(page.locator(".summary")).to_contain_text("4 bonne(s) réponse(s) du premier coup sur 5")
    page.get_by_role("link", name="Voir mes progrès").click()
    expect(page.locator("svg.chart polyline").first).to_be_visible()
    expect(page.locator(".skills-table tbody tr").first).to_be_visible()
    page.screenshot(path=str(tmp_path / "progress.png"), full_page=True)

    teacher = browser.new_context(viewport=DESKTOP, locale="fr-FR").new_page()
    teacher.goto(f"{live.url}/signin")
    teacher.get_by_label("Nom d'utilisateur").fill("prof")
    teacher.get_by_label("Mot de passe").fill("prof-password")
    teacher.get_by_label("Mot de passe").press("Enter")
    teacher.wait_for_url(f"{live.url}/chat")
    teacher.get_by_role("link", name="Classes").click()
    teacher.get_by_role("link", name="Terminale B").click()
    heat = teacher.locator("svg.heatmap")
    expect(heat).to_be_visible()
    expect(heat).to_contain_text("renard")
    expect(teacher.locator(".codes")).to_contain_text(code)
    teacher.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="fr-FR").new_page()
    join(phone, live.url, code, "loup")
    expect(phone.get_by_role("button", name="Réviser (0 dues)")).to_be_visible()
    no_sideways_scroll(phone, "the practice page on a phone")
    response = phone.goto(session_url)  # the first learner's session
    assert response.status == 404
    phone.goto(f"{live.url}/progress")
    expect(phone.locator("svg.chart")).to_have_count(0)
    assert "renard" not in phone.content()
    assert phone.request.get(f"{live.url}/api/sessions/{session_url.rsplit('/', 1)[1]}").status == 404
    assert phone.request.get(f"{live.url}/classes/{class_id}").status in (403, 404)
    phone.goto(f"{live.url}/practice")
    complete_session(phone, live, tmp_path, "phone", wrong_first=False)
    no_sideways_scroll(phone, "the summary on a phone")
    phone.goto(f"{live.url}/progress")
    no_sideways_scroll(phone, "the progress page on a phone")
    phone.screenshot(path=str(tmp_path / "phone-progress.png"), full_page=True)

    teacher.reload()
    no_sideways_scroll(teacher, "the dashboard")
    expect(heat).to_contain_text("loup")
