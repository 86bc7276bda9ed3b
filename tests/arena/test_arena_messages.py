"""Every arena message key exists in French and English, including the keys pages build
from the reasons, verdicts, roles and filter names."""

from __future__ import annotations

import re
from pathlib import Path

import precepteur
from precepteur.arena.export import DROP_RULES
from precepteur.arena.ranking import FILTERS, VERDICTS
from precepteur.arena.votes import JUDGE_ROLES, REASONS
from precepteur.i18n import catalogue

PACKAGE = Path(precepteur.__file__).parent
SOURCES = [
    *sorted((PACKAGE / "arena").glob("*.py")),
    PACKAGE / "store" / "arena.py",
    PACKAGE / "web" / "arena.py",
    *sorted((PACKAGE / "web" / "routes").glob("arena*.py")),
    *sorted((PACKAGE / "web" / "templates").glob("arena*.html")),
    PACKAGE / "web" / "templates" / "_feedback.html",
    PACKAGE / "cli" / "arena_cmd.py",
]
KEY_RE = re.compile(r"""["']((?:arena|web\.nav)\.[a-z_.]+)["']""")


def test_every_arena_key_is_translated():
    found = {key for path in SOURCES for key in KEY_RE.findall(path.read_text(encoding="utf-8"))}
    used = {key for key in found if not key.endswith((".html", "_", "."))}  # template names, keys built with ~
    used |= {f"arena.page.{kind}_{side}" for kind in ("answer", "reasons") for side in "ab"}
    used |= {f"arena.reason.{r}" for r in REASONS} | {f"arena.verdict.{v}" for v in VERDICTS}
    used |= {f"arena.role.{r}" for r in JUDGE_ROLES}
    used |= {f"arena.report.{k}" for k in ("votes", *FILTERS, "counted")}
    used |= {f"arena.review.do.{a}" for a in ("confirm", "overturn", "exclude", "reference")}
    assert len(used) > 60
    for lang in ("fr", "en"):
        assert used - set(catalogue(lang)) == set(), lang
    assert set(DROP_RULES) >= {"minor", "cohort", "personal_data"}


def test_french_and_english_files_hold_the_same_keys():
    import json

    fr = json.loads((PACKAGE / "locales" / "fr" / "arena.json").read_text(encoding="utf-8"))
    en = json.loads((PACKAGE / "locales" / "en" / "arena.json").read_text(encoding="utf-8"))
    assert set(fr) == set(en)
