"""Fixtures of the item tests: a small real course library (Markdown, full-text only) and its skills map."""

from __future__ import annotations

import pytest
from course_docs import COURSE, REVISION

from precepteur.config import Settings
from precepteur.learning.topics import build_topics
from precepteur.library import LibraryService


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(home=tmp_path / "home", model="scripted", threads=1, language="fr")


@pytest.fixture
def library(settings, tmp_path) -> LibraryService:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "cours.md").write_text(COURSE, encoding="utf-8")
    (folder / "fiche.md").write_text(REVISION, encoding="utf-8")
    service = LibraryService(settings)
    report = service.add("nsi", [folder], embed=False)
    assert report.ok and not report.errors
    return service


@pytest.fixture
def topics(library):
    return build_topics(library.passages("nsi"))
