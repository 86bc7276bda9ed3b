"""Structured output: the small JSON schemas a model is asked to follow, checked in code.

A caller puts a schema in `GenerationOptions.json_schema`; `llamacpp` turns it into
a llama.cpp grammar, `openai_compat` sends it as `response_format`, `scripted`
answers with canned objects (or the smallest object the schema allows). Whatever
the backend promised, the caller still parses and validates the text with
`parse_json(text, schema)`: a server may ignore the schema, a weak model may stop
mid-object at `max_tokens`.

Schemas are kept small so the grammar stays cheap and a 1.5B model stays on
track: `check_schema` refuses the `pattern` keyword (unanchored patterns make
llama.cpp grammars explode), arrays without `maxItems` or with more than
MAX_ITEMS, strings without `maxLength` above MAX_STRING_CHARS, and nesting deeper
than MAX_DEPTH.

Constants: MAX_ITEMS, MAX_STRING_CHARS, MAX_DEPTH, SUPPORTED_KEYWORDS.
"""

from __future__ import annotations

import json
import re

from ..errors import ModelError

MAX_ITEMS = 12
MAX_STRING_CHARS = 2000
MAX_DEPTH = 4
SUPPORTED_KEYWORDS = frozenset({
    "type", "properties", "required", "additionalProperties", "items", "minItems", "maxItems",
    "enum", "const", "minLength", "maxLength", "minimum", "maximum", "description", "title",
})
_TYPES = {
    "object": dict, "array": list, "string": str, "boolean": bool,
    "integer": int, "number": (int, float), "null": type(None),
}


class SchemaError(ValueError):
    """A schema we refuse to hand to a model (too big, or a keyword we do not support)."""


def check_schema(schema: dict, depth: int = 0) -> dict:
    """`schema` itself when it is small and uses only SUPPORTED_KEYWORDS; else SchemaError."""
    if not isinstance(schema, dict):
        raise SchemaError("a schema is an object")
    if depth > MAX_DEPTH:
        raise SchemaError(f"nesting deeper than {MAX_DEPTH}")
    unknown = set(schema) - SUPPORTED_KEYWORDS
    if unknown:
        raise SchemaError("unsupported keywords: " + ", ".join(sorted(unknown)))
    kind = schema.get("type")
    if kind == "array":
        if int(schema.get("maxItems", MAX_ITEMS + 1)) > MAX_ITEMS:
            raise SchemaError(f"arrays need maxItems <= {MAX_ITEMS}")
        check_schema(schema.get("items", {"type": "string", "maxLength": 200}), depth + 1)
    elif kind == "string" and "enum" not in schema and "const" not in schema:
        if int(schema.get("maxLength", MAX_STRING_CHARS + 1)) > MAX_STRING_CHARS:
            raise SchemaError(f"strings need maxLength <= {MAX_STRING_CHARS}")
    elif kind == "object":
        for sub in (schema.get("properties") or {}).values():
            check_schema(sub, depth + 1)
    return schema


def validate(value: object, schema: dict, path: str = "$") -> list[str]:
    """Every way `value` breaks `schema` (empty when it conforms), as readable paths."""
    problems: list[str] = []
    kind = schema.get("type")
    if kind is not None:
        expected = _TYPES.get(kind)
        bad_bool = kind in ("integer", "number") and isinstance(value, bool)
        if expected is None or not isinstance(value, expected) or bad_bool:
            return [f"{path}: expected {kind}"]
    if "const" in schema and value != schema["const"]:
        problems.append(f"{path}: expected {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{path}: not one of {schema['enum']}")
    if isinstance(value, str):
        if len(value) < int(schema.get("minLength", 0)):
            problems.append(f"{path}: shorter than {schema['minLength']}")
        if "maxLength" in schema and len(value) > int(schema["maxLength"]):
            problems.append(f"{path}: longer than {schema['maxLength']}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            problems.append(f"{path}: below {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            problems.append(f"{path}: above {schema['maximum']}")
    if isinstance(value, list):
        if len(value) < int(schema.get("minItems", 0)):
            problems.append(f"{path}: fewer than {schema['minItems']} items")
        if "maxItems" in schema and len(value) > int(schema["maxItems"]):
            problems.append(f"{path}: more than {schema['maxItems']} items")
        for i, item in enumerate(value):
            problems += validate(item, schema.get("items", {}), f"{path}[{i}]")
    if isinstance(value, dict):
        properties = schema.get("properties") or {}
        for name in schema.get("required", []):
            if name not in value:
                problems.append(f"{path}.{name}: missing")
        if schema.get("additionalProperties") is False:
            problems += [f"{path}.{name}: not allowed" for name in value if name not in properties]
        for name, sub in properties.items():
            if name in value:
                problems += validate(value[name], sub, f"{path}.{name}")
    return problems


_FENCE = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$", re.IGNORECASE)


def parse_json(text: str, schema: dict | None = None) -> dict | list:
    """The JSON value in a model's answer, checked against `schema`; ModelError otherwise.

    Tolerates what small models add around JSON when a server ignored the grammar:
    a Markdown fence, or prose before the first `{`.
    """
    raw = _FENCE.sub("", text or "").strip()
    try:
        value = json.loads(raw)
    except ValueError:
        start = raw.find("{")
        try:
            value, _ = json.JSONDecoder().raw_decode(raw[start:]) if start >= 0 else (None, 0)
        except ValueError:
            value = None
        if value is None:
            raise ModelError("model.bad_json", detail=_short(raw)) from None
    if schema is not None:
        problems = validate(value, schema)
        if problems:
            raise ModelError("model.json_schema_mismatch", detail="; ".join(problems[:3]))
    return value


def example(schema: dict) -> object:
    """The smallest value that conforms to `schema` (what the scripted model answers by default)."""
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties") or {}
        return {name: example(properties.get(name, {})) for name in schema.get("required", [])}
    if kind == "array":
        return [example(schema.get("items", {})) for _ in range(int(schema.get("minItems", 0)))]
    if kind == "string":
        return "x" * int(schema.get("minLength", 0))
    if kind in ("integer", "number"):
        return schema.get("minimum", 0)
    if kind == "boolean":
        return False
    return None


def longest(schema: dict) -> int:
    """The length in characters of the longest JSON text `schema` allows, written plainly (no
    escapes; the grammar's optional spaces counted). A token is at least one character, so a
    `max_tokens` of this size lets a grammar-held model always close the object, even one that
    rambles to every maxLength."""
    if "const" in schema:
        return len(json.dumps(schema["const"], ensure_ascii=False))
    if "enum" in schema:
        return max(len(json.dumps(value, ensure_ascii=False)) for value in schema["enum"])
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties") or {}
        fields = sum(len(name) + 6 + longest(sub) for name, sub in properties.items())  # "name": value, + spaces
        return 4 + fields
    if kind == "array":
        count = int(schema.get("maxItems", MAX_ITEMS))
        return 4 + count * (longest(schema.get("items", {"type": "string", "maxLength": 200})) + 2)
    if kind == "string":
        return 2 + int(schema.get("maxLength", MAX_STRING_CHARS))
    if kind in ("integer", "number"):
        return 24
    if kind == "boolean":
        return 5
    return 4


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line[:120]
