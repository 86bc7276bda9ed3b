"""Waiting for a turn, as a learner sees it in Debian's Chromium: two answers are ahead of
hers on the one slot, her page shows her place and a wait range, both shrink, then her answer
streams in. The wait range needs measured answers: twenty are recorded before she asks."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from test_browser import CHROMIUM, DESKTOP, browser  # noqa: F401  (the shared Chromium fixture)
from web_helpers import LONG_ANSWER, SlowModel, sign_in

from precepteur.gate.eta import MIN_SAMPLES, Timing

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed at /usr/bin/chromium"),
]
ALICE_ANSWER = "Une pile suit le principe du dernier arrivé, premier sorti."


def _ask_in_background(url: str, name: str) -> threading.Thread:
    def ask():
        with httpx.Client(base_url=url, timeout=120) as client:
            csrf = sign_in(client, name)
            conversation = client.post("/api/conversations", json={}, headers={"X-CSRF-Token": csrf}).json()["id"]
            client.post(f"/api/conversations/{conversation}/messages", json={"question": "Raconte une histoire"},
                        headers={"X-CSRF-Token": csrf})

    thread = threading.Thread(target=ask, daemon=True)
    thread.start()
    return thread


def _until(check, timeout=20.0):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.05)


def test_a_waiting_learner_sees_her_place_and_wait_shrink_then_her_answer(browser, live_server_factory, tmp_path):
    from playwright.sync_api import expect

    live = live_server_factory(model=SlowModel(LONG_ANSWER, LONG_ANSWER, ALICE_ANSWER, delay=0.012))
    gate = live.app.state.services.gate
    for _ in range(MIN_SAMPLES):  # answers of about 400 tokens in 6 s have been measured
        gate.store.record_timing(Timing("public", 40, 400, 0.2, 6.0))

    context = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{live.url}/signin")
    page.get_by_label("Nom d'utilisateur").fill("alice")
    page.get_by_label("Mot de passe").fill("alice-password")
    page.get_by_label("Mot de passe").press("Enter")
    page.wait_for_url(f"{live.url}/chat")

    ahead = [_ask_in_background(live.url, "bob")]
    _until(lambda: gate.snapshot(fresh=True).running)
    ahead.append(_ask_in_background(live.url, "prof"))
    _until(lambda: gate.snapshot(fresh=True).waiting)

    page.get_by_label("Votre question").fill("À quoi sert une pile ?")
    page.get_by_role("button", name="Envoyer").click()
    answer = page.locator("article.msg-assistant").last
    seen: list[tuple[int, float, str]] = []  # (place, high end of the range in s, text)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        shown = page.evaluate("""() => {
            const q = document.querySelector('article.msg-assistant:last-of-type .queue-status');
            return q ? [Number(q.dataset.place), Number(q.dataset.high || 'NaN'), q.textContent] : null; }""")
        if shown is not None and (not seen or tuple(shown) != seen[-1]):
            seen.append(tuple(shown))
        if ALICE_ANSWER in (answer.locator(".msg-text").text_content() or ""):
            break
        time.sleep(0.2)
    page.screenshot(path=str(tmp_path / "waited.png"), full_page=True)

    places = [place for place, _, _ in seen]
    assert places and places[0] == 2 and 1 in places, seen  # second in the queue, then next
    assert places == sorted(places, reverse=True), seen  # the place never goes back up
    highs = [high for _, high, _ in seen if high == high]  # NaN: no range shown
    assert len(highs) >= 2 and highs[-1] < highs[0], seen  # the wait range shrinks
    assert any("2ᵉ dans la file" in text and "Attente estimée : entre" in text for _, _, text in seen), seen
    expect(answer.locator(".msg-text")).to_contain_text(ALICE_ANSWER)
    expect(answer.locator(".queue-status")).to_have_count(0)  # the wait line goes once the answer starts
    expect(answer).to_have_attribute("aria-busy", "false")
    for thread in ahead:
        thread.join(60)
    context.close()
