"""The public status: what answers, how mature it is, what it cannot do, how the queue is doing.

`status_payload` builds the `/status.json` object (the shape of
web/static/status.schema.json; the page `/status` shows the same). Known limits
come from the versioned docs/status/known-limits.md (shipped in the package as
gate/known-limits.md): each `## ` heading is one limit, the text under it its
detail, and its `Version:` line the version. Waits are those of requests
started in the last 15 minutes (median and 90th percentile).

Energy per answer is an estimate, not a reading: the mean measured time of the
recent answers x the machine's declared power (`settings.power_watts`) /
the number of answers generated together (slots in use), in watt-hours.
"""

from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources

from ..gate.cohorts import GLOBAL, MATURITIES, PHASES
from ..gate.eta import quantile
from ..gate.store import WAIT_WINDOW_S
from ..store.gate import load_switches, recent_incidents

LIMITS_FILE = "known-limits.md"


@lru_cache(maxsize=1)
def known_limits() -> tuple[str, tuple[dict, ...]]:
    """(version, limits) read from the shipped known-limits file."""
    text = (resources.files("precepteur.gate") / LIMITS_FILE).read_text(encoding="utf-8")
    version, limits, current = "?", [], None
    for line in text.splitlines():
        if line.startswith("Version:"):
            version = line.split(":", 1)[1].strip()
        elif line.startswith("## "):
            current = {"title": line[3:].strip(), "detail": ""}
            limits.append(current)
        elif current is not None and line.strip():
            current["detail"] = (current["detail"] + " " + line.strip()).strip()
    return version, tuple(limits)


def energy(services) -> dict:
    """Watt-hours per answer, estimated from measured times (see the module docstring)."""
    timings = services.gate.store.timings()
    watts = services.settings.power_watts
    if not timings:
        return {"wh_per_answer": None, "watts": watts, "answers": 0, "method": "time_x_power"}
    seconds = sum(t.total_s for t in timings) / len(timings)
    tokens = sum(t.output_tokens for t in timings) / len(timings)
    together = max(1, min(services.gate.store.slots, len(timings)))
    return {
        "wh_per_answer": round(seconds * watts / together / 3600, 4), "watts": watts,
        "answers": len(timings), "mean_seconds": round(seconds, 2), "mean_output_tokens": round(tokens, 1),
        "method": "time_x_power",
    }


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("precepteur")
    except PackageNotFoundError:
        return "0"


def status_payload(s, services) -> dict:
    """The `/status.json` object."""
    gate, settings = services.gate, services.settings
    limits_version, limits = known_limits()
    snapshot = gate.snapshot(fresh=True)
    waits = gate.waits()
    switches = load_switches(s)
    glob = switches.by_scope.get(GLOBAL)
    phase = settings.cohort_phase if settings.cohort_phase in PHASES else PHASES[-1]
    maturity = settings.maturity if settings.maturity in MATURITIES else MATURITIES[0]
    return {
        "model": services.model.model_id,
        "version": _version(),
        "prompt_version": gate.prompt_version,
        "maturity": maturity,
        "known_limits": [dict(limit) for limit in limits],
        "known_limits_version": limits_version,
        "cohort_phase": phase,
        "cohorts": [{"name": name, "open": switches.blocking(name) is None,
                     "weight": cohort.weight} for name, cohort in gate.cohorts.items()],
        "queue": {
            "waiting": len(snapshot.waiting), "running": len(snapshot.running), "slots": gate.store.slots,
            "median_wait_s": round(quantile(waits, 0.5), 1) if waits else None,
            "p90_wait_s": round(quantile(waits, 0.9), 1) if waits else None,
            "window_s": WAIT_WINDOW_S, "samples": len(waits),
        },
        "kill_switch": {
            "global": bool(glob and glob.killed), "message": glob.message if glob and glob.killed else "",
            "cohorts": {name: bool(sw.killed) for name, sw in switches.by_scope.items() if name != GLOBAL},
        },
        "incidents": [{"title": i.title, "body": i.body, "started_at": i.started_at.isoformat(),
                       "ended_at": i.ended_at.isoformat() if i.ended_at else None} for i in recent_incidents(s)],
        "energy": energy(services),
        "updated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
