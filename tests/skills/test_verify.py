"""answer_states / contradicts: the verified result wins over the model."""

import pytest

from precepteur.skills import answer_states, contradicts, detect
from precepteur.tutor.types import SkillResult

LETTRE = SkillResult("count", "6", "Le mot « lettre » compte 6 lettres. Lettre par lettre : l-e-t-t-r-e.", ["6", "six"])


@pytest.mark.parametrize(
    ("answer", "states", "contra"),
    [
        ("Le mot lettre a 5 lettres.", False, True),
        ("Il y a six lettres.", True, False),
        ("16", False, False),
        ("Le mot « lettre » compte 6 lettres : l, e, t, t, r, e.", True, False),
        ("Il y a 2 t et 6 lettres.", True, False),
        ("The word has six letters.", True, False),
        ("Le mot lettre compte 16 lettres.", False, True),
        ("Le mot lettre compte cinq lettres.", False, True),
    ],
)
def test_count_answers(answer, states, contra):
    assert answer_states(answer, LETTRE) is states
    assert contradicts(answer, LETTRE) is contra


@pytest.mark.parametrize(
    ("question", "answer", "states", "contra"),
    [
        ("combien font 2 + 3 × 4 ?", "2 + 3 × 4 = 20", False, True),
        ("combien font 2 + 3 × 4 ?", "3 × 4 = 12, puis 2 + 12 = 14.", True, False),
        ("combien font 2 + 3 × 4 ?", "On calcule d'abord 3 × 4 = 12.", False, False),
        ("combien font 2 + 3 × 4 ?", "Le résultat est 20.", False, True),
        ("combien font 7 fois 8", "7 × 8 font cinquante-six.", True, False),
        ("combien font 12 + 0,5", "Cela fait 12.5", True, False),
        ("combien font 12 + 0,5", "Cela fait 12 500", False, True),
        ("Calcule 3/4 + 1/6", "3/4 + 1/6 = 9/12 + 2/12 = 11/12", True, False),
        ("Calcule 3/4 + 1/6", "≈ 0,92", True, False),
        ("Calcule 3/4 + 1/6", "= 4/10", False, True),
        ("√2", "√2 ≈ 1,41", True, False),
        ("√2", "√2 = 1,5", False, True),
        ("10 divisé par 0", "On ne peut pas diviser par zéro.", True, False),
        ("10 divisé par 0", "10 ÷ 0 = 0", False, True),
        ("Résous 2x + 3 = 11", "2x = 8 donc x = 4", True, False),
        ("Résous 2x + 3 = 11", "x = 5", False, True),
        ("Résous 2x + 3 = 11", "On a 4x ...", False, False),
        ("à 90 km/h pendant 2 h 30, quelle distance ?", "On parcourt 225 km.", True, False),
        ("à 90 km/h pendant 2 h 30, quelle distance ?", "90 km/h × 2,5 h = 200 km", False, True),
        ("combien de temps pour parcourir 150 km à 100 km/h ?", "Il faut 1 h 30.", True, False),
        ("combien de temps pour parcourir 150 km à 100 km/h ?", "Il faut 2 h.", False, True),
        ("how many r in strawberry", "There are 2 r's in strawberry.", False, True),
        ("how many r in strawberry", "The letter r appears three times.", True, False),
        ("convertis 2,5 km en m", "2,5 km = 2 500 m", True, False),
        ("convertis 2,5 km en m", "2,5 km = 250 m", False, True),
    ],
)
def test_answers_against_detected_facts(question, answer, states, contra):
    (fact,) = detect(question)
    assert answer_states(answer, fact) is states
    assert contradicts(answer, fact) is contra


def test_spacing_and_separators():
    fact = SkillResult("arithmetic", "12,5", "", ["12,5", "12.5"])
    assert answer_states("La réponse : 12 , 5 ? non : 12,5.", fact)
    assert answer_states("It is 12.5", fact)
    assert not answer_states("It is 112.5", fact)
    big = SkillResult("arithmetic", "1 000 000", "", ["1000000"])
    assert answer_states("Cela fait 1\u202f000\u202f000.", big)
    assert answer_states("That is 1,000,000.", big)
