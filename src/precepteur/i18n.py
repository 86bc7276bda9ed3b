"""The one translation catalogue for user-facing text (French first, English second).

Messages live in `locales/<lang>/<concern>.json`; every file of a language is merged
into one catalogue, so each concern (cli, tutor, web, library, evals...) owns its file
while keys stay global. A key missing in English falls back to French, and a key
missing everywhere is returned as is, so a gap is visible rather than fatal.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """All messages of one language, merged from its files."""
    merged: dict[str, str] = {}
    folder = resources.files("precepteur") / "locales" / lang
    if not folder.is_dir():
        return merged
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".json"):
            merged.update(json.loads(entry.read_text(encoding="utf-8")))
    return merged


def normalize_language(lang: str | None) -> str:
    if not lang:
        return DEFAULT_LANGUAGE
    short = lang.strip().lower()[:2]
    return short if short in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str | None = None, **params: object) -> str:
    """Translate `key` into `lang`, formatting `{name}` placeholders with `params`."""
    lang = normalize_language(lang)
    text = catalogue(lang).get(key)
    if text is None:
        text = catalogue(DEFAULT_LANGUAGE).get(key, key)
    return text.format(**params) if params else text
