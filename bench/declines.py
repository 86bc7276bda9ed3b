"""Declines on small held-out libraries: does `covers()` hold for a library it was not calibrated on?

Builds the libraries of bench/data/small_libraries.json (1-2 documents each, written as
DOCX/ODT with pandoc and PDF with LibreOffice headless), embeds them, and asks each
library its on-topic questions (familiar, misspelled, English) and its off-topic ones
(mostly close to its subject). Prints false declines and false answers.

    .venv/bin/python bench/declines.py --home /tmp/declines-home [--verbose]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from precepteur.config import Settings
from precepteur.library import LibraryService
from precepteur.tutor.sources import covers

DATA = Path(__file__).parent / "data" / "small_libraries.json"


def write_document(folder: Path, name: str, text: str) -> Path:
    """The document `name` (.docx, .odt or .pdf) made from Markdown `text`."""
    target = folder / name
    source = folder / (target.stem + ".md")
    source.write_text(text, encoding="utf-8")
    if target.suffix in (".docx", ".odt"):
        subprocess.run(["pandoc", str(source), "-o", str(target)], check=True, timeout=60)
    else:
        docx = folder / (target.stem + ".docx")
        subprocess.run(["pandoc", str(source), "-o", str(docx)], check=True, timeout=60)
        subprocess.run(["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless",
                        "--convert-to", "pdf", "--outdir", str(folder), str(docx)],
                       check=True, timeout=180, capture_output=True)
        docx.unlink()
    source.unlink()
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    spec = json.loads(DATA.read_text(encoding="utf-8"))
    service = LibraryService(Settings(home=args.home))
    totals = {"on": 0, "on_ok": 0, "off": 0, "off_ok": 0}
    with tempfile.TemporaryDirectory() as tmp:
        for library in spec["libraries"]:
            folder = Path(tmp) / library["name"]
            folder.mkdir()
            files = [write_document(folder, d["file"], d["text"]) for d in library["documents"]]
            if library["name"] not in {i.name for i in service.list()}:
                report = service.add(library["name"], files)
                assert not report.errors, report.errors
            answered = [covers(q, service.search(library["name"], q, k=8)) for q in library["on"]]
            declined = [not covers(q, service.search(library["name"], q, k=8)) for q in library["off"]]
            totals["on"] += len(answered)
            totals["on_ok"] += sum(answered)
            totals["off"] += len(declined)
            totals["off_ok"] += sum(declined)
            print(f"{library['name']}: on-topic answered {sum(answered)}/{len(answered)}, "
                  f"off-topic declined {sum(declined)}/{len(declined)}")
            for q, ok in zip(library["on"], answered):
                if not ok:
                    print(f"  false decline: {q}")
            for q, ok in zip(library["off"], declined):
                if not ok:
                    print(f"  false answer: {q}")
            if args.verbose:
                for q in library["on"] + library["off"]:
                    hits = service.search(library["name"], q, k=8)
                    best = max((h.dense for h in hits if h.dense is not None), default=None)
                    print(f"    {q!r}: dense={best} bg={hits[0].background if hits else None} "
                          f"lex={max((h.lexical for h in hits), default=0):.2f}", file=sys.stderr)
    print(f"total: on-topic answered {totals['on_ok']}/{totals['on']} "
          f"({totals['on_ok'] / totals['on']:.0%}), off-topic declined {totals['off_ok']}/{totals['off']} "
          f"({totals['off_ok'] / totals['off']:.0%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
