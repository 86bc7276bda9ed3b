"""Every message key used by the gate, the store and their commands exists in French and English."""

from __future__ import annotations

import re
from pathlib import Path

import precepteur
from precepteur.i18n import catalogue

PACKAGE = Path(precepteur.__file__).parent
SOURCES = [
    *sorted((PACKAGE / "gate").glob("*.py")),
    *sorted((PACKAGE / "store").glob("*.py")),
    PACKAGE / "cli" / "user_cmd.py",
    PACKAGE / "cli" / "token_cmd.py",
]
KEY_RE = re.compile(r'"((?:accounts|store|cli\.user|cli\.token)\.[a-z_.]+)"')


def test_every_used_key_is_translated():
    used = {key for path in SOURCES for key in KEY_RE.findall(path.read_text(encoding="utf-8"))}
    assert len(used) > 20
    for lang in ("fr", "en"):
        assert used - set(catalogue(lang)) == set(), lang
