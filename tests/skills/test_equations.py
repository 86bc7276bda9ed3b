"""Equation skill: one unknown, solved with sympy behind the safe parser."""

from fractions import Fraction

import pytest

from precepteur.skills import detect, solve_equation, solve_linear

EQUATION_CASES = [
    ("Résous 2x + 3 = 11", "x = 4"),
    ("solve 3(x - 2) = 12", "x = 6"),
    ("5x = 2x + 9", "x = 3"),
    ("Résoudre l'équation 3x = 7", "x = 7/3"),
    ("trouve x tel que 4x - 5 = 11", "x = 4"),
    ("Résous : 3x + 2 = 2x + 7", "x = 5"),
    ("Trouve la valeur de x : 5x = 35", "x = 7"),
    ("solve for x: 4x + 1 = 17", "x = 4"),
    ("x/4 = 3", "x = 12"),
    ("Quelle est la solution de 7x - 3 = 4x + 9 ?", "x = 4"),
    ("Si 3x = 12, que vaut x ?", "x = 4"),
    ("2x+3=11, x=?", "x = 4"),
    ("résous l'équation 0,5x + 1 = 3", "x = 4"),
    ("2y + 1 = 7", "y = 3"),
    ("12/x = 3", "x = 4"),
    ("x + 1 = x + 2", "aucune solution"),
    ("résoudre 2(x+1) = 2x + 2", "tous les réels"),
    ("x² = 16", "x = -4 ou x = 4"),
]


@pytest.mark.parametrize(("question", "expected"), EQUATION_CASES)
def test_detect_equation(question, expected):
    assert [(f.name, f.result) for f in detect(question, "fr")] == [("equation", expected)]


def test_equation_statements():
    (fact,) = detect("Résous 2x + 3 = 11")
    assert fact.statement == "La solution de l'équation 2x + 3 = 11 est x = 4."
    assert {"x = 4", "4"} <= set(fact.accept)
    (fact,) = detect("solve 3x = 7", "en")
    assert fact.statement == "The solution of the equation 3x = 7 is x = 7/3 (≈ 2.333)."
    (fact,) = detect("solve x + 1 = x + 2", "en")
    assert fact.result == "no solution"


def test_solve_functions():
    assert solve_linear("2x + 3 = 11").values == (Fraction(4),)
    assert solve_linear("x = x").every
    assert solve_equation("x^2 = 9").values == (Fraction(-3), Fraction(3))
    with pytest.raises(ValueError):
        solve_linear("x^2 = 9")
    with pytest.raises(ValueError):
        solve_equation("2 + 2")
