"""Identity leaks: a name, a maker, our own instructions."""

from __future__ import annotations

from precepteur.arena.blind import identity_leak, identity_terms, public_text


def test_names_and_makers_are_leaks():
    assert identity_leak("Je suis Qwen, un modèle d'Alibaba Cloud.") == "qwen"
    assert identity_leak("Un modèle entraîné par Alibaba.") == "alibaba"
    assert identity_leak("As SmolLM, I think...") == "smollm"
    assert identity_leak("Bonjour ! Une boucle for répète un bloc.") is None
    assert identity_leak("Je suis le modèle tutor-v2.", names=["tutor-v2"]) == "tutor-v2"


def test_parts_of_pack_names_count_but_generic_words_do_not():
    terms = identity_terms(["qwen2.5-coder-1.5b", "SmolLM2-135M-Instruct"])
    assert "qwen2" in terms and "smollm2" in terms
    assert "coder" not in terms and "instruct" not in terms
    assert identity_leak("Ce code est clair.", names=["qwen2.5-coder-1.5b"]) is None


def test_system_prompt_echo_is_a_leak():
    assert identity_leak("Tu es un tuteur bienveillant...", recites=lambda text: "tuteur" in text) == "system_prompt"
    assert identity_leak("Une réponse.", recites=lambda text: False) is None


def test_public_text_finds_secrets_case_insensitively():
    assert public_text('{"a": "x", "b": "y"}', ["Alpha-V1", "scripted"]) is None
    assert public_text("Set-Cookie: alpha-v1", ["Alpha-V1"]) == "Alpha-V1"
