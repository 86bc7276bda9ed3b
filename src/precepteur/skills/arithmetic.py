"""Arithmetic questions: from "combien font 7 fois 8" to an exact, verified `SkillResult`.

Owns the rewriting of operation words into symbols (French and English: plus, moins,
fois, divisé par, puissance, racine carrée de, % de, "the sum of 3 and 4"...), the
choice of the one expression a question asks for, and how its value is written
(integer, decimal in the reader's convention, fraction, or a marked approximation).

A question fires only when every word around the expression is a filler
("calcule", "combien font", "stp", "what's"...): a wrong fact is worse than none.

Constants: `PRECISE_DECIMALS` (digits of the high-precision form kept in `accept`
so answers can be checked against an approximation), `YEAR_RANGE` (a glued
"1914-1918" between these bounds is a period, not a subtraction).
"""

from __future__ import annotations

import re
from fractions import Fraction

from ..i18n import t
from .result import SkillResult
from . import _expr
from ._numbers import (
    approx_forms,
    decimal_forms,
    format_approx,
    format_decimal,
    format_exact,
    integer_words,
    is_terminating,
    scan_words,
)
from ._text import fold, only_fillers

PRECISE_DECIMALS = 10
YEAR_RANGE = (1000, 2200)

_N = r"(-?\d[\d.,]*(?:/\d+)?|\([^()]*\))"  # one operand of a worded operation
_MATH_KINDS = {"NUM", "OP", "PCT", "LP", "RP", "ROOT", "EQ"}
_CUES = frozenset({"combien", "calcule", "calculez", "calculer", "resultat", "vaut", "font", "fait",
                   "what", "whats", "calculate", "compute", "evaluate", "equals", "equal", "much"})



def _power_of(m: re.Match, exponent: int) -> str:
    """"le carré de 9" -> "9^2", but "le carré de -3" -> "(-3)^2"."""
    operand = next(g for g in m.groups() if g)
    plain = re.fullmatch(r"\d[\d.,]*", operand) or operand.startswith("(")
    return f"{operand}^{exponent}" if plain else f"({operand})^{exponent}"


# (pattern, replacement) applied in order on folded text whose number words are digits.
_TEMPLATES = [
    (r"\b(?:la |the )?(?:somme|sum) (?:de |des nombres |d'|of )?" + _N + r" (?:et|and) " + _N, r"(\1 + \2)"),
    (r"\b(?:le |the )?produit (?:de |des nombres |d')?" + _N + r" (?:et|par) " + _N, r"(\1 * \2)"),
    (r"\bthe product of " + _N + r" and " + _N, r"(\1 * \2)"),
    (r"\b(?:la |the )?difference (?:entre |de |d'|between |of )" + _N + r" (?:et|and) " + _N, r"(\1 - \2)"),
    (r"\b(?:le )?reste de la division (?:euclidienne )?(?:de |d')" + _N + r" par " + _N, r"\1 mod \2"),
    (r"\b(?:le )?quotient (?:entier |de la division euclidienne )(?:de |d')" + _N + r" par " + _N,
     r"\1 // \2"),
    (r"\b(?:le |the )?quotient (?:de |d'|of )" + _N + r" (?:par|et|by|and) " + _N, r"(\1 ÷ \2)"),
    (r"\b(?:ajoute|ajouter|additionne|additionner|add) " + _N + r" (?:a|au|et|to|and|with) " + _N, r"(\1 + \2)"),
    (r"\b(?:soustrais|soustraire|retire|retirer|enleve|enlever|ote) " + _N + r" (?:de|a|du|d') ?" + _N,
     r"(\2 - \1)"),
    (r"\b(?:subtract|take away|take) " + _N + r" from " + _N, r"(\2 - \1)"),
    (r"\b(?:multiplie|multiplier|multiply) " + _N + r" (?:par|by|and|et) " + _N, r"(\1 * \2)"),
    (r"\b(?:divise|diviser|divide) " + _N + r" (?:par|by) " + _N, r"(\1 ÷ \2)"),
    (r"\b(?:la )?moitie (?:de |d')" + _N + r"|\bhalf (?:of )?" + _N, r"(\1\2 ÷ 2)"),
    (r"\b(?:le )?double (?:de |d')" + _N + r"|\b(?:twice|(?:the )?double(?: of)?) " + _N, r"(2 * \1\2)"),
    (r"\b(?:le )?triple (?:de |d')" + _N + r"|\b(?:the )?triple(?: of)? " + _N, r"(3 * \1\2)"),
    (r"\b(?:le )?tiers (?:de |d')" + _N + r"|\b(?:a|one|1) third of " + _N, r"(\1\2 ÷ 3)"),
    (r"\b(\d+) (?:quarts|quarters) (?:de |d'|of )" + _N, r"(\1 * \2 ÷ 4)"),
    (r"\b(?:le )?quart (?:de |d')" + _N + r"|\b(?:a|one|1) quarter of " + _N, r"(\1\2 ÷ 4)"),
    (r"(?<![\d.,/])(\d+/\d+) (?:de |d'|of )" + _N, r"(\1 * \2)"),
    (r"\b(?:le |the )?carre (?:de |d')" + _N + r"|\bthe square of " + _N, lambda m: _power_of(m, 2)),
    (r"\b(?:le |the )?cube (?:de |d'|of )" + _N, lambda m: _power_of(m, 3)),
    (r"\b(?:l'|the )?(?:inverse|reciprocal) (?:de |d'|of )" + _N, r"(1 ÷ \1)"),
    (r"\b(?:la )?factorielle (?:de |d')?" + _N + r"|\bfactorial (?:of )?" + _N, r"fact \1\2"),
    (_N + r" (?:factorielle|factorial)\b", r"fact \1"),
]
_WORDS = [
    (r"\s*\b(?:pour ?cents?|pour-cents?|percent|per ?cent)\b", " %"),
    (r"%\s*(?:de |d'|des |du |of )\s*", " " + _expr.PERCENT_OF + " "),
    (r"\b(?:la |the )?racine cubique (?:de |d')?|\b(?:the )?cube root (?:of )?", " ∛"),
    (r"\b(?:la |the )?racine (?:carree )?(?:de |d')?|\b(?:the )?square root (?:of )?|\bsqrt (?:of )?|\bsqrt\b",
     " √"),
    (r"\bto the (\d+)(?:st|nd|rd|th)(?: power)?\b", r" ^ \1"),
    (r"\b(?:elevee? )?(?:a la )?puissance\b|\bexposant\b|\b(?:raised )?to the power(?: of)?\b|\braised to\b",
     " ^ "),
    (r"\b(?:au carre|squared)\b", " ^ 2"),
    (r"\b(?:au cube|cubed)\b", " ^ 3"),
    (r"\bmultiplie(?:e|s|es)? (?:par|avec)\b|\bmultiplied by\b|\bfois\b|\btimes\b", " * "),
    (r"\bdivise(?:e|s|es)? (?:par|entre)\b|\bdivided by\b|\bdivise\b", " ÷ "),
    (r"(\d)\s+(?:sur|over)\s+(?=\d)", r"\1 / "),
    (r"\bplus\b|\badd(?:ed)? to\b", " + "),
    (r"\bmoins\b|\bminus\b|\bless\b", " - "),
    (r"\b(?:modulo|mod)\b", " mod "),
]
_COMPILED = [(re.compile(p), r) for p, r in _TEMPLATES + _WORDS]


def _digits_for_words(text: str) -> str:
    """Number words replaced by digits ("sept fois huit" -> "7 fois 8")."""
    for n in reversed(scan_words(text)):
        text = text[: n.start] + str(n.value.numerator) + text[n.end :]
    return text


_MEAN = re.compile(
    r"\b(?:la |the )?(?:moyenne|average|mean) (?:de |des nombres |des notes |d'|of )?"
    r"(-?\d+(?:[.,]\d+)?(?:(?:\s*[,;]\s+|\s*;\s*|\s+)-?\d+(?:[.,]\d+)?)*\s+(?:et|and)\s+-?\d+(?:[.,]\d+)?)"
)


def _mean(m: re.Match) -> str:
    """"la moyenne de 12, 15 et 18" -> "(12 + 15 + 18) ÷ 3"."""
    items = re.split(r"\s*[,;]\s+|\s*;\s*|\s+(?:et|and)\s+|\s+", m.group(1).strip())
    items = [i for i in items if i]
    return f"({' + '.join(items)}) ÷ {len(items)}"


def normalize(question: str) -> str:
    """Folded question with operation words rewritten as symbols."""
    text = _MEAN.sub(_mean, _digits_for_words(fold(question)))
    text = re.sub(r"\b([a-z]{2,})(?=\d)", r"\1 ", text)  # "font7 fois 8"
    text = re.sub(r"(\d)\s*x\s*(?=\d)", r"\1 x ", text)  # "7x8"
    text = re.sub(r"(\d)\s*(?:\*\*|\^)\s*", r"\1 ^ ", text)
    text = re.sub(r"(?<![\d.,])(\d+)!(?=\s*(?:[?=]|$))", r"fact \1", text)
    for pattern, replacement in _COMPILED:
        text = pattern.sub(replacement, text)
    text = text.replace("//", " ⫽ ")
    return re.sub(r" {2,}", " ", text).strip()


def _math_tokens(text: str, lang: str) -> list[_expr.Token]:
    tokens = _expr.tokenize(text, lang)
    for k, tok in enumerate(tokens):
        if tok.kind == "WORD" and tok.value in ("mod", "fact"):
            tokens[k] = _expr.Token("OP" if tok.value == "mod" else "WORD", tok.value, tok.start, tok.end)
        elif tok.kind == "PUNCT" and tok.value == "⫽":
            tokens[k] = _expr.Token("OP", "⫽", tok.start, tok.end)
    return tokens


def _is_math(tok: _expr.Token) -> bool:
    return tok.kind in _MATH_KINDS or (tok.kind == "WORD" and tok.value == "fact")


def evaluate(expression: str, lang: str = "fr"):
    """Exact value (`Fraction`) of an expression, or a `float` when it is irrational.

    Raises `ZeroDivisionError` for a division by zero and `ValueError` for anything
    that is not a computable expression.
    """
    tokens = [tok for tok in _math_tokens(normalize(expression), lang) if not tok.kind == "PUNCT"]
    while tokens and tokens[-1].kind == "EQ":
        tokens.pop()
    if any(not _is_math(tok) for tok in tokens):
        raise ValueError(f"not an arithmetic expression: {expression!r}")
    try:
        special = _evaluate_with_integer_ops(tokens)
        return special if special is not None else _expr.evaluate_tree(_expr.parse(tokens))
    except _expr.DivisionByZero as exc:
        raise ZeroDivisionError(str(exc)) from exc


def _split_runs(tokens: list[_expr.Token]) -> tuple[list[list[_expr.Token]], list[_expr.Token]]:
    runs: list[list[_expr.Token]] = []
    others: list[_expr.Token] = []
    current: list[_expr.Token] = []
    for tok in tokens:
        if _is_math(tok):
            current.append(tok)
            continue
        if current:
            runs.append(current)
            current = []
        others.append(tok)
    if current:
        runs.append(current)
    return runs, others


def _looks_like_dates(run: list[_expr.Token], text: str) -> bool:
    """"1914-1918", "14/07/1789" or "07": numbers that are periods or dates, not operations."""
    for tok in run:
        if tok.kind == "NUM" and re.fullmatch(r"0\d+", text[tok.start : tok.end]):
            return True
    nums = [tok for tok in run if tok.kind == "NUM"]
    if len(run) == 3 and run[1].kind == "OP" and run[1].value in "-/" and run[1].start == nums[0].end:
        low, high = YEAR_RANGE
        return all(tok.value.denominator == 1 and low <= tok.value <= high for tok in nums)
    return False


def _evaluate_with_integer_ops(tokens: list[_expr.Token]):
    """Split at mod / // (lowest precedence here: "17 mod 5", "17 // 5") and evaluate."""
    for k, tok in enumerate(tokens):
        if tok.kind == "OP" and tok.value in ("mod", "⫽"):
            left = _expr.evaluate_tree(_expr.parse(tokens[:k]))
            right = _expr.evaluate_tree(_expr.parse(tokens[k + 1 :]))
            if not all(isinstance(v, Fraction) and v.denominator == 1 for v in (left, right)):
                raise _expr.ParseError("integer division of non-integers")
            if right == 0:
                raise _expr.DivisionByZero("division by zero")
            return Fraction(left.numerator % right.numerator if tok.value == "mod" else left.numerator // right.numerator)
    return None


def _show_tokens(tokens: list[_expr.Token], lang: str) -> str:
    for k, tok in enumerate(tokens):
        if tok.kind == "OP" and tok.value in ("mod", "⫽"):
            op = "mod" if tok.value == "mod" else "//"
            return f"{_show_tokens(tokens[:k], lang)} {op} {_show_tokens(tokens[k + 1 :], lang)}"
    tree = _expr.parse(tokens)
    while tree[0] == "paren":
        tree = tree[1]
    return _expr.show(tree, lang)


def detect_arithmetic(clause: str, lang: str) -> SkillResult | None:
    """The arithmetic fact one clause asks for, or None if it is not a bare computation."""
    text = normalize(clause)
    tokens = _math_tokens(text, lang)
    runs, others = _split_runs(tokens)
    runs = [run for run in runs if any(tok.kind == "NUM" for tok in run)]
    if len(runs) != 1:
        return None
    run = runs[0]
    residual = " ".join(str(tok.value) for tok in others if tok.kind == "WORD")
    if not only_fillers(residual):
        return None
    if _looks_like_dates(run, text) and not (_CUES & set(residual.split())):
        return None
    equals = [k for k, tok in enumerate(run) if tok.kind == "EQ"]
    claimed = None
    if equals:
        if len(equals) > 1:
            return None
        lhs, rhs = run[: equals[0]], run[equals[0] + 1 :]
        if rhs:
            if len(rhs) != 1 or rhs[0].kind != "NUM":
                return None
            claimed = rhs[0].value
        run = lhs
    try:
        special = _evaluate_with_integer_ops(run)
        tree = None if special is not None else _expr.parse(run)
        if tree is not None and not _expr.has_operation(tree):
            return None
        expression = _show_tokens(run, lang)
    except _expr.ParseError:
        return None
    except _expr.MathError:
        return None
    try:
        value = special if special is not None else _expr.evaluate_tree(tree)
    except _expr.DivisionByZero:
        return _undefined(expression, "skills.arithmetic.division_by_zero", lang)
    except _expr.NotReal:
        return _undefined(expression, "skills.arithmetic.not_real", lang)
    except (_expr.MathError, _expr.ParseError, OverflowError):
        return None
    fraction_style = tree is not None and _fraction_style(tree)
    return _result(expression, value, fraction_style, claimed, lang)


def _fraction_style(tree: tuple) -> bool:
    """Fraction arithmetic ("3/4 + 1/6"): slash fractions, more than one operation, no decimals."""
    slashes = _count_literal_fractions(tree)
    operations = _expr.count_nodes(tree, {"add", "sub", "mul", "div", "quot", "pctof", "pow", "neg"})
    has_decimals = _has_decimal_literal(tree)
    return slashes >= 1 and operations >= 2 and not has_decimals


def _count_literal_fractions(node: tuple) -> int:
    own = 1 if node[0] == "div" and node[1][0] == "num" and node[2][0] == "num" else 0
    return own + sum(_count_literal_fractions(c) for c in node[1:] if isinstance(c, tuple))


def _has_decimal_literal(node: tuple) -> bool:
    if node[0] == "num":
        return node[2] > 0
    return any(_has_decimal_literal(c) for c in node[1:] if isinstance(c, tuple))


def _undefined(expression: str, key: str, lang: str) -> SkillResult:
    result_key = "skills.arithmetic.undefined" if key.endswith("division_by_zero") else "skills.arithmetic.no_real_value"
    accept = [form for lg in ("fr", "en") for form in t(result_key + "_forms", lg).split("|")]
    statement = t(key, lang, expression=expression)
    return SkillResult("arithmetic", t(result_key, lang), statement, list(dict.fromkeys(accept)))


def value_accept(value: Fraction) -> list[str]:
    """Forms that state an exact value: decimals (both separators), fraction, small-integer words."""
    forms: list[str] = []
    if value.denominator == 1:
        n = value.numerator
        forms.append(str(n))
        if abs(n) >= 1000:
            forms += [_group_all(n, " "), _group_all(n, ",")]
        for lg in ("fr", "en"):
            word = integer_words(n, lg)
            if word:
                forms.append(word)
        return list(dict.fromkeys(forms))
    if is_terminating(value):
        forms += decimal_forms(value)
    forms.append(f"{value.numerator}/{value.denominator}")
    if not is_terminating(value):
        forms += approx_forms(value)
    return list(dict.fromkeys(forms))


def _group_all(n: int, sep: str) -> str:
    digits, sign = str(abs(n)), "-" if n < 0 else ""
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return sign + sep.join(groups)


def _result(expression: str, value, fraction_style: bool, claimed, lang: str) -> SkillResult:
    if isinstance(value, float):
        result = "≈ " + format_approx(value, lang)
        precise = format_decimal(Fraction(value), "en", PRECISE_DECIMALS).replace(",", "")
        accept = approx_forms(value) + [precise, precise.replace(".", ",")]
        statement = t("skills.arithmetic.approx", lang, expression=expression, result=format_approx(value, lang))
        return SkillResult("arithmetic", result, statement, list(dict.fromkeys(accept)))
    accept = value_accept(value)
    if value.denominator != 1 and (fraction_style or not is_terminating(value)):
        result = f"{value.numerator}/{value.denominator}"
        if is_terminating(value):
            extra = t("skills.arithmetic.also_decimal", lang, decimal=format_decimal(value, lang))
        else:
            extra = t("skills.arithmetic.also_approx", lang, approx=format_approx(value, lang))
    else:
        result, extra = format_exact(value, lang), ""
    if claimed is None and expression == result:
        statement = t("skills.arithmetic.approx_only", lang, expression=expression, approx=format_approx(value, lang))
    elif claimed is None:
        statement = t("skills.arithmetic.exact", lang, expression=expression, result=result, extra=extra)
    else:
        key = "skills.arithmetic.check_right" if claimed == value else "skills.arithmetic.check_wrong"
        statement = t(key, lang, expression=expression, result=result, extra=extra,
                      claimed=format_exact(claimed, lang))
    return SkillResult("arithmetic", result, statement, accept)
