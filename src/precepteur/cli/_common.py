"""Helpers shared by CLI commands: settings and plain-text tables."""

from __future__ import annotations

from ..config import Settings


def load_settings() -> Settings:
    settings = Settings()
    settings.ensure_home()
    return settings


def table(rows: list[list[str]]) -> str:
    """Left-aligned columns separated by two spaces (the first row is the header)."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows)
