"""Fixtures for the evaluation tests: a temporary home, the tiny suite, a CLI runner."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from eval_fakes import TINY_SUITE, write_suite

from precepteur.evals.suites import parse_suite


@pytest.fixture
def home(tmp_path, monkeypatch):
    path = tmp_path / "home"
    monkeypatch.setenv("PRECEPTEUR_HOME", str(path))
    monkeypatch.setenv("PRECEPTEUR_LANGUAGE", "fr")
    return path


@pytest.fixture
def tiny_suite():
    import json

    return parse_suite(json.dumps(TINY_SUITE), "tiny")


@pytest.fixture
def tiny_suite_file(tmp_path):
    return write_suite(tmp_path)


@pytest.fixture
def runner():
    return CliRunner()
