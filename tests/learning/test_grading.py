"""Grading on every kind: the key is right, a variant or a French number format is right,
a distractor or nonsense is wrong; feedback quotes the source; Socratic hints hide the key."""

from __future__ import annotations

import pytest
from items_fixtures import CLOZE, DECIMAL, MCQ, NUMERIC, SHORT, TRUE_FALSE, make

from precepteur.learning.grading import grade

RIGHT = [
    (MCQ, "Bellman-Ford"), (MCQ, "bellman ford"), (MCQ, "B"), (MCQ, "b)"), (MCQ, "2"),
    (TRUE_FALSE, "Faux"), (TRUE_FALSE, "faux"), (TRUE_FALSE, "F"), (TRUE_FALSE, "non"), (TRUE_FALSE, "false"),
    (CLOZE, "Bellman-Ford"), (CLOZE, "bellman-ford"), (CLOZE, "  BELLMAN-FORD. "),
    (NUMERIC, "15"), (NUMERIC, "quinze"), (NUMERIC, "15,0"), (NUMERIC, "= 15"),
    (DECIMAL, "2,5"), (DECIMAL, "2.5 km"), (DECIMAL, "2 500 m"), (DECIMAL, "2500 m"), (DECIMAL, "5/2"),
    (DECIMAL, "2,509"),
    (SHORT, "l'algorithme de Dijkstra"), (SHORT, "Dijkstra"), (SHORT, "dijkstra"), (SHORT, "c'est Dijkstra"),
]
WRONG = [
    (MCQ, "Dijkstra"), (MCQ, "A"), (MCQ, "E"), (MCQ, "banane"), (MCQ, ""),
    (TRUE_FALSE, "Vrai"), (TRUE_FALSE, "oui"), (TRUE_FALSE, "peut-être"),
    (CLOZE, "Dijkstra"), (CLOZE, "Bellman"), (CLOZE, "xyz"),
    (NUMERIC, "16"), (NUMERIC, "quinze sauts et demi peut-être"), (NUMERIC, "beaucoup"), (NUMERIC, "15 16"),
    (DECIMAL, "2,6"), (DECIMAL, "2,5 kg"), (DECIMAL, "25"),
    (SHORT, "Bellman-Ford"), (SHORT, "pas Dijkstra"), (SHORT, "n'importe quoi"),
]


@pytest.mark.parametrize(("item", "answer"), RIGHT)
def test_right_answers(item, answer):
    result = grade(item, answer)
    assert result.correct, (item.kind, answer, result.feedback)
    assert grade(item, result.expected).correct  # `expected` always grades right
    assert result.feedback.startswith("Juste")
    assert "c11r.md › Ce qu’il faut savoir" in result.feedback and "Bellman-Ford" in result.feedback


@pytest.mark.parametrize(("item", "answer"), WRONG)
def test_wrong_answers(item, answer):
    result = grade(item, answer)
    assert not result.correct, (item.kind, answer)
    assert result.expected == item.key
    assert f"« {item.key} »" in result.feedback and "D'après c11r.md" in result.feedback
    assert result.hint is None and not result.judged


def test_cloze_accepts_a_small_typo_and_says_so():
    result = grade(CLOZE, "Belman-Ford")
    assert result.correct and result.feedback.startswith("Juste (attention à l'orthographe : « Bellman-Ford »)")
    short = make("cloze", "Le principe _____ régit les piles.", "LIFO")
    assert grade(short, "lifo").correct and not grade(short, "FIFO").correct  # one edit on 4 letters is too many


def test_cloze_elisions_and_articles():
    item = make("cloze", "On parcourt _____ en profondeur.", "l'arbre")
    assert grade(item, "arbre").correct and grade(item, "L’arbre").correct and grade(item, "un arbre").correct


def test_percent_and_fraction_keys():
    percent = make("numeric", "Quelle part ?", "50 %")
    assert grade(percent, "50").correct and grade(percent, "50%").correct and grade(percent, "0,5").correct
    assert not grade(percent, "5").correct
    eighth = make("numeric", "Quelle fraction ?", "7/8")
    assert grade(eighth, "0,875").correct and grade(eighth, "7/8").correct and not grade(eighth, "7/9").correct


def test_thousands_in_french():
    item = make("numeric", "Combien d'octets ?", "1000")
    assert grade(item, "1 000").correct and grade(item, "1000").correct and grade(item, "mille").correct
    assert not grade(item, "1,000").correct  # in French, 1,000 is one


def test_socratic_first_wrong_answer_gets_a_hint_not_the_key():
    result = grade(CLOZE, "Dijkstra", mode="socratic", attempt=1)
    assert not result.correct
    assert result.hint == "Le protocole RIP utilise le nombre de sauts comme métrique."
    assert "Bellman" not in result.feedback and result.feedback.startswith("Pas encore. Indice :")
    second = grade(CLOZE, "Dijkstra", mode="socratic", attempt=2)
    assert "« Bellman-Ford »" in second.feedback and second.hint is None
    where = grade(NUMERIC, "3", mode="socratic")
    assert where.hint == "relisez le passage « c11r.md › Ce qu’il faut savoir »."


def test_the_judge_decides_only_short_answers_that_do_not_match():
    calls = []

    def judge(item, answer):
        calls.append(answer)
        return answer == "celui de Dijkstra, qui calcule les plus courts chemins depuis un routeur"

    assert grade(SHORT, "Dijkstra", judge=judge).judged is False
    judged = grade(SHORT, "celui de Dijkstra, qui calcule les plus courts chemins depuis un routeur", judge=judge)
    assert judged.correct and judged.judged and "jugée par le modèle" in judged.feedback
    refused = grade(SHORT, "le routage statique", judge=judge)
    assert not refused.correct and refused.judged
    assert calls == ["celui de Dijkstra, qui calcule les plus courts chemins depuis un routeur", "le routage statique"]
    assert grade(CLOZE, "Dijkstra", judge=judge).judged is False and len(calls) == 2


def test_a_failing_judge_decides_nothing():
    def broken(item, answer):
        raise TimeoutError("model too slow")

    result = grade(SHORT, "un algorithme de plus court chemin", judge=broken)
    assert not result.correct and not result.judged
    assert result.judge_failed and result.graded_by == "fallback"
    assert "Corrigé par le programme seul" in result.feedback
    assert "Graded by code only" in grade(SHORT, "un algorithme", judge=broken, lang="en").feedback
    assert grade(SHORT, "Dijkstra", judge=broken).graded_by == "code"  # matched by code: the judge is not asked


def test_replaying_a_stored_verdict_gives_the_same_grade_without_the_model():
    from precepteur.learning.grading import replay_judge

    answer = "celui de Dijkstra, qui calcule les plus courts chemins depuis un routeur"
    assert grade(SHORT, answer, judge=replay_judge("model", True)) == grade(SHORT, answer, judge=lambda i, a: True)
    assert grade(SHORT, answer, judge=replay_judge("fallback", False)).graded_by == "fallback"
    assert replay_judge("code", False) is None


def test_english_feedback():
    result = grade(MCQ, "Dijkstra", lang="en")
    assert result.feedback.startswith("Not quite: the expected answer is “Bellman-Ford”.")


def test_the_models_rubric_as_judge():
    from precepteur.learning.items.judge import model_judge
    from precepteur.llm import ScriptedModel, StructuredText

    model = ScriptedModel()
    model.enqueue({"correct": True}, StructuredText("pas du json"))
    judge = model_judge(model)
    judged = grade(SHORT, "celui qui porte le nom d'Edsger Dijkstra", judge=judge)
    assert judged.correct and judged.judged
    prompt = model.calls[0][1]["content"]
    assert prompt.startswith("Passage :\nLe protocole RIP") and "Réponse attendue : l'algorithme de Dijkstra ; Dijkstra" in prompt
    assert "« celui qui porte le nom d'Edsger Dijkstra »" in prompt
    broken = grade(SHORT, "un autre algorithme", judge=judge)
    assert not broken.correct and not broken.judged
