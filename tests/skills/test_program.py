"""Program-aided answers through the tutor pipeline, with the scripted model writing the programs:
agreement is a verified fact enforced in the answer, disagreement an honest "not sure",
broken programs and non-problems the plain path."""

from __future__ import annotations

from fractions import Fraction

import pytest

from precepteur.config import Settings
from precepteur.i18n import t
from precepteur.llm import ScriptedModel
from precepteur.skills import program
from precepteur.tutor import Tutor, TutorRequest

BAT = "Une batte et une balle coûtent 1,10 € au total. La batte coûte 1 € de plus que la balle. Combien coûte la balle ?"
BAT_PROGRAM = ("```python\nfor c in range(111):\n    balle = Fraction(c, 100)\n"
               "    if balle + (balle + 1) == Fraction(110, 100):\n        answer = balle\n```")
ORDER = "Alice est plus grande que Bruno. Bruno est plus grand que Chloé. Qui est la plus petite des trois ?"
ORDER_PROGRAM = ("```python\npeople = ['Alice', 'Bruno', 'Chloé']\nfor o in itertools.permutations(people):\n"
                 "    r = {p: i for i, p in enumerate(o)}\n    if r['Alice'] < r['Bruno'] < r['Chloé']:\n"
                 "        answer = o[-1]\n```")
CAT = ("Tous les chats sont des mammifères. Médor est un mammifère. Peut-on en conclure que Médor est un chat ? "
       "Réponds par oui ou non.")
CAT_PROGRAM = ("```python\nalways = True\nfor chat in (True, False):\n    for mam in (True, False):\n"
               "        if (mam or not chat) and mam:\n            if not chat:\n                always = False\n"
               "answer = always\n```")


class RecordingModel(ScriptedModel):
    """The scripted model, remembering each call's seed."""

    def __init__(self, responses):
        super().__init__(responses)
        self.seeds = []

    def _next(self, messages, options):
        self.seeds.append(options.seed)
        return super()._next(messages, options)


@pytest.fixture
def settings(tmp_path):
    return Settings(home=tmp_path, guard_semantic=False, guard_judge="off")


def ask(settings, model, question):
    return Tutor(settings, model).answer(TutorRequest(question=question))


@pytest.mark.parametrize("question, expected", [
    (BAT, True), (ORDER, True), (CAT, True),
    ("Marie a trois frères. Chacun de ses frères a deux sœurs. Combien de sœurs a Marie ?", True),
    ("A bat and a ball cost $1.10 in total. The bat costs $1 more than the ball. How much does the ball cost?", True),
    ("If it rains, the ground is wet. The ground is dry. Is it raining? Answer yes or no.", True),
    ("Pourquoi le ciel est-il bleu ?", False),
    ("C'est quoi une pile en informatique ?", False),
    ("Explique-moi la photosynthèse.", False),
    ("Combien de lettres dans le mot « lettre » ?", False),
])
def test_only_problems_take_the_program_path(question, expected):
    assert program.looks_like_problem(question) is expected


def test_agreeing_programs_are_a_fact_enforced_in_the_answer(settings):
    model = RecordingModel([BAT_PROGRAM, BAT_PROGRAM.replace("c,", "c ,"), BAT_PROGRAM,
                           "La balle coûte 0,10 €. C'est facile."])
    result = ask(settings, model, BAT)
    assert [s.to_dict() for s in result.skills] == [{"name": "program", "result": "0,05"}]
    assert "Fraction" in result.skills[0].detail  # the program, for "voir le calcul"
    assert "0,10" not in result.answer and "0,05" in result.answer and result.sourced
    assert "Résultat vérifié par un calcul : la réponse est 0,05." in model.calls[-1][-1]["content"]
    assert model.seeds[:3] == [42, 43, 44]  # three samples, three seeds


def test_a_name_and_a_yes_no_are_enforced_too(settings):
    model = ScriptedModel([ORDER_PROGRAM] * 3 + ["Bruno est le plus petit."])
    result = ask(settings, model, ORDER)
    assert result.skills[0].result == "Chloé" and "Bruno est le plus petit" not in result.answer
    assert "Chloé" in result.answer
    model = ScriptedModel([CAT_PROGRAM] * 3 + ["Oui, Médor est un chat."])
    result = ask(settings, model, CAT)
    assert result.skills[0].result == "non" and not result.answer.lower().startswith("oui")


def test_disagreeing_programs_make_an_honest_hypothesis(settings):
    other = BAT_PROGRAM.replace("balle + (balle + 1)", "balle + 1")
    model = ScriptedModel([BAT_PROGRAM, other, BAT_PROGRAM, "La balle coûte peut-être 0,10 €."])
    result = ask(settings, model, BAT)
    assert result.skills == []
    assert result.answer.startswith(t("program.unsure", "fr", values="0,05 ; 0,1"))
    assert not result.sourced


@pytest.mark.parametrize("bad", ["pas du code du tout", "```python\nwhile True:\n    pass\n```",
                                 "```python\nanswer = [1, 2]\n```", "```python\nimport os\n```"])
def test_broken_programs_take_the_plain_path_without_error(settings, bad):
    model = ScriptedModel([bad, bad, bad, "Je pense que la balle coûte 5 centimes."])
    result = ask(settings, model, BAT)
    assert result.error is None and result.skills == []
    assert result.answer.startswith("Je pense que la balle coûte 5 centimes.")


def test_a_question_that_is_no_problem_costs_no_program(settings):
    model = ScriptedModel(["Parce que l'air diffuse le bleu."])
    ask(settings, model, "Pourquoi le ciel est-il bleu ?")
    assert len(model.calls) == 1


def test_display_of_results():
    assert program.display(Fraction(1, 20), "fr") == "0,05" and program.display(Fraction(1, 3), "en") == "1/3"
    assert program.display(True, "fr") == "oui" and program.display(False, "en") == "no"
    assert program.display(4.0, "fr") == "4"
