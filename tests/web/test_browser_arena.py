"""The arena in Debian's Chromium with two real embedded contestants on the NSI library:
Qwen2.5-Coder-1.5B and SmolLM2-135M (llama.cpp), three blind battles voted with reasons,
the reveal after each vote, then the leaderboard with its plot. A phone-sized screen for
the last battle. Screenshots are left in the test's temporary folder.

Needs the Qwen pack and the `nsi` library of the lead's installation (PRECEPTEUR_TEST_ARENA_HOME,
default /work/home) and the SmolLM2 pack of the test cache; skipped otherwise.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from test_browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE

from precepteur.config import Settings

SOURCE_HOME = Path(os.environ.get("PRECEPTEUR_TEST_ARENA_HOME", "/work/home"))
SMOL_MODELS = Path.home() / ".cache" / "precepteur-test" / "models"
QUESTIONS = (
    "Qu'est-ce qu'une fonction récursive ?",
    "À quoi sert une pile ?",
    "Qu'est-ce qu'un arbre binaire ?",
)
MODEL_FILES = {
    SOURCE_HOME / "models": ("qwen2.5-coder-1.5b-instruct-q4_k_m.gguf", "qwen2.5-coder-1.5b.json"),
    SMOL_MODELS: ("SmolLM2-135M-Instruct.Q4_1.gguf", "smollm2-135m.json"),
}
BATTLE_TIMEOUT_MS = 420_000

pytestmark = [
    pytest.mark.browser, pytest.mark.llamacpp, pytest.mark.slow, pytest.mark.timeout(3 * BATTLE_TIMEOUT_MS // 1000 + 300),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed at /usr/bin/chromium"),
    pytest.mark.skipif(
        not all((folder / name).exists() for folder, names in MODEL_FILES.items() for name in names)
        or not (SOURCE_HOME / "libraries" / "nsi.sqlite3").exists(),
        reason="needs the Qwen pack and the nsi library (PRECEPTEUR_TEST_ARENA_HOME) and the SmolLM2 test pack",
    ),
]


@pytest.fixture
def settings(tmp_path) -> Settings:
    """A fresh installation whose models are links to the installed packs and whose NSI library is a copy."""
    home = tmp_path / "home"
    (home / "models").mkdir(parents=True)
    (home / "libraries").mkdir()
    for folder, names in MODEL_FILES.items():
        for name in names:
            (home / "models" / name).symlink_to(folder / name)
    shutil.copy(SOURCE_HOME / "libraries" / "nsi.sqlite3", home / "libraries" / "nsi.sqlite3")
    return Settings(home=home, model="smollm2-135m", secret_key="test-secret-key", max_tokens=120,
                    language="fr", guard_judge="off")


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _add_contestants(settings):
    from precepteur.arena.contest import model_identity
    from precepteur.store import Database
    from precepteur.store import arena as store

    db = Database(settings)
    with db.session() as s:
        for name, model in (("qwen-explain", "qwen2.5-coder-1.5b"), ("smol-explain", "smollm2-135m")):
            identity = model_identity(model, settings)
            store.add_contestant(s, name, model, prompt_version="explain-1", model_sha256=identity.sha256,
                                 output_licence=identity.licence)
        s.commit()
    db.dispose()


def test_three_battles_with_two_real_models(settings, users, live_server_factory, browser, tmp_path):
    from playwright.sync_api import expect

    _add_contestants(settings)
    live = live_server_factory()
    url = live.url
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{url}/signin")
    page.get_by_label("Nom d'utilisateur").fill("prof")
    page.get_by_label("Mot de passe").fill("prof-password")
    page.get_by_label("Mot de passe").press("Enter")
    page.wait_for_url(f"{url}/chat")

    for i, question in enumerate(QUESTIONS):
        if i == len(QUESTIONS) - 1:  # the last battle on a phone
            context.close()
            context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="fr-FR",
                                          storage_state=None)
            page = context.new_page()
            page.goto(f"{url}/signin")
            page.get_by_label("Nom d'utilisateur").fill("prof")
            page.get_by_label("Mot de passe").fill("prof-password")
            page.get_by_label("Mot de passe").press("Enter")
            page.wait_for_url(f"{url}/chat")
        page.get_by_role("link", name="Arène").click()
        page.get_by_label("Question :").fill(question)
        page.get_by_label("Niveau").select_option("Terminale")
        page.get_by_label("Bibliothèque").select_option("nsi")
        page.set_default_timeout(BATTLE_TIMEOUT_MS)  # the form's navigation waits for both answers
        page.get_by_role("button", name="Lancer le duel").click()
        page.wait_for_url(re.compile(r"/arena/battles/[\w-]+$"))
        page.set_default_timeout(30_000)
        for side in ("a", "b"):
            expect(page.locator(f"#answer-{side} .msg-text")).not_to_be_empty()
        body = page.content()
        assert "qwen" not in body.lower() and "smol" not in body.lower()  # blind before the vote
        page.screenshot(path=str(tmp_path / f"battle-{i}.png"), full_page=True)
        page.get_by_label("A est meilleure" if i % 2 == 0 else "B est meilleure").check()
        page.locator("input[name=reasons_a][value=clear]").check()
        page.locator("input[name=reasons_b][value=wrong_level]").check()
        page.get_by_label("Commentaire").fill(f"duel {i}")
        page.get_by_label("J'accepte").check()
        page.get_by_role("button", name="Voter").click()
        reveal = page.locator(".arena-reveal")
        expect(reveal).to_have_count(2)
        revealed = " ".join(reveal.all_inner_texts())
        assert "qwen-explain" in revealed and "smol-explain" in revealed
        assert "jetons" in revealed
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the battle page scrolls sideways by {overflow}px"
        page.screenshot(path=str(tmp_path / f"reveal-{i}.png"), full_page=True)

    page.goto(f"{url}/arena/leaderboard")
    expect(page.locator("table.arena-board").first).to_contain_text("qwen-explain")
    expect(page.locator("table.arena-board").first).to_contain_text("smol-explain")
    expect(page.locator("svg.arena-plot circle")).to_have_count(2)
    page.screenshot(path=str(tmp_path / "leaderboard.png"), full_page=True)
    context.close()
