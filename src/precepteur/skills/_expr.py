"""A safe tokenizer, recursive-descent parser and exact evaluator for school arithmetic.

Never `eval`: the grammar below is all that is understood.

    expr    := term (("+" | "-") term)*
    term    := unary (("*" | "/" | "%of" | implicit) unary)*
    unary   := ("-" | "+") unary | power
    power   := postfix ("^" unary)?
    postfix := primary "%"*
    primary := NUMBER | VARIABLE | "(" expr ")" | ROOT (postfix | "-" unary) | "fact" primary

Values are exact `Fraction`s while they can be (powers with integer exponents,
perfect roots); an irrational root makes the value a `float`, which callers report
as an approximation. Nodes are plain tuples, printed back for statements (and
turned into sympy expressions by the equation skill).

Constants: `MAX_EXPONENT`, `MAX_RESULT_DIGITS`, `MAX_FACTORIAL` bound the work one
question may ask for.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

from ._numbers import format_exact, scan_digits

MAX_EXPONENT = 10_000
MAX_RESULT_DIGITS = 5_000
MAX_FACTORIAL = 500

PERCENT_OF = "§"  # written by the intent parser for "15 % de 80" / "20% of 150"

_WORD = re.compile(r"[^\W\d_⁰¹²³⁴⁵⁶⁷⁸⁹]+(?:['-][^\W\d_⁰¹²³⁴⁵⁶⁷⁸⁹]+)*")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_TO_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_SINGLE = {
    "+": ("OP", "+"), "-": ("OP", "-"), "*": ("OP", "*"), "×": ("OP", "*"), "·": ("OP", "*"),
    "⋅": ("OP", "*"), "∗": ("OP", "*"), "/": ("OP", "/"), "÷": ("OP", "÷"), "^": ("OP", "^"),
    PERCENT_OF: ("OP", "%of"), "%": ("PCT", "%"), "(": ("LP", "("), "[": ("LP", "("),
    ")": ("RP", ")"), "]": ("RP", ")"), "√": ("ROOT", 2), "∛": ("ROOT", 3), "=": ("EQ", "="),
    ":": ("COLON", ":"),
}


class MathError(ValueError):
    """The expression is well formed but has no (real, computable) value."""


class DivisionByZero(MathError):
    pass


class NotReal(MathError):
    pass


class TooLarge(MathError):
    pass


class ParseError(ValueError):
    """The text is not an expression of the grammar."""


@dataclass
class Token:
    kind: str  # NUM OP PCT LP RP ROOT EQ COLON VAR WORD PUNCT
    value: object
    start: int
    end: int
    decimals: int = 0


OPERAND_END = {"NUM", "RP", "PCT", "VAR"}
OPERAND_START = {"NUM", "LP", "ROOT", "VAR"}


def tokenize(text: str, lang: str = "fr", variable: str | None = None) -> list[Token]:
    """Tokens of a folded text; words stay WORD tokens, `variable` (one letter) becomes VAR."""
    numbers = {n.start: n for n in scan_digits(text, lang, signed=False)}
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == " ":
            i += 1
        elif i in numbers:
            n = numbers[i]
            tokens.append(Token("NUM", n.value, n.start, n.end, n.decimals))
            i = n.end
        elif text.startswith("**", i):
            tokens.append(Token("OP", "^", i, i + 2))
            i += 2
        elif ch in "⁰¹²³⁴⁵⁶⁷⁸⁹":
            j = i
            while j < len(text) and text[j] in "⁰¹²³⁴⁵⁶⁷⁸⁹":
                j += 1
            tokens.append(Token("OP", "^", i, i))
            tokens.append(Token("NUM", Fraction(int(text[i:j].translate(_SUPERSCRIPTS))), i, j))
            i = j
        elif ch in _SINGLE:
            kind, value = _SINGLE[ch]
            tokens.append(Token(kind, value, i, i + 1))
            i += 1
        elif _WORD.match(text, i):
            m = _WORD.match(text, i)
            word = m.group(0)
            kind = "VAR" if variable is not None and word == variable else "WORD"
            tokens.append(Token(kind, word, i, m.end()))
            i = m.end()
        else:
            tokens.append(Token("PUNCT", ch, i, i + 1))
            i += 1
    return _resolve_infix_words(tokens)


def _resolve_infix_words(tokens: list[Token]) -> list[Token]:
    """"x" and ":" between two operands mean multiplication and division."""
    for k in range(1, len(tokens) - 1):
        tok, prev, nxt = tokens[k], tokens[k - 1], tokens[k + 1]
        between = prev.kind in OPERAND_END and nxt.kind in OPERAND_START
        if tok.kind == "WORD" and tok.value == "x" and between:
            tokens[k] = Token("OP", "*", tok.start, tok.end)
        elif tok.kind == "COLON" and prev.kind in ("NUM", "RP") and nxt.kind in ("NUM", "LP"):
            tokens[k] = Token("OP", "÷", tok.start, tok.end)
    return tokens


class _Parser:
    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> Token:
        tok = self.peek()
        if tok is None:
            raise ParseError("unexpected end")
        self.pos += 1
        return tok

    def is_op(self, *values: str) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind == "OP" and tok.value in values

    def parse(self) -> tuple:
        node = self.expr()
        if self.peek() is not None:
            raise ParseError(f"unexpected {self.peek().value!r}")
        return node

    def expr(self) -> tuple:
        node = self.term()
        while self.is_op("+", "-"):
            op = self.take().value
            node = ("add" if op == "+" else "sub", node, self.term())
        return node

    def term(self) -> tuple:
        node = self.unary()
        while True:
            tok = self.peek()
            if self.is_op("*", "/", "÷", "%of"):
                op = self.take().value
                kind = {"*": "mul", "/": "div", "÷": "quot", "%of": "pctof"}[op]
                node = (kind, node, self.unary())
            elif tok is not None and tok.kind in ("LP", "VAR", "ROOT"):
                node = ("mul", node, self.unary())  # implicit: 2(3 + 4), 2x, 3√2
            else:
                return node

    def unary(self) -> tuple:
        if self.is_op("-"):
            self.take()
            return ("neg", self.unary())
        if self.is_op("+"):
            self.take()
            return self.unary()
        return self.power()

    def power(self) -> tuple:
        node = self.postfix()
        if self.is_op("^"):
            self.take()
            return ("pow", node, self.unary())
        return node

    def postfix(self) -> tuple:
        node = self.primary()
        while self.peek() is not None and self.peek().kind == "PCT":
            self.take()
            node = ("pct", node)
        return node

    def primary(self) -> tuple:
        tok = self.take()
        if tok.kind == "NUM":
            return ("num", tok.value, tok.decimals)
        if tok.kind == "VAR":
            return ("var", tok.value)
        if tok.kind == "LP":
            node = self.expr()
            if self.take().kind != "RP":
                raise ParseError("missing )")
            return ("paren", node)
        if tok.kind == "ROOT":
            return ("root", tok.value, self.unary() if self.is_op("-") else self.postfix())
        if tok.kind == "WORD" and tok.value == "fact":
            return ("fact", self.primary())
        raise ParseError(f"unexpected {tok.value!r}")


def parse(tokens: list[Token]) -> tuple:
    """The syntax tree of a list of math tokens (raises ParseError)."""
    return _Parser(tokens).parse()


def _iroot(n: int, k: int) -> int | None:
    """The exact integer k-th root of n >= 0, or None."""
    if n < 2:
        return n
    r = math.isqrt(n) if k == 2 else round(n ** (1 / k))
    for c in (r - 1, r, r + 1):
        if c >= 0 and c**k == n:
            return c
    return None


def _root(value, k: int):
    if isinstance(value, Fraction):
        if value < 0 and k % 2 == 0:
            raise NotReal("even root of a negative number")
        sign = -1 if value < 0 else 1
        num, den = _iroot(abs(value.numerator), k), _iroot(value.denominator, k)
        if num is not None and den is not None:
            return sign * Fraction(num, den)
        value = float(value)
    if value < 0 and k % 2 == 0:
        raise NotReal("even root of a negative number")
    return math.copysign(abs(value) ** (1 / k), value)


def _power(base, exponent):
    if isinstance(exponent, Fraction) and isinstance(base, Fraction):
        if exponent.denominator == 1:
            e = exponent.numerator
            if abs(e) > MAX_EXPONENT:
                raise TooLarge("exponent")
            size = max(abs(base.numerator), base.denominator)
            if size > 1 and abs(e) * math.log10(size) > MAX_RESULT_DIGITS:
                raise TooLarge("result")
            if base == 0 and e < 0:
                raise DivisionByZero("0 to a negative power")
            return base**e
        rooted = _root(base, exponent.denominator)
        return _power(rooted, Fraction(exponent.numerator)) if isinstance(rooted, Fraction) else (
            rooted**exponent.numerator
        )
    if float(base) < 0:
        raise NotReal("negative base with a non-integer exponent")
    return float(base) ** float(exponent)


def evaluate_tree(node: tuple):
    """Exact `Fraction` or approximate `float` value of a tree without variables."""
    kind = node[0]
    if kind == "num":
        return node[1]
    if kind == "paren":
        return evaluate_tree(node[1])
    if kind == "neg":
        return -evaluate_tree(node[1])
    if kind == "pct":
        return evaluate_tree(node[1]) / 100
    if kind == "root":
        return _root(evaluate_tree(node[2]), node[1])
    if kind == "fact":
        n = evaluate_tree(node[1])
        if not isinstance(n, Fraction) or n.denominator != 1 or n < 0 or n > MAX_FACTORIAL:
            raise MathError("factorial of a non-natural or too large number")
        return Fraction(math.factorial(int(n)))
    if kind == "var":
        raise ParseError("variable in an arithmetic expression")
    a, b = evaluate_tree(node[1]), evaluate_tree(node[2])
    if kind == "pow":
        return _power(a, b)
    return apply_binary(kind, a, b)


def apply_binary(kind: str, a, b):
    """`a <kind> b` for the operators every evaluator shares (numbers or sympy expressions)."""
    if kind == "add":
        return a + b
    if kind == "sub":
        return a - b
    if kind == "mul":
        return a * b
    if kind == "pctof":
        return a / 100 * b
    if kind in ("div", "quot"):
        if b == 0:
            raise DivisionByZero("division by zero")
        return a / b
    raise ParseError(f"unknown node {kind}")


_PRECEDENCE = {"add": 1, "sub": 1, "mul": 2, "div": 2, "quot": 2, "pctof": 2, "neg": 3, "pow": 4}


def _prec(node: tuple) -> int:
    return _PRECEDENCE.get(node[0], 5)


def show(node: tuple, lang: str) -> str:
    """The tree written back for a learner: "2 + 3 × 4", "3/4 + 1/6", "√2", "15 % de 80"."""
    kind = node[0]
    if kind == "num":
        return format_exact(node[1], lang)
    if kind == "var":
        return node[1]
    if kind == "paren":
        return f"({show(node[1], lang)})"
    if kind == "neg":
        inner = node[1]
        text = show(inner, lang)
        return f"-({text})" if _prec(inner) <= 2 else f"-{text}"
    if kind == "pct":
        return show(node[1], lang) + (" %" if lang == "fr" else "%")
    if kind == "root":
        inner = node[2]
        text = show(inner, lang)
        wrapped = text if inner[0] in ("num", "var", "paren") else f"({text})"
        return ("√" if node[1] == 2 else "∛") + wrapped
    if kind == "fact":
        return show(node[1], lang) + "!"
    left, right = node[1], node[2]
    if kind == "pow":
        base = show(left, lang)
        if _prec(left) <= 4 or (left[0] == "num" and left[1] < 0):
            base = f"({base})"
        if right[0] == "num" and right[1].denominator == 1 and right[1] >= 0:
            return base + str(right[1].numerator).translate(_TO_SUPERSCRIPT)
        exponent = show(right, lang)
        return f"{base}^{exponent if _prec(right) >= 5 else f'({exponent})'}"
    mine = _PRECEDENCE[kind]
    lt, rt = show(left, lang), show(right, lang)
    if _prec(left) < mine:
        lt = f"({lt})"
    if _prec(right) < mine or (_prec(right) == mine and kind in ("sub", "div", "quot")):
        rt = f"({rt})"
    if kind == "mul" and right[0] == "var" and left[0] == "num":
        return f"{lt}{rt}"
    symbol = {"add": "+", "sub": "-", "mul": "×", "div": "/", "quot": "÷"}.get(kind)
    if kind == "pctof":
        symbol = "% de" if lang == "fr" else "% of"
        return f"{lt} {symbol} {rt}" if lang == "fr" else f"{lt}{symbol} {rt}"
    if kind == "div" and left[0] == "num" and right[0] == "num":
        return f"{lt}/{rt}"
    return f"{lt} {symbol} {rt}"


def has_operation(node: tuple) -> bool:
    """Does the tree compute something (not just a bare number)?"""
    if node[0] == "paren":
        return has_operation(node[1])
    return node[0] not in ("num", "var")


def count_nodes(node: tuple, kinds: set[str]) -> int:
    """How many nodes of the given kinds the tree holds."""
    own = 1 if node[0] in kinds else 0
    return own + sum(count_nodes(child, kinds) for child in node[1:] if isinstance(child, tuple))
