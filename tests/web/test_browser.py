"""What a person sees: Debian's Chromium, driven by Playwright, against a real server.

Sign in with the keyboard, ask how many letters "lettre" has, watch the
streamed answer and the "computed, not guessed" note, reload and find the
conversation in the history; on a desktop and on a phone-sized screen.
Screenshots are left in the test's temporary folder.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LETTERS = "Combien de lettres dans le mot « lettre » ?"
SKILL_NOTE = "Calculé par Précepteur, pas deviné par le modèle : 6"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed at /usr/bin/chromium "
                       "(apt-get install chromium)"),
]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def ask_and_check(browser, url: str, viewport: dict, shots: Path, label: str, *, mobile: bool = False) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport=viewport, is_mobile=mobile, has_touch=mobile, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{url}/signin")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_label("Nom d'utilisateur").fill("alice")
    page.get_by_label("Mot de passe").fill("alice-password")
    page.get_by_label("Mot de passe").press("Enter")  # keyboard only
    page.wait_for_url(f"{url}/chat")

    page.get_by_label("Votre question").fill(LETTERS)
    page.get_by_label("Niveau").select_option("CE2")
    page.get_by_role("button", name="Envoyer").click()
    answer = page.locator("article.msg-assistant").last
    expect(answer.locator(".skill-note")).to_contain_text(SKILL_NOTE, timeout=15000)
    expect(answer.locator(".msg-text")).to_contain_text("6")
    expect(answer).to_have_attribute("aria-busy", "false")
    page.wait_for_url(re.compile(rf"{re.escape(url)}/chat/\d+$"))
    page.screenshot(path=str(shots / f"{label}-answer.png"), full_page=True)

    page.reload()
    history = page.locator("#history-list a", has_text="Combien de lettres")
    expect(history).to_have_count(1)
    expect(page.locator("article.msg-assistant .skill-note")).to_contain_text(SKILL_NOTE)
    expect(page.locator("article.msg-user")).to_contain_text(LETTERS)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px on {label}"
    page.keyboard.press("Tab")  # the skip link comes first and is visible when focused
    expect(page.locator(".skip-link")).to_be_focused()
    page.screenshot(path=str(shots / f"{label}-reloaded.png"), full_page=True)
    context.close()


def test_ask_and_find_it_again_on_desktop(browser, live_server_factory, tmp_path):
    live = live_server_factory()
    ask_and_check(browser, live.url, DESKTOP, tmp_path, "desktop")


def test_ask_and_find_it_again_on_a_phone(browser, live_server_factory, tmp_path):
    live = live_server_factory()
    ask_and_check(browser, live.url, PHONE, tmp_path, "phone", mobile=True)


def test_english_and_the_model_page(browser, live_server_factory, tmp_path):
    from playwright.sync_api import expect

    live = live_server_factory()
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{live.url}/model?lang=en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="What this model cannot do")).to_be_visible()
    page.screenshot(path=str(tmp_path / "model-en.png"), full_page=True)
    page.get_by_role("link", name="Français").click()
    expect(page.get_by_role("heading", name="Ce que ce modèle ne sait pas faire")).to_be_visible()
    page.close()
