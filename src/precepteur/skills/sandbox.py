"""A restricted Python for the small programs a model writes to solve a word problem.

Why Python rather than a declarative form (unknowns + equations for sympy): coder models
write short Python far more reliably than they fill a solver's schema, and puzzles
(orderings, family relations, who-is-who) are a loop over `itertools.permutations`
with a few `if`s. Safety comes from two independent walls:

1. `check(source)`: an AST allow-list. Arithmetic, comparisons, `if`, `for`/`while`,
   small functions, lists/tuples/sets/dicts and comprehensions, calls to a fixed set of
   builtins and to `math`, `fractions.Fraction`, `itertools`; attribute access only to
   listed names, never to one starting with "_"; no import, class, `with`, `try`,
   `global`, `lambda` defaults games, `yield`, `await`, walrus, no names starting with
   "_", no `eval`/`exec`/`open`/`getattr`/`type`/`print`. Every loop and function body
   gets a step counter.
2. `run(source)`: a fresh `python -I -S` subprocess with empty environment, CPU, memory,
   file-size and open-file limits (`resource`), a wall-clock timeout, builtins reduced to
   the allow-list, and a recursion limit. It returns the value the program put in
   `answer` (or `reponse`): a number, a boolean, or a short string; anything else is an error.

Constants: CPU_SECONDS, WALL_SECONDS, MEMORY_BYTES, MAX_STEPS, MAX_SOURCE_CHARS,
MAX_RESULT_CHARS, ALLOWED_CALLS, ALLOWED_ATTRIBUTES, RESULT_NAMES.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from dataclasses import dataclass

CPU_SECONDS = 2
WALL_SECONDS = 5.0
MEMORY_BYTES = 256 * 1024 * 1024
MAX_STEPS = 2_000_000
MAX_SOURCE_CHARS = 4000
MAX_RESULT_CHARS = 80
MAX_CONSTANT = 10 ** 30
MAX_POWER_EXPONENT = 10_000  # a constant exponent beyond this is refused before running
RESULT_NAMES = ("answer", "reponse", "réponse")
STEP = "_step"

ALLOWED_CALLS = frozenset({
    "abs", "all", "any", "bool", "divmod", "enumerate", "filter", "float", "int", "len", "list", "map",
    "max", "min", "pow", "range", "reversed", "round", "set", "sorted", "str", "sum", "tuple", "zip",
    "dict", "Fraction", "isinstance", "print",
})
ALLOWED_MODULES = {"math", "itertools", "fractions"}
ALLOWED_ATTRIBUTES = frozenset({
    # math
    "sqrt", "floor", "ceil", "gcd", "lcm", "factorial", "comb", "perm", "pi", "e", "isqrt", "log", "log10",
    "log2", "exp", "sin", "cos", "tan", "fabs", "prod", "fsum", "trunc", "inf", "isclose", "hypot", "radians",
    "degrees", "asin", "acos", "atan",
    # itertools, fractions
    "permutations", "combinations", "product", "combinations_with_replacement", "Fraction",
    # values' methods
    "append", "extend", "insert", "pop", "remove", "count", "index", "sort", "reverse", "keys", "values",
    "items", "get", "add", "discard", "union", "intersection", "difference", "issubset", "lower", "upper",
    "strip", "split", "join", "replace", "startswith", "endswith", "numerator", "denominator",
    "limit_denominator", "is_integer", "real", "imag",
})
_NODES = (
    ast.Module, ast.Expr, ast.Assign, ast.AugAssign, ast.Name, ast.Load, ast.Store, ast.Del, ast.Constant,
    ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.IfExp, ast.If, ast.For, ast.While, ast.Break,
    ast.Continue, ast.Pass, ast.List, ast.Tuple, ast.Set, ast.Dict, ast.ListComp, ast.SetComp, ast.DictComp,
    ast.GeneratorExp, ast.comprehension, ast.Subscript, ast.Slice, ast.Call, ast.keyword, ast.Attribute,
    ast.FunctionDef, ast.arguments, ast.arg, ast.Return, ast.Assert, ast.Lambda, ast.Starred,
    ast.operator, ast.unaryop, ast.boolop, ast.cmpop, ast.expr_context, ast.JoinedStr, ast.FormattedValue,
)


class ProgramRefused(ValueError):
    """The program uses something outside the allow-list (the reason says what)."""


@dataclass(frozen=True)
class ProgramResult:
    """What a run gave: `value` (a number, boolean or short string), or `error` and why."""

    value: object = None
    error: str | None = None  # "refused" | "timeout" | "memory" | "error" | "no_result" | "steps"
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None


def _refuse(node: ast.AST, what: str) -> None:
    raise ProgramRefused(f"line {getattr(node, 'lineno', '?')}: {what}")


def check(source: str) -> ast.Module:
    """The program's AST with step counters added, or ProgramRefused."""
    if len(source) > MAX_SOURCE_CHARS:
        raise ProgramRefused("program too long")
    try:
        tree = ast.parse(source, mode="exec")
    except (SyntaxError, ValueError) as exc:
        raise ProgramRefused(f"does not parse: {exc}") from exc
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            _check_import(node)
            continue
        if isinstance(node, ast.alias):
            continue
        if not isinstance(node, _NODES):
            _refuse(node, f"{type(node).__name__} is not allowed")
        if isinstance(node, ast.Name) and (_private(node.id) or node.id in _FORBIDDEN_NAMES):
            _refuse(node, f"name {node.id!r} is not allowed")
        if isinstance(node, (ast.FunctionDef, ast.arg)):
            name = node.name if isinstance(node, ast.FunctionDef) else node.arg
            if _private(name) or (isinstance(node, ast.FunctionDef) and node.decorator_list):
                _refuse(node, f"function {name!r} is not allowed")
        if isinstance(node, ast.Attribute) and (node.attr.startswith("_") or node.attr not in ALLOWED_ATTRIBUTES):
            _refuse(node, f"attribute {node.attr!r} is not allowed")
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id not in ALLOWED_CALLS and func.id not in _defined(tree):
                _refuse(node, f"call to {func.id!r} is not allowed")
        if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)) and len(node.value) > 200:
            _refuse(node, "string constant too long")
        if isinstance(node, ast.Constant) and isinstance(node.value, int) and abs(node.value) > MAX_CONSTANT:
            _refuse(node, "number constant too large")
        if isinstance(node, ast.Constant) and isinstance(node.value, bytes):
            _refuse(node, "bytes are not allowed")
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow) and isinstance(node.right, ast.Constant) \
                and isinstance(node.right.value, (int, float)) and abs(node.right.value) > MAX_POWER_EXPONENT:
            _refuse(node, "exponent too large")
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            _refuse(node, "format specifications are not allowed")
    _drop_imports(tree)
    _add_steps(tree)
    return tree


def _private(name: str) -> bool:
    """Names starting with "_" are ours (the step counter) or dunders; a lone "_" is a throwaway."""
    return name.startswith("_") and name != "_"


def _check_import(node: ast.Import | ast.ImportFrom) -> None:
    """Coder models write `import math` or `from fractions import Fraction` out of habit: those
    modules are already there, so such imports are allowed (and removed); any other is refused."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name not in ALLOWED_MODULES or (alias.asname and alias.asname != alias.name):
                _refuse(node, f"import of {alias.name!r} is not allowed")
        return
    if node.module not in ALLOWED_MODULES or node.level:
        _refuse(node, f"import from {node.module!r} is not allowed")
    for alias in node.names:
        if alias.name not in ALLOWED_ATTRIBUTES or (alias.asname and alias.asname != alias.name):
            _refuse(node, f"import of {alias.name!r} is not allowed")


def _drop_imports(tree: ast.Module) -> None:
    """Replace the allowed imports: `import m` by nothing, `from m import n` by `n = m.n`."""
    body = []
    for statement in tree.body:
        if isinstance(statement, ast.Import):
            continue
        if isinstance(statement, ast.ImportFrom):
            body.extend(ast.Assign([ast.Name(a.name, ast.Store())],
                                   ast.Attribute(ast.Name(statement.module, ast.Load()), a.name, ast.Load()))
                        for a in statement.names)
            continue
        body.append(statement)
    tree.body = body
    for node in ast.walk(tree):  # an import left inside a block (a function, a loop) is refused
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            _refuse(node, "imports only at the top of the program")


_FORBIDDEN_NAMES = frozenset({
    "eval", "exec", "compile", "open", "getattr", "setattr", "delattr", "globals", "locals", "vars", "type",
    "object", "input", "help", "dir", "id", "breakpoint", "memoryview", "bytearray", "bytes",
    "super", "classmethod", "staticmethod", "property", "exit", "quit", "hasattr", "iter", "next", "format",
    "chr", "ord", "hash", "callable", "issubclass", "frozenset", "slice", "ascii", "repr", "os", "sys",
    "subprocess", "builtins", "importlib", "socket", "resource", "signal",
})


def _defined(tree: ast.Module) -> set[str]:
    return {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)} | \
           {t.id for n in ast.walk(tree) if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}


def _add_steps(tree: ast.Module) -> None:
    """Put `_step()` first in every loop and function body (the runner counts them)."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.For, ast.While, ast.FunctionDef)):
            call = ast.Expr(ast.Call(ast.Name(STEP, ast.Load()), [], []))
            node.body.insert(0, call)
    ast.fix_missing_locations(tree)


_RUNNER = r'''
import sys, json, math, itertools, fractions, resource
cpu, memory, steps_max = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
try:
    resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))
except (ValueError, OSError):
    pass
source = sys.stdin.read()
code = compile(source, "<programme>", "exec")
sys.setrecursionlimit(120)
count = [0]
class Steps(Exception):
    pass
def _step():
    count[0] += 1
    if count[0] > steps_max:
        raise Steps()
import builtins as _b
allowed = set(json.loads(sys.argv[4]))
safe = {name: getattr(_b, name) for name in allowed if hasattr(_b, name)}
safe["Fraction"] = fractions.Fraction
safe["print"] = lambda *args, **kwargs: None
namespace = {"__builtins__": safe, "_step": _step, "math": math, "itertools": itertools, "fractions": fractions}
del _b
out = sys.stdout
sys.stdin = sys.stdout = sys.stderr = None
def say(obj):
    out.write(json.dumps(obj))
    out.flush()
try:
    exec(code, namespace)
except Steps:
    say({"error": "steps"}); raise SystemExit(0)
except MemoryError:
    say({"error": "memory"}); raise SystemExit(0)
except RecursionError:
    say({"error": "error", "detail": "RecursionError"}); raise SystemExit(0)
except BaseException as exc:
    say({"error": "error", "detail": type(exc).__name__}); raise SystemExit(0)
names = [n for n in ("answer", "reponse", "réponse") if n in namespace]
if not names:
    say({"error": "no_result"}); raise SystemExit(0)
value = namespace[names[0]]
if isinstance(value, fractions.Fraction):
    value = int(value) if value.denominator == 1 else {"fraction": [value.numerator, value.denominator]}
elif isinstance(value, bool) or isinstance(value, int):
    value = value if abs(value) < 10**30 else None
elif isinstance(value, float):
    value = value if math.isfinite(value) else None
elif isinstance(value, str):
    value = value if len(value) <= %d else None
else:
    value = None
say({"value": value} if value is not None else {"error": "no_result"})
''' % MAX_RESULT_CHARS


def run(source: str) -> ProgramResult:
    """Check then run `source` in a limited subprocess; never raises for a bad program."""
    try:
        tree = check(source)
    except ProgramRefused as exc:
        return ProgramResult(error="refused", detail=str(exc))
    program = ast.unparse(tree)
    command = [sys.executable, "-I", "-S", "-c", _RUNNER, str(CPU_SECONDS), str(MEMORY_BYTES), str(MAX_STEPS),
               json.dumps(sorted(ALLOWED_CALLS - {"Fraction"}))]
    try:
        done = subprocess.run(command, input=program, capture_output=True, text=True, timeout=WALL_SECONDS,
                              env={}, cwd="/", close_fds=True)
    except subprocess.TimeoutExpired:
        return ProgramResult(error="timeout")
    if done.returncode < 0 or not done.stdout.strip():
        # killed by a signal: SIGXCPU/SIGKILL for CPU, SIGSEGV/abort when memory ran out
        return ProgramResult(error="timeout" if done.returncode in (-24, -9) else "memory",
                             detail=f"exit {done.returncode}")
    try:
        payload = json.loads(done.stdout)
    except ValueError:
        return ProgramResult(error="error", detail="unreadable result")
    if "error" in payload:
        return ProgramResult(error=payload["error"], detail=payload.get("detail", ""))
    value = payload["value"]
    if isinstance(value, dict):
        from fractions import Fraction

        value = Fraction(*value["fraction"])
    return ProgramResult(value=value)
