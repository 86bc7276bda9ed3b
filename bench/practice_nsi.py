"""The issue's "done means" over HTTP on the NSI corpus: a learner of a class gets a 5-item
session whose every quote is verbatim in its document; the key grades right, nonsense grades
wrong; progress lists the skills with mastery and due dates, and items answered wrong are due
sooner than items answered right.

Steps (a fresh PRECEPTEUR_HOME in a temporary folder): `library add` the corpus (no
embeddings), `items generate --kinds cloze,true_false` (the deterministic generators; the
scripted model answers the checks that ask one), `items approve` them, a teacher account,
`class create` and `class code`; then `precepteur serve` and, over HTTP, `POST /api/join`,
a bearer token from `precepteur token create`, `POST /api/sessions`, the key, answers,
`GET /api/me/progress`. Practice itself calls the model only for short answers that
code cannot match (the rubric judge); these cloze and true/false items never do.

`--model NAME` serves with that model instead of the scripted one (items are still made
by the deterministic generators), its files taken from `--models-home` (default: the
PRECEPTEUR_HOME of the caller), linked into the temporary home.

    python bench/practice_nsi.py [--corpus ../shared/corpus/nsi_terminale] [--count 60]
                                 [--model qwen2.5-coder-1.5b --models-home /work/home]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _serve import start_server, stop_server  # noqa: E402

PORT = 8767


def cli(home: Path, *args: str, stdin: str | None = None) -> str:
    env = {**os.environ, "PRECEPTEUR_HOME": str(home), "PRECEPTEUR_MODEL": "scripted", "PRECEPTEUR_LANGUAGE": "fr"}
    done = subprocess.run([sys.executable, "-m", "precepteur", *args], env=env, input=stdin, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"precepteur {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(Path(__file__).resolve().parents[2] / "shared/corpus/nsi_terminale"))
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--model", default=None, help="the model `precepteur serve` runs (default: scripted)")
    parser.add_argument("--models-home", default=os.environ.get("PRECEPTEUR_HOME"),
                        help="the PRECEPTEUR_HOME whose models/ holds --model's files")
    args = parser.parse_args(argv)
    corpus = Path(args.corpus)
    home = Path(tempfile.mkdtemp(prefix="precepteur-nsi-"))
    if args.model:
        if not args.models_home or not (Path(args.models_home) / "models").is_dir():
            raise SystemExit("--model needs --models-home (a PRECEPTEUR_HOME with a models/ folder)")
        (home / "models").symlink_to(Path(args.models_home).resolve() / "models", target_is_directory=True)
    cli(home, "library", "add", "nsi", str(corpus), "--no-embed")
    cli(home, "items", "generate", "nsi", "--count", str(args.count), "--kinds", "cloze,true_false")
    items = json.loads(cli(home, "items", "list", "nsi", "--json"))
    cli(home, "items", "approve", *[str(i["id"]) for i in items])
    cli(home, "user", "add", "prof", "--role", "teacher", "--password-stdin", stdin="mot de passe prof\n")
    cli(home, "class", "create", "Terminale NSI", "--teacher", "prof", "--level", "Terminale", "--library", "nsi")
    code = cli(home, "class", "code", "Terminale NSI").strip().splitlines()[-1]
    started = time.monotonic()
    server = start_server(home, PORT, **({"model": args.model} if args.model else {}))
    print(f"serve: model {args.model or 'scripted'}, ready in {time.monotonic() - started:.1f} s")
    url = f"http://127.0.0.1:{PORT}"
    failures: list[str] = []
    try:
        joined = httpx.post(f"{url}/api/join", json={"code": code, "nickname": "eleve-nsi", "password": "mot-de-passe-1"})
        assert joined.status_code == 201, joined.text
        name = joined.json()["name"]
        learner = {"Authorization": f"Bearer {cli(home, 'token', 'create', name).strip().splitlines()[-1]}"}
        teacher = {"Authorization": f"Bearer {cli(home, 'token', 'create', 'prof').strip().splitlines()[-1]}"}
        session = httpx.post(f"{url}/api/sessions", json={"library": "nsi", "size": 5}, headers=learner)
        assert session.status_code == 201, session.text
        body = session.json()
        if len(body["items"]) != 5:
            failures.append(f"{len(body['items'])} items, not 5")
        if "key" in json.dumps(body):
            failures.append("a key in the session")
        skills = {i["id"]: i["skill"] for i in items}
        for item in body["items"]:
            text = (corpus / item["source"]["document"]).read_text(encoding="utf-8")
            if item["source"]["quote"] not in text:
                failures.append(f"item {item['id']}: quote not verbatim in {item['source']['document']}")
        key = httpx.get(f"{url}/api/sessions/{body['id']}/key", headers=teacher).json()["items"]
        answers = {row["id"]: row["answer"] for row in key}
        ids = [i["id"] for i in body["items"]]
        wrong, right = ids[:2], ids[2:]
        results = {}
        for item_id in ids:
            given = "xyzzy plugh" if item_id in wrong else answers[item_id]
            graded = httpx.post(f"{url}/api/sessions/{body['id']}/answers", json={"item_id": item_id, "answer": given},
                                headers=learner).json()
            results[item_id] = graded["correct"]
            if graded["correct"] != (item_id in right):
                failures.append(f"item {item_id}: {given!r} graded {graded['correct']}")
        progress = httpx.get(f"{url}/api/me/progress", headers=learner).json()
        due = {i["id"]: i["due"] for row in progress["skills"] for i in row["items"]}
        for row in progress["skills"]:
            if not ({"skill", "mastery", "due", "reviews"} <= set(row)) or row["due"] is None:
                failures.append(f"progress row {row}")
        if not all(due[w] < due[r] for w in wrong for r in right):
            failures.append(f"wrong items not due sooner: {due}")
        print(f"corpus: {corpus} ({len(list(corpus.glob('*.md')))} documents); {len(items)} items generated "
              f"(cloze, true_false) and approved")
        print(f"session {body['id']}: {len(body['items'])} items over {len({skills[i] for i in ids})} skills; "
              f"quotes verbatim: {sum(1 for i in body['items'] if not any(str(i['id']) in f for f in failures))}/5")
        for item in body["items"]:
            print(f"  [{item['kind']}] {item['prompt'][:90]}  -> right={results[item['id']]}  due {due[item['id']]}")
        print("progress:")
        for row in progress["skills"]:
            print(f"  {row['label'][:50]:50}  mastery {row['mastery']:.3f} ({row['answers']} answers)  due {row['due']}")
    finally:
        stop_server(server)
    print("OK" if not failures else "FAILED: " + "; ".join(failures))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
