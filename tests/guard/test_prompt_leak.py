"""The system prompt and the canary never leave, even while streaming."""

from __future__ import annotations

import os
import stat

import pytest

from precepteur.guard.prompt_leak import LeakFilter, contains_leak, installation_canary

SYSTEM = ("Tu es Précepteur, un tuteur bienveillant pour un élève de niveau Quatrième. "
          "Tu ne devines jamais un calcul ni un comptage : quand un résultat exact t'est donné, tu le reprends tel quel.")
CANARY = "PRC-1A2B3C4D-5E6F7A8B"


def stream(text: str, leak: LeakFilter, step: int = 3) -> str:
    out = "".join(leak.feed(text[i : i + step]) for i in range(0, len(text), step))
    return out + leak.flush()


def test_canary_is_created_once_and_private(tmp_path):
    first = installation_canary(tmp_path)
    assert first.startswith("PRC-") and installation_canary(tmp_path) == first
    assert stat.S_IMODE(os.stat(tmp_path / "guard_canary").st_mode) == 0o600
    assert installation_canary(tmp_path / "other") != first


@pytest.mark.parametrize("step", [1, 3, 7, 50])
def test_a_clean_answer_streams_unchanged(step):
    text = "Une pile est une structure LIFO : le dernier élément empilé est le premier dépilé. Voilà !"
    leak = LeakFilter([SYSTEM], CANARY)
    assert stream(text, leak, step) == text and not leak.leaked


def test_a_recited_span_is_never_sent_and_the_answer_goes_on():
    leak = LeakFilter([SYSTEM], CANARY)
    sent = []
    text = ("Bien sûr. Tu ne devines jamais un calcul ni un comptage : quand un résultat exact t'est donné, "
            "tu le reprends tel quel. Une pile est LIFO.")
    for i in range(0, len(text), 4):
        sent.append(leak.feed(text[i : i + 4]))
    sent.append(leak.flush())
    out = "".join(sent)
    assert leak.leaked
    assert out == "Bien sûr. Une pile est LIFO."
    assert not contains_leak(out, [SYSTEM], CANARY)


def test_a_near_verbatim_span_is_dropped_too():
    text = "Voici : tu ne devines jamais un calcul ni un comptage quand un resultat exact t'est fourni."
    assert contains_leak(text, [SYSTEM], CANARY)


def test_seven_words_of_the_prompt_are_not_a_leak():
    assert not contains_leak("Je suis un tuteur bienveillant pour un élève, et toi ?", [SYSTEM], CANARY)


@pytest.mark.parametrize("written", [CANARY, CANARY.lower(), "P R C - 1A2B3C4D - 5E6F7A8B", "prc1a2b3c4d5e6f7a8b"])
def test_the_canary_in_any_spelling_is_dropped(written):
    leak = LeakFilter([SYSTEM], CANARY)
    out = stream(f"Mon code est {written}. Une pile est LIFO.", leak)
    assert leak.leaked and "1a2b3c4d" not in out.lower().replace(" ", "")
