"""`precepteur items` through click's CliRunner with a temporary PRECEPTEUR_HOME, looking in the real SQLite file."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "learning" / "items"))

from course_docs import COURSE  # noqa: E402  (the small course of the item tests)

KEYS = {"id", "skill", "kind", "prompt", "choices", "key", "status", "source", "checks"}


@pytest.fixture
def course(home, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("PRECEPTEUR_MODEL", "scripted")
    monkeypatch.setenv("PRECEPTEUR_LANGUAGE", "fr")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "cours.md").write_text(COURSE, encoding="utf-8")
    assert cli("library", "add", "nsi", str(docs), "--no-embed").exit_code == 0
    return home


def test_generate_list_review(cli, course):
    result = cli("items", "generate", "nsi", "--count", "2", "--kinds", "true_false")
    assert result.exit_code == 0, result.output + result.stderr
    assert "génération n° 1" in result.stderr and "terminé : 2 exercices retenus" in result.stderr
    listed = cli("items", "list", "nsi", "--json")
    assert listed.exit_code == 0
    items = json.loads(listed.stdout)
    assert len(items) == 2 and all(set(i) == KEYS for i in items)
    assert all(set(i["source"]) == {"document", "locator", "quote"} and i["status"] == "draft" for i in items)
    assert all(i["kind"] == "true_false" and i["key"] == "Vrai" and all(i["checks"].values()) for i in items)
    text = (course.parent / "docs" / "cours.md").read_text(encoding="utf-8")
    assert all(i["source"]["quote"] in text for i in items)
    first, second = (i["id"] for i in items)
    assert cli("items", "approve", str(first)).exit_code == 0
    assert cli("items", "reject", str(second)).stdout.strip() == f"exercice n° {second} rejeté"
    approved = json.loads(cli("items", "list", "nsi", "--status", "approved", "--json").stdout)
    assert [i["id"] for i in approved] == [first]
    missing = cli("items", "approve", "9999")
    assert missing.exit_code == 1 and "exercice inconnu n° 9999" in missing.stderr
    db = sqlite3.connect(course / "precepteur.db")
    assert db.execute("SELECT action FROM item_events WHERE item_id = ? ORDER BY id", (first,)).fetchall() == [
        ("generate",), ("approve",)]
    assert db.execute("SELECT state, accepted FROM item_jobs").fetchall() == [("done", 2)]
    table = cli("items", "list", "nsi")
    assert "Vrai ou faux ?" in table.stdout and "approved" in table.stdout


def test_import_and_skills(cli, course, tmp_path):
    file = tmp_path / "questions.md"
    file.write_text("1. Une pile suit le principe _____.\n   Réponse : LIFO\n2. Sans réponse ?\n", encoding="utf-8")
    result = cli("items", "import", "nsi", str(file))
    assert result.exit_code == 0
    assert "ligne 3 : réponse manquante" in result.stderr and "1 exercice(s) importé(s)" in result.stderr
    skills = json.loads(cli("items", "skills", "nsi", "--json").stdout)
    assert [s["id"] for s in skills] == ["cours.md:1-les-piles", "cours.md:2-les-files", "cours.md:3-le-routage",
                                         "cours.md:4-le-web"]


def test_clear_errors(cli, course):
    unknown = cli("items", "generate", "nope", "--count", "1")
    assert unknown.exit_code == 2 and "bibliothèque inconnue « nope »" in unknown.stderr
    kind = cli("items", "generate", "nsi", "--kinds", "essay")
    assert kind.exit_code == 2 and "type d'exercice inconnu : essay" in kind.stderr
    skill = cli("items", "generate", "nsi", "--skill", "nope", "--count", "1")
    assert skill.exit_code == 2 and "notion inconnue « nope »" in skill.stderr
    assert cli("library", "add", "vide", "--no-embed", str(course)).exit_code in (0, 1)
