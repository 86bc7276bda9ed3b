"""The preference export of a seeded database (SQLite and PostgreSQL): every row validates,
no excluded vote appears, the count is exact, JSONL and Parquet hold the same rows."""

from __future__ import annotations

import re

import pytest

from precepteur.arena import export, release
from precepteur.arena.votes import check_vote
from precepteur.gate.accounts import create_user
from precepteur.store import arena as store

SECRET = b"release-secret-for-the-test-0001"
PASSAGES = "[1] cours/boucles.md — Boucles\nUne boucle for répète un bloc pour chaque élément."


def _seed(s) -> dict:
    prof = create_user(s, "prof.dupont", "teacher")
    admin = create_user(s, "admin", "admin")
    adult = create_user(s, "camille.martin", "learner", level="adulte")
    minor = create_user(s, "enzo.petit", "learner", level="4e")
    pupil = create_user(s, "lea.roux", "learner", level="adulte", teacher=prof)  # in a class: a cohort
    alpha = store.add_contestant(s, "alpha", "qwen2.5-coder-1.5b", prompt_version="explain-1",
                                 output_licence="Apache-2.0")
    beta = store.add_contestant(s, "beta", "smollm2-135m", prompt_version="socratic-1", output_licence="Apache-2.0")
    closed = store.add_contestant(s, "closed", "openai:closed", prompt_version="explain-1",
                                  output_licence="no-training", allows_training=False)

    def battle(judge, verdict, *, role, consent=True, a=alpha, b=beta, anony=True, answer_a="Une boucle répète.",
               question="Qu'est-ce qu'une boucle ?", library="nsi", comment=""):
        row = store.create_battle(s, judge, question=question, level="Terminale", lang="fr", library=library,
                                  pairing="random", anony=anony, a=a, b=b)
        row.answer_a, row.answer_b = answer_a, "Réfléchis : que fait for ?"
        row.passages = PASSAGES if library else ""
        store.record_vote(s, row, judge, check_vote(verdict, ["correct"], ["wrong_level"], comment, role=role,
                                                    consent=consent))
        return row

    kept = [
        battle(admin, "a", role="tester"),
        battle(prof, "b", role="teacher"),
        battle(admin, "a", role="tester", library=None),
        battle(prof, "a", role="teacher", anony=False),  # a teacher chose the pair: kept, marked not blind
    ]
    battle(adult, "a", role="learner", library=None)  # a learner in no class that opted in to training
    battle(minor, "a", role="learner")  # a minor
    battle(pupil, "a", role="learner")  # a school cohort
    battle(admin, "a", role="tester", consent=False)
    battle(admin, "tie", role="tester")
    battle(admin, "both_bad", role="tester")
    battle(admin, "a", role="tester", answer_a="Écris à prof@lycee-exemple.fr pour la correction.")
    battle(admin, "b", role="tester", comment="Camille Martin a raison")  # a name from the accounts table
    excluded = battle(prof, "a", role="teacher")
    store.review_battle(s, excluded, prof, "exclude")
    battle(admin, "a", role="tester", b=closed)  # the other answer's licence forbids training
    s.commit()
    return {"kept": [b.public_id for b in kept], "judges": {admin.id, prof.id}}


def test_seeded_release(db, tmp_path):
    with db.session() as s:
        seeded = _seed(s)
        jsonl, parquet = tmp_path / "prefs.jsonl", tmp_path / "prefs.parquet"
        report = release.export(s, jsonl, "jsonl", SECRET)
        assert release.export(s, parquet, "parquet", SECRET) == report
    assert report == {"votes": 14, "not_a_or_b": 2, "no_consent": 1, "no_judge": 0, "minor": 1, "cohort": 1,
                      "class_opt_out": 1, "excluded": 1, "licence": 1, "personal_data": 2, "rows": 4}
    rows = export.read_jsonl(jsonl)
    assert len(rows) == 4
    for row in rows:
        export.validate(row)
    assert export.read_parquet(parquet) == rows

    battles = {row["metadata"]["battle"] for row in rows}
    assert battles == {export.pseudonym(SECRET, "battle", public_id) for public_id in seeded["kept"]}
    judges = {row["metadata"]["judge"] for row in rows}
    assert judges == {export.pseudonym(SECRET, "judge", judge) for judge in seeded["judges"]}
    text = jsonl.read_text(encoding="utf-8")
    for forbidden in ("prof@", "Camille Martin", "enzo", "lea.roux", "closed"):
        assert forbidden not in text
    first = rows[0]
    assert first["prompt"][0]["role"] == "system" and "Terminale" in first["prompt"][0]["content"]
    assert "Une boucle for répète un bloc" in first["prompt"][1]["content"]  # the passages the tutors read
    assert first["chosen"][0]["content"] == "Une boucle répète."
    assert first["metadata"]["chosen_contestant"] == "alpha" and first["metadata"]["dataset_licence"] == "Etalab-2.0"
    assert [row["metadata"]["blind"] for row in rows] == [True, True, True, False]
    assert rows[1]["chosen"][0]["content"] == "Réfléchis : que fait for ?"  # verdict b
    assert rows[2]["prompt"][1]["content"] == "Qu'est-ce qu'une boucle ?"  # no library, no passages


def test_release_secrets_do_not_link_releases(db, tmp_path):
    with db.session() as s:
        _seed(s)
        one = {r["metadata"]["judge"] for r in export.preference_rows(release.candidates(s), SECRET)[0]}
        two = {r["metadata"]["judge"] for r in export.preference_rows(release.candidates(s), b"x" * 32)[0]}
    assert one and not one & two
    assert all(re.fullmatch(r"[0-9a-f]{32}", judge) for judge in one)
    with pytest.raises(ValueError):
        export.preference_rows([], b"short")


def test_the_system_prompt_never_carries_the_canary(db, tmp_path):
    with db.session() as s:
        _seed(s)
        rows, _ = export.preference_rows(release.candidates(s), SECRET)
    from precepteur.i18n import t

    marker = t("tutor.canary", "fr", canary="§").split("§")[0].strip()
    assert marker and all(marker not in row["prompt"][0]["content"] for row in rows)
