"""Item generation benchmark: generate N accepted items for a library, then report per kind
the candidates made, the share passing each check and all checks, seconds per accepted item,
and how often the model's own answer agreed with the key (answerability).

It runs exactly what `precepteur items generate` runs (a job in the installation's
database, items stored as drafts, duplicates of the bank avoided), then re-reads every
accepted item's quote from the library and counts those that are verbatim. Writes
`items-bench.json` and a one-page `items-bench.html` (with a plot) to `--out`.

    PRECEPTEUR_HOME=/tmp/bench-home .venv/bin/python bench/items.py --library nsi --count 60 \\
        [--kinds mcq,true_false,numeric,cloze,short_answer] [--seed 0] [--out bench-out] [--model NAME]
"""

from __future__ import annotations

import argparse
import base64
import html
import io
import json
import sys
import time
from pathlib import Path

from precepteur.config import Settings
from precepteur.gate.bootstrap import open_database
from precepteur.learning.items.checks import CHECKS
from precepteur.learning.items.generate import GenerationRequest
from precepteur.learning.items.jobs import new_job, run_job
from precepteur.learning.items.types import KINDS
from precepteur.library import LibraryService
from precepteur.llm import get_model
from precepteur.store.items import list_items


def figures(stats: dict, wall: float, items: list, verbatim: int) -> dict:
    """The benchmark's numbers from a job's statistics and the items it kept."""
    kinds = {}
    for kind in KINDS:
        entry = stats.get("kinds", {}).get(kind)
        if not entry:
            continue
        made, accepted, seconds = entry["made"], entry["accepted"], entry["seconds"]
        checks = {name: round(passed / run, 3) for name, (passed, run) in entry["checks"].items() if run}
        agreed, asked = entry.get("answerable", [0, 0])
        kinds[kind] = {
            "candidates": made, "accepted": accepted, "acceptance": round(accepted / made, 3) if made else 0.0,
            "model_errors": entry.get("errors", 0), "checks": checks,
            "answerability_agreement": round(agreed / asked, 3) if asked else None,
            "seconds": round(seconds, 1), "seconds_per_accepted": round(seconds / accepted, 1) if accepted else None,
        }
    accepted = sum(k["accepted"] for k in kinds.values())
    made = sum(k["candidates"] for k in kinds.values())
    return {
        "accepted": accepted, "candidates": made, "acceptance": round(accepted / made, 3) if made else 0.0,
        "skills": len({item.skill for item in items}), "kinds_accepted": sorted({item.kind for item in items}),
        "verbatim_quotes": verbatim, "wall_seconds": round(wall, 1),
        "seconds_per_accepted": round(wall / accepted, 1) if accepted else None,
        "generators": stats.get("generators", {}), "kinds": kinds,
    }


def plot(result: dict) -> str:
    """Acceptance and seconds per accepted item by kind, as an inline PNG."""
    from matplotlib.figure import Figure

    kinds = list(result["kinds"])
    fig = Figure(figsize=(8, 3.4), dpi=96, layout="constrained")
    left, right = fig.subplots(1, 2)
    shares = [100 * result["kinds"][k]["acceptance"] for k in kinds]
    bars = left.bar(kinds, shares, color="#1565c0")
    left.bar_label(bars, labels=[f"{v:.0f} %" for v in shares], fontsize="small")
    left.set_ylim(0, 110)
    left.set_title("candidats retenus (%)")
    seconds = [result["kinds"][k]["seconds_per_accepted"] or 0 for k in kinds]
    bars = right.bar(kinds, seconds, color="#ef6c00")
    right.bar_label(bars, labels=[f"{v:.0f}" for v in seconds], fontsize="small")
    right.set_title("secondes par exercice retenu")
    for axis in (left, right):
        axis.tick_params(axis="x", labelrotation=30, labelsize="small")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def report_html(result: dict, items: list, command: str) -> str:
    kinds = list(result["kinds"])
    head = "".join(f"<th>{html.escape(k)}</th>" for k in kinds)
    rows = []
    for label, value in (("candidats", lambda k: result["kinds"][k]["candidates"]),
                         ("retenus", lambda k: result["kinds"][k]["accepted"]),
                         ("taux retenu", lambda k: f"{100 * result['kinds'][k]['acceptance']:.0f} %"),
                         ("s / retenu", lambda k: result["kinds"][k]["seconds_per_accepted"]),
                         ("accord du modèle", lambda k: result["kinds"][k]["answerability_agreement"])):
        rows.append(f"<tr><th>{label}</th>" + "".join(f"<td>{html.escape(str(value(k)))}</td>" for k in kinds) + "</tr>")
    for name in CHECKS:
        cells = [result["kinds"][k]["checks"].get(name) for k in kinds]
        if any(c is not None for c in cells):
            rows.append(f"<tr><th>{name}</th>" + "".join(
                f"<td>{'' if c is None else f'{100 * c:.0f} %'}</td>" for c in cells) + "</tr>")
    sample = "".join(
        f"<li><b>{html.escape(i.kind)}</b> — {html.escape(i.prompt)} <i>→ {html.escape(i.key)}</i>"
        f"<br><small>{html.escape(i.source.locator)}</small></li>" for i in items[:40])
    return (
        "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Banc d'essai des exercices</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}"
        "table{border-collapse:collapse}td,th{border-bottom:1px solid #ccc;padding:.3rem .6rem;text-align:left}"
        "img{max-width:100%}</style></head><body>"
        f"<h1>Banc d'essai des exercices</h1><p><code>{html.escape(command)}</code></p>"
        f"<p>{result['accepted']} exercices retenus sur {result['candidates']} candidats "
        f"({100 * result['acceptance']:.0f} %), {result['skills']} notions, types : "
        f"{', '.join(result['kinds_accepted'])} ; citations mot pour mot : {result['verbatim_quotes']}/{result['accepted']} ; "
        f"{result['wall_seconds']} s en tout, {result['seconds_per_accepted']} s par exercice retenu.</p>"
        f"<img src=\"{plot(result)}\" alt=\"taux retenu et secondes par exercice, par type\">"
        f"<table><tr><th></th>{head}</tr>{''.join(rows)}</table>"
        f"<h2>Exemples retenus</h2><ol>{sample}</ol></body></html>"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", required=True)
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model", default=None)
    parser.add_argument("--out", default="bench-out")
    args = parser.parse_args()
    settings = Settings()
    db = open_database(settings)
    service = LibraryService(settings)
    began = time.perf_counter()
    model = get_model(args.model, settings)
    loaded = time.perf_counter() - began
    request = GenerationRequest(args.library, args.count, tuple(args.kinds.split(",")), None, args.seed, None,
                                settings.language)
    job = new_job(db, request)

    def progress(p) -> None:
        print(f"  {time.perf_counter() - began:7.1f}s  passage {p.cursor}/{p.units}  retenus {p.accepted}"
              f"  candidats {p.candidates}", file=sys.stderr, flush=True)

    started = time.perf_counter()
    finished = run_job(db, service, model, job.id, on_progress=progress, lang=settings.language)
    wall = time.perf_counter() - started
    with db.session() as s:
        items = [i for i in list_items(s, args.library) if i.id and i.source.document]
    items = [i for i in items if i.generator not in ("manual", "import")]
    with db.session() as s:
        from precepteur.store.items_models import StoredItem

        mine = {row.id for row in s.query(StoredItem).filter(StoredItem.job_id == job.id)}
    items = [i for i in items if i.id in mine]
    verbatim = sum(service.document_text(args.library, i.source.document)[i.source.start:i.source.end] == i.source.quote
                   for i in items)
    result = figures(finished.stats, wall, items, verbatim) | {
        "job": job.id, "state": finished.state, "message": finished.message, "model": model.model_id,
        "model_load_seconds": round(loaded, 1), "library": args.library, "count": args.count,
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    command = " ".join(["bench/items.py", *sys.argv[1:]])
    (out / "items-bench.json").write_text(json.dumps(result | {"items": [i.to_dict() for i in items]},
                                                     ensure_ascii=False, indent=2), encoding="utf-8")
    (out / "items-bench.html").write_text(report_html(result, items, command), encoding="utf-8")
    print(f"{result['accepted']} retenus / {result['candidates']} candidats, {result['skills']} notions, "
          f"citations exactes {verbatim}/{result['accepted']}, {result['wall_seconds']} s "
          f"({result['seconds_per_accepted']} s par exercice retenu) ; {finished.message}")
    print(f"{'type':<14}{'candidats':>10}{'retenus':>9}{'taux':>7}{'s/retenu':>10}{'accord':>8}")
    for kind, entry in result["kinds"].items():
        agreement = "-" if entry["answerability_agreement"] is None else f"{100 * entry['answerability_agreement']:.0f}%"
        print(f"{kind:<14}{entry['candidates']:>10}{entry['accepted']:>9}{100 * entry['acceptance']:>6.0f}%"
              f"{'-' if entry['seconds_per_accepted'] is None else entry['seconds_per_accepted']:>10}{agreement:>8}")
    print(f"rapport : {out / 'items-bench.html'}")
    return 0 if finished.state == "done" else 1


if __name__ == "__main__":
    sys.exit(main())
