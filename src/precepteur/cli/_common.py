"""Helpers shared by CLI commands: settings and language."""

from __future__ import annotations

from ..config import Settings


def load_settings() -> Settings:
    settings = Settings()
    settings.ensure_home()
    return settings
