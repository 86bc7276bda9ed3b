"""`precepteur library` through click's CliRunner with a temporary PRECEPTEUR_HOME."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from precepteur.cli import main


@pytest.fixture
def runner(tmp_path, monkeypatch):
    monkeypatch.setenv("PRECEPTEUR_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PRECEPTEUR_LANGUAGE", "fr")
    return CliRunner()


@pytest.fixture
def folder(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "c5c.md").write_text("## Les piles\n\nUne pile : dernier entré, premier sorti (LIFO).\n", encoding="utf-8")
    (docs / "c9c.md").write_text("## Les graphes\n\nUn graphe a des sommets reliés par des arêtes.\n",
                                 encoding="utf-8")
    (docs / "vide.txt").write_text("", encoding="utf-8")
    return docs


def test_add_search_json_list_remove(runner, folder, tmp_path):
    result = runner.invoke(main, ["library", "add", "nsi", str(folder), "--no-embed"])
    assert result.exit_code == 0, result.output
    assert "vide.txt : le fichier est vide" in result.output
    db = tmp_path / "home" / "libraries" / "nsi.sqlite3"
    assert sqlite3.connect(db).execute("SELECT COUNT(*) FROM documents").fetchone() == (2,)

    result = runner.invoke(main, ["library", "search", "nsi", "c koi un graphe", "-k", "1", "--json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert len(hits) == 1 and set(hits[0]) == {"document", "locator", "text", "score"}
    assert hits[0]["document"] == "c9c.md" and hits[0]["locator"] == "c9c.md › Les graphes"

    listing = runner.invoke(main, ["library", "list"])
    assert "nsi : 2 document(s), 2 passages (0 vectorisés)" in listing.stdout
    listing = runner.invoke(main, ["library", "list", "--json"])
    assert json.loads(listing.stdout) == [{"name": "nsi", "documents": 2, "passages": 2, "embedded": 0}]
    assert runner.invoke(main, ["library", "remove", "nsi", "c5c.md"]).exit_code == 0
    assert runner.invoke(main, ["library", "remove", "nsi"]).exit_code == 0
    assert not db.exists()


def test_add_fails_when_nothing_added_or_path_missing(runner, folder, tmp_path):
    result = runner.invoke(main, ["library", "add", "nsi", str(folder / "vide.txt"), "--no-embed"])
    assert result.exit_code == 1 and "aucun fichier n'a pu être ajouté" in result.output
    result = runner.invoke(main, ["library", "add", "nsi", str(tmp_path / "absent")])
    assert result.exit_code == 2 and "precepteur: chemin introuvable" in result.output


def test_unknown_library_is_one_line(runner):
    result = runner.invoke(main, ["library", "search", "inconnue", "pile"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "precepteur: bibliothèque inconnue « inconnue » : voyez « precepteur library list »"]


def test_office_files_from_every_writer_are_added(runner, tmp_path):
    """The office corpus (pandoc, LibreOffice) goes into a library without a single error."""
    from pathlib import Path

    corpus = Path(__file__).parent / "office"
    files = sorted(str(p) for p in corpus.iterdir() if p.suffix in (".odt", ".docx"))
    result = runner.invoke(main, ["library", "add", "bureau", *files, "--no-embed"])
    assert result.exit_code == 0 and "illisible" not in result.output and "aucun texte" not in result.output
    listing = json.loads(runner.invoke(main, ["library", "list", "--json"]).stdout)
    assert listing[0]["name"] == "bureau" and listing[0]["documents"] == len(files) == 6
