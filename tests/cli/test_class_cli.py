"""`precepteur class create | code | codes | list` and `learner progress NAME [--json]`
through click's CliRunner with a temporary PRECEPTEUR_HOME, looking in the real SQLite file."""

from __future__ import annotations

import json
import sqlite3
import sys
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "learning" / "items"))

from course_docs import COURSE  # noqa: E402
from practice_helpers import CLOZES, _item  # noqa: E402

from click.testing import CliRunner  # noqa: E402

from precepteur.store import Database  # noqa: E402


def rows(home: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(home / "precepteur.db") as connection:
        return connection.execute(sql).fetchall()


def test_class_create_code_list_and_learner_progress(cli, home, tmp_path, monkeypatch, fast_passwords):
    monkeypatch.setenv("PRECEPTEUR_LANGUAGE", "fr")
    from precepteur.cli import main

    made = CliRunner().invoke(main, ["user", "add", "prof", "--role", "teacher", "--password-stdin"], input="mot de passe\n")
    assert made.exit_code == 0, made.output
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "cours.md").write_text(COURSE, encoding="utf-8")
    assert cli("library", "add", "nsi", str(docs), "--no-embed").exit_code == 0

    made = cli("class", "create", "Terminale B", "--teacher", "prof", "--level", "Tle", "--library", "nsi")
    assert made.exit_code == 0, made.output + made.stderr
    assert made.stdout == "Classe n° 1 créée : « Terminale B ».\n"
    assert rows(home, "SELECT id, name, level, points FROM classes") == [(1, "Terminale B", "Terminale", 1)]
    assert rows(home, "SELECT class_id, library FROM class_libraries") == [(1, "nsi")]
    bad = cli("class", "create", "X", "--teacher", "prof", "--library", "inconnue")
    assert bad.exit_code == 2 and "inconnue" in bad.stderr

    coded = cli("class", "code", "Terminale B")
    assert coded.exit_code == 0, coded.stderr
    code = coded.stdout.strip().splitlines()[-1]
    assert len(code) == 8 and rows(home, "SELECT code FROM join_codes") == [(code,)]
    listed = cli("class", "codes", "1")
    assert code in listed.stdout and "valable" in listed.stdout

    from precepteur.store import classes as rooms
    from precepteur.store import practice
    from precepteur.store.items import add_item, approved_items

    db = Database(f"sqlite:///{home / 'precepteur.db'}")
    now = datetime.now(timezone.utc)
    with db.session() as s:
        learner = rooms.join(s, code, "renard", "mot-de-passe-1", now)
        for skill, sentence, key in CLOZES:
            add_item(s, _item(skill, sentence, "cloze", key))
        bank = approved_items(s, "nsi")
        session = practice.start_session(s, learner.id, "nsi", bank, 5, now)
        first = next(i for i in bank if i.id == session.plan[0])
        practice.record_answer(s, session, first, "x", False, now)
    db.dispose()

    classes = json.loads(cli("class", "list", "--json").stdout)
    assert classes == [{"id": 1, "name": "Terminale B", "teacher": "prof", "level": "Terminale", "libraries": ["nsi"],
                        "learners": ["renard"], "points": True}]
    assert "Terminale B" in cli("class", "list").stdout

    progress = cli("learner", "progress", "renard", "--json")
    assert progress.exit_code == 0, progress.stderr
    data = json.loads(progress.stdout)
    [row] = data["skills"]
    assert {"skill", "mastery", "due", "reviews"} <= set(row)
    assert row["skill"] == first.skill and row["reviews"] == 1 and row["due"].endswith("Z")
    assert abs(row["mastery"] - 0.4013) < 1e-4  # sigma(-0.4)
    text = cli("learner", "progress", "renard")
    assert "non évalué (1 réponses)" in text.stdout and ("Les piles" in text.stdout or "Les files" in text.stdout)
    assert cli("learner", "progress", "personne").exit_code == 2
