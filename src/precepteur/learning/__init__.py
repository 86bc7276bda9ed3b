"""The learner model: levels (CP → Terminale, adulte)."""

from .levels import BY_CODE, DEFAULT_LEVEL, LEVELS, Level, level_codes, parse_level

__all__ = ["BY_CODE", "DEFAULT_LEVEL", "LEVELS", "Level", "level_codes", "parse_level"]
