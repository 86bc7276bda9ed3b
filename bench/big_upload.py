"""Huge uploads versus questions on another library, on a real `precepteur serve` (loopback).

A teacher's library "reference" (a few chapters of the NSI corpus) is indexed
first, and the usual time of a question on it is measured. Then another teacher
uploads, to library "gros", a 50 MB text file on one line and a 500-page PDF,
and the same question is asked again and again while they are ingested.

    flock /tmp/precepteur-heavy.lock python bench/big_upload.py [--during 180]

Prints what became of each upload (refused with its message, or indexed with
its passage count and longest passage), and the question's median and worst
times before and during ingestion. Issue 10's target: bounded passages or a
clear refusal, and a question on another library within 2x its usual time
(the median during ingestion over the usual median). Exits 1 when missed.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
from _serve import start_server, stop_server

CORPUS = Path(os.environ.get("PRECEPTEUR_TEST_CORPUS") or Path(__file__).resolve().parents[2] / "shared" / "corpus"
              / "nsi_terminale")
CHAPTERS = ("c11c.md", "c5c.md", "c13c.md")
QUESTION = "Qu'est-ce qu'une liste chaînée ?"
ONE_LINE_BYTES = 50_000_000
PDF_PAGES = 500
TARGET_RATIO = 2.0
MAX_PASSAGE_CHARS = 2_000  # library.passages.MAX_PASSAGE_CHARS

PAGE_TEXT = (
    "Chapitre {page}. Une liste chaînée est une structure de données formée de maillons ; chaque maillon "
    "contient une valeur et une référence vers le maillon suivant. Insérer en tête coûte un temps constant, "
    "accéder au n-ième élément coûte un temps proportionnel à n. Une pile et une file peuvent être réalisées "
    "avec une liste chaînée. Exercice {page} : écrire une fonction qui renvoie la longueur d'une liste. "
)


def pdf_bytes(pages: int) -> bytes:
    """A text PDF of `pages` pages, about 3,000 characters each (Helvetica, WinAnsi)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
               b"/Encoding /WinAnsiEncoding >>"]
    kids = []
    for page in range(1, pages + 1):
        words = (PAGE_TEXT.format(page=page) * 7).split()
        lines = [" ".join(words[i : i + 12]) for i in range(0, len(words), 12)]
        body = b" T* ".join(b"(" + line.encode("cp1252").replace(b"(", b"\\(").replace(b")", b"\\)") + b") Tj"
                            for line in lines)
        stream = b"BT /F1 9 Tf 11 TL 40 800 Td " + body + b" ET"
        page_number = len(objects) + 1
        kids.append(b"%d 0 R" % page_number)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R >> >> >>" % (page_number + 1))
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def prepare(home: Path) -> tuple[str, str, str]:
    """Accounts and tokens: the reference library's teacher, a learner of hers, the other teacher."""
    from precepteur.config import Settings
    from precepteur.gate.accounts import create_token, create_user
    from precepteur.store import Database

    db = Database(Settings(home=home))
    db.migrate()
    with db.session() as s:
        ana = create_user(s, "ana", "teacher")
        bob = create_user(s, "bob", "teacher")
        lea = create_user(s, "lea", "learner", level="Terminale", teacher=ana)
        tokens = tuple(create_token(s, user, "bench")[1] for user in (ana, lea, bob))
    db.dispose()
    return tokens


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def wait_job(http: httpx.Client, token: str, library: str, job: str, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        data = http.get(f"/api/libraries/{library}/jobs/{job}", headers=bearer(token)).json()
        if data["finished"] or time.monotonic() > deadline:
            return data
        time.sleep(0.5)


def ask(http: httpx.Client, token: str, conversation: int) -> float:
    began = time.monotonic()
    response = http.post(f"/api/conversations/{conversation}/messages?stream=false", headers=bearer(token),
                         json={"question": QUESTION}, timeout=120)
    response.raise_for_status()
    assert response.json()["citations"], "the reference library should answer this question"
    return time.monotonic() - began


def passage_stats(home: Path, library: str) -> tuple[int, int]:
    """(passages, longest passage in characters) straight from the library's index file."""
    path = home / "libraries" / f"{library}.sqlite3"
    if not path.exists():
        return 0, 0
    with sqlite3.connect(path) as db:
        count, longest = db.execute("SELECT COUNT(*), COALESCE(MAX(LENGTH(text)), 0) FROM passages").fetchone()
    return count, longest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--during", type=float, default=180.0, help="seconds of questions during ingestion")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--baseline", type=int, default=10, help="questions before the uploads")
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory(prefix="precepteur-big-") as folder:
        home = Path(folder) / "home"
        home.mkdir()
        ana, lea, bob = prepare(home)
        server = start_server(home, args.port)
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{args.port}", timeout=60) as http:
                http.post("/api/libraries", json={"name": "reference"}, headers=bearer(ana)).raise_for_status()
                files = [("files", (name, (CORPUS / name).read_bytes(), "text/markdown")) for name in CHAPTERS]
                job = http.post("/api/libraries/reference/documents", headers=bearer(ana), files=files).json()["job"]
                done = wait_job(http, ana, "reference", job, 1800)
                print(f"reference library: {done['phase']}, {passage_stats(home, 'reference')[0]} passages")
                conversation = http.post("/api/conversations", json={"library": "reference"},
                                         headers=bearer(lea)).json()["id"]
                ask(http, lea, conversation)  # warm the question embedder
                usual = [ask(http, lea, conversation) for _ in range(args.baseline)]
                print(f"question, usual: median {statistics.median(usual):.3f} s, max {max(usual):.3f} s "
                      f"({len(usual)} questions)")

                http.post("/api/libraries", json={"name": "gros"}, headers=bearer(bob)).raise_for_status()
                uploads = {}
                for name, data, kind in (("une-ligne.txt", b"mot " * (ONE_LINE_BYTES // 4), "text/plain"),
                                         ("manuel-500-pages.pdf", pdf_bytes(PDF_PAGES), "application/pdf")):
                    began = time.monotonic()
                    response = http.post("/api/libraries/gros/documents", headers=bearer(bob),
                                         files={"files": (name, data, kind)}, timeout=300)
                    print(f"upload {name} ({len(data) / 1e6:.1f} MB): HTTP {response.status_code} "
                          f"in {time.monotonic() - began:.1f} s")
                    if response.status_code == 202:
                        uploads[name] = response.json()["job"]
                    else:
                        print(f"  refused: {response.json()['error']['message']}")

                during: list[float] = []
                stop = time.monotonic() + args.during
                while time.monotonic() < stop:
                    during.append(ask(http, lea, conversation))
                print(f"question, during ingestion: median {statistics.median(during):.3f} s, "
                      f"max {max(during):.3f} s ({len(during)} questions in {args.during:.0f} s)")
                for name, job in uploads.items():
                    state = http.get(f"/api/libraries/gros/jobs/{job}", headers=bearer(bob)).json()
                    print(f"job {name}: phase {state['phase']}, {state['done']}/{state['total']}, "
                          f"added {state['added']}, errors {state['errors']}")
                count, longest = passage_stats(home, "gros")
                print(f"library gros: {count} passages so far, longest {longest} characters")
                ratio = statistics.median(during) / statistics.median(usual)
                checks = [
                    (f"passages bounded: longest {longest} <= {MAX_PASSAGE_CHARS}", longest <= MAX_PASSAGE_CHARS),
                    (f"question within {TARGET_RATIO:g}x its usual time: {ratio:.2f}x", ratio <= TARGET_RATIO),
                ]
                for text, passed in checks:
                    print(f"  [{'ok' if passed else 'MISSED'}] {text}")
                    ok = ok and passed
        finally:
            stop_server(server)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
