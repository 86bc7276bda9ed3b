from precepteur.learning.levels import parse_level
from precepteur.tutor import prompts


def test_level_aliases():
    assert parse_level("sixième").code == "6e"
    assert parse_level("Tle").code == "Terminale"
    assert parse_level("1ère").code == "1re"
    assert parse_level("seconde").code == "2nde"
    assert parse_level("licence") is None


def test_plain_question_is_sent_as_is():
    assert prompts.user_turn("Bonjour ?", [], "", "fr") == "Bonjour ?"


def test_history_never_starts_with_an_assistant_turn():
    history = [{"role": "user", "content": "x " * 500}, {"role": "assistant", "content": "a"}, {"role": "user", "content": "b"}, {"role": "assistant", "content": "c"}]
    kept = prompts.fit_history("sys", history, "q", context_window=200, answer_tokens=50, count_tokens=lambda s: len(s.split()))
    assert kept == history[2:]
