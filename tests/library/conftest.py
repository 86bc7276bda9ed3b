"""Fixtures of the library tests: settings with a temporary home, and a service over them."""

from __future__ import annotations

from pathlib import Path

import pytest

from precepteur.config import Settings
from precepteur.library import LibraryService


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home", threads=2)


@pytest.fixture
def service(settings: Settings) -> LibraryService:
    return LibraryService(settings)
