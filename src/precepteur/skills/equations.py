"""Equations in one unknown ("Résous 2x + 3 = 11", "solve 3(x - 2) = 12"), solved with sympy.

Both sides go through the same safe parser as arithmetic (never `eval`, never
`sympify` on learner text), then sympy solves the polynomial numerator: degree 1
(the promise), degree 2 when its roots are real, and the two degenerate cases
(no solution, every real number). Values of the unknown that cancel a denominator
are not solutions.

Constants: `MAX_DEGREE` (higher degrees are left to the model), `UNKNOWNS` (letters
accepted as the unknown, x first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from ..i18n import t
from .result import SkillResult
from . import _expr
from ._numbers import approx_forms, format_approx, format_exact, is_terminating
from ._text import only_fillers

MAX_DEGREE = 2
UNKNOWNS = "xyztnabcmpuvw"

_EQ_FILLERS = frozenset(
    """resous resoudre resolvez resolve solve trouve trouver trouvez find determine determiner
    equation equations l'equation the for pour si if sachant que when where quand dans in inconnue
    unknown valeur value de d est is what whats quelle quel vaut solution solutions la le on a
    tel telle such that x y z n t so""".split()
)


@dataclass(frozen=True)
class Solution:
    """The real solutions of an equation: `values` (possibly empty), or `every` real number."""

    variable: str
    values: tuple = ()
    every: bool = False


def _to_sympy(node: tuple, symbols: dict):
    """The sympy expression of a tree; `symbols` maps variable names to sympy Symbols."""
    import sympy

    kind = node[0]
    if kind == "num":
        return sympy.Rational(node[1].numerator, node[1].denominator)
    if kind == "var":
        return symbols[node[1]]
    if kind == "paren":
        return _to_sympy(node[1], symbols)
    if kind == "neg":
        return -_to_sympy(node[1], symbols)
    if kind == "pct":
        return _to_sympy(node[1], symbols) / 100
    if kind == "root":
        return sympy.root(_to_sympy(node[2], symbols), node[1])
    if kind == "fact":
        return sympy.factorial(_to_sympy(node[1], symbols))
    a, b = _to_sympy(node[1], symbols), _to_sympy(node[2], symbols)
    if kind == "pow":
        if not b.is_Integer or abs(int(b)) > 4:
            raise _expr.ParseError("only small integer powers in equations")
        return a**b
    return _expr.apply_binary(kind, a, b)


def _pick_unknown(tokens: list[_expr.Token]) -> str | None:
    candidates = []
    math = {"NUM", "OP", "LP", "RP", "EQ", "ROOT", "PCT"}
    for k, tok in enumerate(tokens):
        if tok.kind == "WORD" and len(tok.value) == 1 and tok.value in UNKNOWNS:
            near = [tokens[j] for j in (k - 1, k + 1) if 0 <= j < len(tokens)]
            if any(n.kind in math for n in near):
                candidates.append(tok.value)
    if "x" in candidates:
        return "x"
    distinct = set(candidates)
    return distinct.pop() if len(distinct) == 1 else None


def _sides(text: str, lang: str) -> tuple[tuple, tuple, str, list[str]] | None:
    """(left tree, right tree, unknown, residual words) of a normalized text, or None."""
    from .arithmetic import _math_tokens

    if "=" not in text:
        return None
    variable = _pick_unknown(_math_tokens(text, lang))
    if variable is None:
        return None
    tokens = _expr.tokenize(text, lang, variable=variable)
    runs, current, residual = [], [], []
    for tok in tokens:
        if tok.kind in ("NUM", "OP", "LP", "RP", "EQ", "ROOT", "PCT", "VAR"):
            current.append(tok)
            continue
        if current:
            runs.append(current)
            current = []
        if tok.kind == "WORD":
            residual.append(str(tok.value))
    if current:
        runs.append(current)
    with_eq = [r for r in runs if any(tok.kind == "EQ" for tok in r) and len(r) > 2]
    others = [r for r in runs if r not in with_eq]
    if len(with_eq) != 1 or any(any(tok.kind == "NUM" for tok in r) for r in others):
        return None
    run = with_eq[0]
    equals = [k for k, tok in enumerate(run) if tok.kind == "EQ"]
    if len(equals) != 1:
        return None
    left, right = run[: equals[0]], run[equals[0] + 1 :]
    if not left or not right or not any(tok.kind == "VAR" for tok in run):
        return None
    return _expr.parse(left), _expr.parse(right), variable, residual


def _solve_trees(left: tuple, right: tuple, variable: str, max_degree: int = MAX_DEGREE) -> Solution:
    import sympy

    x = sympy.Symbol(variable)
    expr = sympy.together(_to_sympy(left, {variable: x}) - _to_sympy(right, {variable: x}))
    numerator, denominator = sympy.fraction(expr)
    numerator = sympy.expand(numerator)
    if numerator.free_symbols - {x} or denominator.free_symbols - {x}:
        raise ValueError("more than one unknown")
    poly = sympy.Poly(numerator, x)
    if poly.degree() > max_degree:
        raise ValueError("degree too high")
    if poly.is_zero:
        return Solution(variable, every=True)
    if poly.degree() <= 0:
        return Solution(variable)
    roots = [r for r in sympy.solve(numerator, x) if r.is_real and denominator.subs(x, r) != 0]
    values = []
    for r in sorted(roots, key=lambda r: float(r)):
        values.append(Fraction(int(r.p), int(r.q)) if r.is_Rational else float(r))
    return Solution(variable, tuple(values))


def solve_equation(equation: str, lang: str = "fr") -> Solution:
    """Real solutions of an equation in one unknown, up to degree 2 (raises ValueError otherwise)."""
    from .arithmetic import normalize

    sides = _sides(normalize(equation), lang)
    if sides is None:
        raise ValueError(f"not an equation in one unknown: {equation!r}")
    return _solve_trees(sides[0], sides[1], sides[2])


def solve_linear(equation: str, lang: str = "fr") -> Solution:
    """Solution of a linear equation ("2x + 3 = 11" -> x = 4); raises ValueError beyond degree 1."""
    from .arithmetic import normalize

    sides = _sides(normalize(equation), lang)
    if sides is None:
        raise ValueError(f"not an equation in one unknown: {equation!r}")
    return _solve_trees(sides[0], sides[1], sides[2], max_degree=1)


def _value_text(value, lang: str) -> str:
    return format_approx(value, lang) if isinstance(value, float) else format_exact(value, lang)


def _equals(value) -> str:
    return "≈" if isinstance(value, float) else "="


def detect_equation(clause: str, lang: str) -> SkillResult | None:
    """The solution one clause asks for ("résous 5x = 2x + 9"), or None."""
    from .arithmetic import normalize, value_accept

    text = normalize(clause)
    text = re.sub(r"\b(?:est egale? a|egale? a|egale?s?|equals|is equal to)\b", "=", text)
    sides = _sides(text, lang)
    if sides is None:
        return None
    left, right, variable, residual = sides
    if not only_fillers(" ".join(w for w in residual if w != variable), _EQ_FILLERS):
        return None
    try:
        solution = _solve_trees(left, right, variable)
    except (ValueError, TypeError, _expr.MathError, _expr.ParseError):
        return None
    equation = f"{_expr.show(left, lang)} = {_expr.show(right, lang)}"
    if solution.every:
        forms = [f for lg in ("fr", "en") for f in t("skills.equation.all_forms", lg).split("|")]
        return SkillResult("equation", t("skills.equation.all_result", lang),
                           t("skills.equation.all", lang, equation=equation), forms)
    if not solution.values:
        forms = [f for lg in ("fr", "en") for f in t("skills.equation.none_forms", lg).split("|")]
        key = "skills.equation.none_real" if _has_square(left, right) else "skills.equation.none"
        return SkillResult("equation", t("skills.equation.none_result", lang),
                           t(key, lang, equation=equation), forms)
    texts = [_value_text(v, lang) for v in solution.values]
    accept: list[str] = []
    for value, text_value in zip(solution.values, texts):
        sign = _equals(value)
        accept += [f"{variable} {sign} {text_value}", f"{variable}{sign}{text_value}"]
        accept += approx_forms(value) if isinstance(value, float) else value_accept(value)
    if len(texts) == 1:
        value = solution.values[0]
        extra = ""
        if isinstance(value, Fraction) and not is_terminating(value):
            extra = f" (≈ {format_approx(value, lang)})"
        statement = t("skills.equation.one", lang, equation=equation, variable=variable,
                      sign=_equals(value), value=texts[0], extra=extra)
        result = f"{variable} {_equals(value)} {texts[0]}"
    else:
        first, second = (f"{variable} {_equals(v)} {text_v}" for v, text_v in zip(solution.values, texts))
        statement = t("skills.equation.two", lang, equation=equation, first=first, second=second)
        result = f" {t('skills.equation.or', lang)} ".join((first, second))
    return SkillResult("equation", result, statement, list(dict.fromkeys(accept)))


def _has_square(left: tuple, right: tuple) -> bool:
    return bool(_expr.count_nodes(left, {"pow"}) + _expr.count_nodes(right, {"pow"}))
