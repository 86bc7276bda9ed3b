"""`precepteur arena`: contestants, `rank --json`, `export`, driven with CliRunner on a real SQLite file."""

from __future__ import annotations

import hashlib
import json
import sqlite3

from precepteur.arena import export
from precepteur.arena.votes import check_vote
from precepteur.config import Settings
from precepteur.gate.accounts import create_user
from precepteur.store import Database
from precepteur.store import arena as store


def test_contestants_are_added_with_their_model_pinned(home, cli, tiny_gguf):
    assert cli("model", "add", "tiny", str(tiny_gguf)).exit_code == 0
    added = cli("arena", "contestant", "add", "tiny-explain", "--model", "tiny", "--temperature", "0.3")
    assert added.exit_code == 0, added.output + added.stderr
    assert "tiny-explain" in added.output
    assert cli("arena", "contestant", "add", "tiny-socratic", "--model", "tiny",
               "--prompt-version", "socratic-1").exit_code == 0
    listed = json.loads(cli("arena", "contestant", "list", "--json").output)
    assert [c["name"] for c in listed] == ["tiny-explain", "tiny-socratic"]
    assert listed[0]["model_sha256"] == hashlib.sha256(tiny_gguf.read_bytes()).hexdigest()
    assert listed[0]["temperature"] == 0.3 and listed[1]["prompt_version"] == "socratic-1"
    with sqlite3.connect(home / "precepteur.db") as db:
        assert db.execute("SELECT count(*) FROM arena_contestants").fetchone() == (2,)


def test_clear_errors(home, cli):
    missing = cli("arena", "contestant", "add", "q", "--model", "qwen2.5-coder-1.5b")
    assert missing.exit_code == 2 and "qwen2.5-coder-1.5b" in missing.stderr
    unknown = cli("arena", "contestant", "add", "x", "--model", "no-such-model")
    assert unknown.exit_code == 2 and "no-such-model" in unknown.stderr
    version = cli("arena", "contestant", "add", "x", "--model", "scripted", "--prompt-version", "v9")
    assert version.exit_code == 2 and "explain-1" in version.stderr
    assert cli("arena", "contestant", "add", "x", "--model", "scripted", "--temperature", "9").exit_code == 2
    assert cli("arena", "contestant", "add", "x", "--model", "scripted").exit_code == 0
    taken = cli("arena", "contestant", "add", "x", "--model", "scripted")
    assert taken.exit_code == 2 and "x" in taken.stderr
    assert cli("arena", "contestant", "list").exit_code == 0


def test_rank_json_and_export(home, cli, tmp_path):
    db = Database(Settings(home=home))
    db.migrate()
    with db.session() as s:
        judge = create_user(s, "tester", "admin")
        a = store.add_contestant(s, "alpha", "scripted", prompt_version="explain-1")
        b = store.add_contestant(s, "beta", "scripted", prompt_version="socratic-1")
        for verdict in ["a", "a", "a", "b"]:
            battle = store.create_battle(s, judge, question="Qu'est-ce qu'une boucle ?", level="Terminale",
                                         lang="fr", library=None, pairing="random", anony=True, a=a, b=b)
            battle.answer_a, battle.answer_b = "Réponse A.", "Réponse B."
            store.record_vote(s, battle, judge, check_vote(verdict, role="tester", consent=True))
        s.commit()
    db.dispose()
    ranked = cli("arena", "rank", "--json")
    assert ranked.exit_code == 0, ranked.stderr
    board = json.loads(ranked.output)
    assert [(r["contestant"], round(r["score"], 2), r["n"]) for r in board] == [("alpha", 1095.42, 4), ("beta", 904.58, 4)]
    assert set(board[0]) == {"contestant", "n", "score", "ci_low", "ci_high", "rank", "rank_low", "rank_high",
                             "preliminary"}
    assert "alpha" in cli("arena", "rank").output
    out = tmp_path / "prefs.jsonl"
    done = cli("arena", "export", "--format", "jsonl", str(out))
    assert done.exit_code == 0, done.stderr
    rows = export.read_jsonl(out)
    assert len(rows) == 4 and all(export.validate(row) is None for row in rows)
    parquet = tmp_path / "prefs.parquet"
    assert cli("arena", "export", "--format", "parquet", str(parquet)).exit_code == 0
    assert [r["chosen"] for r in export.read_parquet(parquet)] == [r["chosen"] for r in rows]
    # A fresh secret each release: the judge's pseudonym changes.
    assert export.read_parquet(parquet)[0]["metadata"]["judge"] != rows[0]["metadata"]["judge"]
    assert cli("arena", "export", "--format", "csv", str(out)).exit_code == 2
