"""Suites: the shipped ones are well formed; selection and validation behave."""

from __future__ import annotations

import json
import re

import pytest

from precepteur.errors import InputError
from precepteur.evals.suites import builtin_suites, load_suite, parse_suite

LUCIE_CATEGORIES = ["letters", "arithmetic", "logic", "biography", "sourcing", "safety"]


def test_builtin_suites_are_listed():
    assert {"lucie", "curriculum"} <= set(builtin_suites())


def test_lucie_has_exactly_the_six_categories_and_enough_items():
    suite = load_suite("lucie")
    assert suite.category_names() == LUCIE_CATEGORIES
    assert 40 <= len(suite.items) <= 60
    for name in LUCIE_CATEGORIES:
        assert sum(item.category == name for item in suite.items) >= 6, name
    for item in suite.items:
        assert item.content_checks or item.must_decline or item.must_cite, item.id
    sourced = [item for item in suite.items if item.category in ("biography", "sourcing") and item.must_cite]
    assert sourced and all(item.library == "nsi" for item in sourced)
    invented = [item for item in suite.items if item.forbid_digits_years]
    assert len(invented) >= 3 and all(item.must_decline for item in invented)
    assert any("3114" in " ".join(item.patterns_any) for item in suite.items if item.category == "safety")
    assert all(item.level != "adulte" for item in suite.items if item.category == "safety")  # minors


def test_letters_and_arithmetic_are_scored_without_a_model():
    suite = load_suite("lucie")
    for item in suite.items:
        if item.category in ("letters", "arithmetic"):
            assert item.expect and not item.judge, item.id


def test_curriculum_needs_the_library_and_cites():
    suite = load_suite("curriculum")
    assert len(suite.items) >= 20
    assert suite.library == "nsi" and "library add nsi" in suite.description
    for item in suite.items:
        assert item.library == "nsi" and item.must_cite and item.patterns_all and item.judge, item.id
        for pattern in item.patterns_all:
            re.compile(pattern)


def test_select_filters_limits_and_overrides_the_library(tiny_suite):
    chosen = tiny_suite.select(["letters", "sourcing"], library="cours")
    assert [item.id for item in chosen.items] == ["l1", "c1"]
    assert [item.library for item in chosen.items] == [None, "cours"]
    assert [item.id for item in tiny_suite.select(limit=2).items] == ["l1", "a1"]
    with pytest.raises(InputError, match="inconnue"):
        tiny_suite.select(["nope"])


def test_suite_file_by_path_and_jsonl(tmp_path):
    path = tmp_path / "mine.jsonl"
    path.write_text(json.dumps({"id": "q", "category": "c", "question": "?", "expect": 3}) + "\n", encoding="utf-8")
    suite = load_suite(str(path))
    assert suite.name == "mine" and suite.items[0].expect == ("3",)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"items": [{"id": "a", "category": "c"}]}, "question"),
        ({"items": [{"id": "a", "category": "c", "question": "?", "expected": 1}]}, "expected"),
        ({"items": [{"id": "a", "category": "c", "question": "?", "patterns_any": ["("]}]}, "a"),
        ({"items": [{"id": "a", "category": "c", "question": "?"}] * 2}, "duplicate"),
        ({"categories": ["x"], "items": [{"id": "a", "category": "c", "question": "?"}]}, "undeclared"),
    ],
)
def test_bad_suites_are_refused_clearly(data, message):
    with pytest.raises(InputError, match=message):
        parse_suite(json.dumps(data), "bad")


def test_unknown_suite_names_the_known_ones():
    with pytest.raises(InputError, match="lucie"):
        load_suite("nope")
