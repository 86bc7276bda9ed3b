"""Arithmetic skill: exact values, number conventions and learner phrasings."""

from fractions import Fraction

import pytest

from precepteur.skills import detect, evaluate

ARITHMETIC_CASES = [
    ("peux-tu me dire combien font 7 fois 8 ?", "fr", "56"),
    ("Combien font sept fois huit ?", "fr", "56"),
    ("c'est combien 12 divisé par 4", "fr", "3"),
    ("quel est le résultat de 125 + 378 ?", "fr", "503"),
    ("calcule 45 - 17 stp", "fr", "28"),
    ("Combien font 3,5 + 2,25 ?", "fr", "5,75"),
    ("Combien fait 0,1 + 0,2 ?", "fr", "0,3"),
    ("Combien font 2 + 3 × 4 ?", "fr", "14"),
    ("(2 + 3) × 4 = ?", "fr", "20"),
    ("calcule (-3) × (-4)", "fr", "12"),
    ("Combien font -5 - 3 ?", "fr", "-8"),
    ("combien font 100 moins 37", "fr", "63"),
    ("Combien fait 9 × 7 ?", "fr", "63"),
    ("Combien font 56 ÷ 8 ?", "fr", "7"),
    ("combien font 56 : 8", "fr", "7"),
    ("7 x 8", "fr", "56"),
    ("7*8", "fr", "56"),
    ("Calcule 3/4 + 1/6", "fr", "11/12"),
    ("combien fait 1/3 + 1/4", "fr", "7/12"),
    ("Combien font 8 divisé par 3 ?", "fr", "8/3"),
    ("10/4", "fr", "2,5"),
    ("combien font 15 % de 80 ?", "fr", "12"),
    ("25 % de 60 ça fait combien ?", "fr", "15"),
    ("Calcule 2^10", "fr", "1024"),
    ("combien fait 2 puissance 10", "fr", "1024"),
    ("Combien vaut 4 au carré ?", "fr", "16"),
    ("Quelle est la valeur de 3² + 4² ?", "fr", "25"),
    ("racine carrée de 144", "fr", "12"),
    ("racine de 49", "fr", "7"),
    ("√2", "fr", "≈ 1,414"),
    ("combien font 10 divisé par 0", "fr", "indéfini"),
    ("combien font 1 000 + 2 500", "fr", "3500"),
    ("Je voudrais savoir combien font 1 234 + 5 678", "fr", "6912"),
    ("Quel est le double de 45 ?", "fr", "90"),
    ("Quelle est la moitié de 3,5 ?", "fr", "1,75"),
    ("Quel est le produit de 12 et 15 ?", "fr", "180"),
    ("Quelle est la somme de 1/2 et 1/3 ?", "fr", "5/6"),
    ("Calcule la moyenne de 12, 15 et 18", "fr", "15"),
    ("Combien font 3 fois 4 plus 2 ?", "fr", "14"),
    ("Calcule 5!", "fr", "120"),
    ("17 modulo 5", "fr", "2"),
    ("est-ce que 7 x 8 = 54 ?", "fr", "56"),
    ("what's 7 times 6?", "en", "42"),
    ("how much is 144 divided by 12?", "en", "12"),
    ("What is 15% of 200?", "en", "30"),
    ("what is 20% of 150", "en", "30"),
    ("what is 5 cubed?", "en", "125"),
    ("What is the square root of 81?", "en", "9"),
    ("what is 2 to the power of 8", "en", "256"),
    ("what's 9 squared", "en", "81"),
    ("what is the cube root of 27", "en", "3"),
    ("what's 3.5 times 2", "en", "7"),
    ("what is 1,000 + 2,500?", "en", "3500"),
    ("What is the sum of 45 and 55?", "en", "100"),
    ("What is seven times eight?", "en", "56"),
    ("what is 100 divided by 7", "en", "100/7"),
    ("the square root of 2", "en", "≈ 1.414"),
    ("what is 10 divided by 0", "en", "undefined"),
]


@pytest.mark.parametrize(("question", "lang", "expected"), ARITHMETIC_CASES)
def test_detect_arithmetic(question, lang, expected):
    facts = detect(question, lang)
    assert [(f.name, f.result) for f in facts] == [("arithmetic", expected)]


def test_language_is_detected_when_not_given():
    assert detect("what is 2.5 times 5")[0].result == "12.5"
    assert detect("combien font 2,5 fois 5")[0].result == "12,5"


def test_statements_and_accepted_forms():
    (fact,) = detect("Combien font 2 + 3 × 4 ?")
    assert fact.statement == "2 + 3 × 4 = 14."
    assert fact.accept[:3] == ["14", "quatorze", "fourteen"]
    (fact,) = detect("Calcule 3/4 + 1/6")
    assert fact.statement == "3/4 + 1/6 = 11/12 (≈ 0,917)."
    assert {"11/12", "0,917", "0.917"} <= set(fact.accept)
    (fact,) = detect("combien font 12 + 0,5", "fr")
    assert fact.result == "12,5" and {"12,5", "12.5"} <= set(fact.accept)
    (fact,) = detect("√2")
    assert "valeur approchée" in fact.statement
    (fact,) = detect("combien font 10 divisé par 0")
    assert "diviser par zéro" in fact.statement
    (fact,) = detect("est-ce que 7 x 8 = 54 ?")
    assert fact.statement == "Non : 7 × 8 = 56, et non 54."


def test_evaluate_is_exact_and_safe():
    assert evaluate("3/4 + 1/6") == Fraction(11, 12)
    assert evaluate("2 + 3 × 4") == 14
    assert evaluate("0,1 + 0,2") == Fraction(3, 10)
    assert evaluate("2^-1") == Fraction(1, 2)
    assert evaluate("racine carrée de 144") == 12
    assert abs(evaluate("√2") - 2**0.5) < 1e-12
    with pytest.raises(ZeroDivisionError):
        evaluate("1 / (2 - 2)")
    for hostile in ("__import__('os').system('ls')", "2 ** 10 ** 10", "open('x')"):
        with pytest.raises(ValueError):
            evaluate(hostile)
