"""Launch load on loopback: simulated learners against the real app and a stub model server.

Starts a stub OpenAI-compatible server (fixed prefill and decode rates per
sequence, `--slots` sequences at once at most, like a llama-server with that
many slots; or `--backend-url` for a real one), then the real app on
127.0.0.1 (uvicorn, `--workers` processes; with `--redis-url` they share one
queue) with `--slots` slots, creates the learners, and runs:

- `load`: `--learners` learners asking at `--rate` x capacity (Poisson arrivals,
  capacity = slots / mean service time) for `--seconds`, streamed `/v1` answers;
  every non-2xx must be 429 or 503 with a whole-second Retry-After, and no
  connection failure or timeout. The first wait estimate each request gets
  (`: precepteur-queue` comments) is compared with its real wait.
- `fair`: 20 always-backlogged learners (each keeps two requests in flight)
  with prompts from 200 to 4,000 tokens; Jain's index over the weighted tokens
  (prompt + 2 x output) each was served, with the fair queue (`vtc`) and with
  first-come-first-served (`fcfs`) on otherwise identical runs.
- `heavy`: 10 learners each asking again 1–3 s after every answer, for `--seconds`, once
  alone and once with an 11th learner asking from 5 tabs at once (each tab asks again as soon as
  it is answered or after the Retry-After of a 429); the others' p95 wait (time to the first
  chunk) with the heavy learner over without it (target ≤ 1.2).

    flock /tmp/precepteur-heavy.lock python bench/gate_load.py --scenario load --slots 4 --seconds 300
    flock /tmp/precepteur-heavy.lock python bench/gate_load.py --scenario fair --slots 1 --seconds 120
    flock /tmp/precepteur-heavy.lock python bench/gate_load.py --scenario heavy --slots 1 --seconds 120

Writes `gate-report.json` (`--out`) and prints one line per figure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

PREFILL_TOK_S = 800.0
DECODE_TOK_S = 40.0
OUT_RANGE = (20, 120)
PAD_SENTENCE = "La photosynthèse transforme la lumière en énergie chimique dans les feuilles. "
READY_S = 90


# -- the stub model server ------------------------------------------------------------------

def stub_app(slots: int, prefill: float, decode: float):
    """An OpenAI-compatible streaming server with fixed rates; `[out=N]` in the last message sets N."""
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse, StreamingResponse
    from starlette.routing import Route

    gate = asyncio.Semaphore(slots)
    rng = random.Random(7)

    async def completions(request):
        body = await request.json()
        text = "".join(str(m.get("content") or "") for m in body.get("messages", []))
        prompt = max(1, len(text) // 4)
        match = re.search(r"\[out=(\d+)\]", text)
        out = int(match.group(1)) if match else rng.randint(*OUT_RANGE)
        out = min(out, int(body.get("max_tokens") or out))

        async def events():
            async with gate:
                await asyncio.sleep(prompt / prefill)
                for i in range(out):
                    chunk = {"choices": [{"index": 0, "delta": {"content": f" mot{i}"}, "finish_reason": None}]}
                    yield f"data: {json.dumps(chunk)}\n\n"
                    await asyncio.sleep(1 / decode)
                end = {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
                       "usage": {"prompt_tokens": prompt, "completion_tokens": out, "total_tokens": prompt + out}}
                yield f"data: {json.dumps(end)}\n\ndata: [DONE]\n\n"

        if body.get("stream"):
            return StreamingResponse(events(), media_type="text/event-stream")
        parts = [p async for p in events()]
        return JSONResponse({"choices": [{"message": {"role": "assistant", "content": "".join(parts)}}]})

    async def models(_request):
        return JSONResponse({"object": "list", "data": [{"id": "stub", "object": "model"}]})

    return Starlette(routes=[Route("/v1/chat/completions", completions, methods=["POST"]),
                             Route("/v1/models", models)])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_ready(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + READY_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{url} exited; see {log}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not start; see {log}")


def start_stub(home: Path, slots: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = home / "stub.log"
    process = subprocess.Popen([sys.executable, __file__, "--stub-port", str(port), "--slots", str(slots)],
                               stdout=log.open("wb"), stderr=subprocess.STDOUT)
    wait_ready(f"http://127.0.0.1:{port}/v1/models", process, log)
    return process, f"http://127.0.0.1:{port}/v1"


def prepare(home: Path, learners: int) -> list[str]:
    """Learner accounts (no password) and their API tokens."""
    os.environ["PRECEPTEUR_HOME"] = str(home)
    from precepteur.config import Settings
    from precepteur.gate.accounts import create_token, create_user
    from precepteur.store import Database

    db = Database(Settings(home=home))
    db.migrate()
    tokens = []
    with db.session() as s:
        for i in range(learners):
            learner = create_user(s, f"eleve{i:03d}", "learner", level="6e")
            tokens.append(create_token(s, learner, "bench")[1])
        s.commit()
    db.dispose()
    return tokens


def start_app(home: Path, backend: str, slots: int, workers: int, policy: str, redis_url: str | None,
              max_waiting: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "PRECEPTEUR_HOME": str(home), "PRECEPTEUR_MODEL": "openai:stub",
           "PRECEPTEUR_OPENAI_BASE_URL": backend, "PRECEPTEUR_SECRET_KEY": "bench-secret",
           "PRECEPTEUR_SLOTS": str(slots), "PRECEPTEUR_GATE_POLICY": policy,
           "PRECEPTEUR_MAX_WAITING_REQUESTS": str(max_waiting), "PRECEPTEUR_GUARD_SEMANTIC": "false",
           "PRECEPTEUR_GUARD_JUDGE": "off", "PRECEPTEUR_N_CTX": "16384", "PRECEPTEUR_MAX_IN_FLIGHT": "512"}
    if redis_url:
        env["PRECEPTEUR_REDIS_URL"] = redis_url
        env["PRECEPTEUR_REDIS_PREFIX"] = f"bench:{os.getpid()}:{time.time_ns()}"
    (home / "cohorts.json").write_text(json.dumps([{"name": "public", "quota": {}}]))  # no quota in the bench
    log = home / "app.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "precepteur.web.app:app_from_env", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--log-level", "warning"],
        env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    wait_ready(f"http://127.0.0.1:{port}/healthz", process, log)
    return process, f"http://127.0.0.1:{port}"


# -- the learners ---------------------------------------------------------------------------

async def ask(client: httpx.AsyncClient, token: str, question: str, history: list[dict]) -> dict:
    """One streamed /v1 answer: status, Retry-After, first estimate, wait, tokens."""
    sent = time.monotonic()
    record: dict = {"sent": sent, "status": None}
    body = {"stream": True, "stream_options": {"include_usage": True},
            "messages": [*history, {"role": "user", "content": question}]}
    try:
        async with client.stream("POST", "/v1/chat/completions", json=body,
                                 headers={"Authorization": f"Bearer {token}"}) as response:
            record["status"] = response.status_code
            if response.status_code != 200:
                record["retry_after"] = response.headers.get("retry-after")
                await response.aread()
                return record
            async for line in response.aiter_lines():
                now = time.monotonic()
                if line.startswith(": precepteur-queue "):
                    update = json.loads(line[len(": precepteur-queue "):])
                    if "queued" not in record:
                        record["queued"], record["place"] = now, update.get("place")
                        estimate = update.get("estimate")
                        record["eta"] = estimate["seconds"] if estimate else None
                elif line.startswith("data: ") and "first" not in record:
                    record["first"] = now
                elif line.startswith("data: ") and '"usage"' in line and '"choices": []' in line:
                    usage = json.loads(line[6:])["usage"]
                    record["prompt_tokens"], record["completion_tokens"] = (
                        usage["prompt_tokens"], usage["completion_tokens"])
            record["ended"] = time.monotonic()
    except httpx.TimeoutException:
        record["status"] = "timeout"
    except httpx.HTTPError as exc:
        record["status"] = f"connection:{type(exc).__name__}"
    return record


def padded_history(tokens: int) -> list[dict]:
    """User turns that make a prompt of about `tokens` tokens (4 characters a token)."""
    chars, history = tokens * 4, []
    while chars > 0:
        text = (PAD_SENTENCE * (min(chars, 3000) // len(PAD_SENTENCE) + 1))[: min(chars, 3000)]
        history += [{"role": "user", "content": text}, {"role": "assistant", "content": "D'accord."}]
        chars -= len(text)
    return history


async def scenario_load(url: str, tokens: list[str], slots: int, seconds: float, rate: float, seed: int) -> dict:
    rng = random.Random(seed)
    mean_out = sum(OUT_RANGE) / 2
    service = 450 / PREFILL_TOK_S + mean_out / DECODE_TOK_S  # ~350 system-prompt tokens + question
    capacity = slots / service
    arrivals = rate * capacity
    records: list[dict] = []
    limits = httpx.Limits(max_connections=len(tokens) * 2 + 10, max_keepalive_connections=len(tokens) * 2)
    async with httpx.AsyncClient(base_url=url, timeout=httpx.Timeout(600, connect=10), limits=limits) as client:
        tasks, began = [], time.monotonic()
        while time.monotonic() - began < seconds:
            token = rng.choice(tokens)
            tasks.append(asyncio.create_task(ask(client, token, "Explique la photosynthèse.", [])))
            await asyncio.sleep(rng.expovariate(arrivals))
        records = await asyncio.gather(*tasks)
    return {"capacity_req_s": capacity, "arrival_req_s": arrivals, "records": records}


async def scenario_fair(url: str, tokens: list[str], seconds: float) -> dict:
    learners = tokens[:20]
    prompts = [round(200 + i * 3800 / 19) for i in range(20)]
    served = {i: 0.0 for i in range(20)}
    records: list[dict] = []

    async def loop(client, i: int) -> None:
        history = padded_history(prompts[i] - 360)
        while time.monotonic() < deadline:
            record = await ask(client, learners[i], "Résume. [out=50]", history)
            record["learner"] = i
            records.append(record)
            if record["status"] == 200 and "prompt_tokens" in record:
                served[i] += record["prompt_tokens"] + 2 * record["completion_tokens"]
            elif record["status"] in (429, 503):
                await asyncio.sleep(float(record.get("retry_after") or 1))
            else:
                await asyncio.sleep(1)

    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=url, timeout=httpx.Timeout(900, connect=10)) as client:
        await asyncio.gather(*(loop(client, i) for i in range(20) for _ in range(2)))
    values = list(served.values())
    jain = sum(values) ** 2 / (len(values) * sum(v * v for v in values)) if any(values) else 0.0
    return {"prompts": prompts, "served_weighted_tokens": values, "jain": jain, "records": records}


REGULAR_LEARNERS = 10
HEAVY_TABS = 5


async def scenario_heavy(url: str, tokens: list[str], seconds: float, tabs: int, seed: int) -> dict:
    """REGULAR_LEARNERS learners in closed loops, plus (tabs > 0) one learner in `tabs` loops."""
    rng = random.Random(seed)
    records: list[dict] = []

    async def loop(client, token: str, who: str, think: bool) -> None:
        while time.monotonic() < deadline:
            record = await ask(client, token, "Explique la photosynthèse.", [])
            record["who"] = who
            records.append(record)
            if record["status"] in (429, 503):
                await asyncio.sleep(float(record.get("retry_after") or 1))
            elif record["status"] != 200:
                await asyncio.sleep(1)
            elif think:
                await asyncio.sleep(rng.uniform(1, 3))

    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=url, timeout=httpx.Timeout(600, connect=10)) as client:
        loops = [loop(client, tokens[i], "regular", True) for i in range(REGULAR_LEARNERS)]
        loops += [loop(client, tokens[REGULAR_LEARNERS], "heavy", False) for _ in range(tabs)]
        await asyncio.gather(*loops)
    regular = [r["first"] - r["sent"] for r in records if r["who"] == "regular" and r.get("first")]
    heavy = [r for r in records if r["who"] == "heavy"]
    return {"tabs": tabs, "regular_answers": len(regular),
            "regular_p95_wait_s": round(statistics.quantiles(regular, n=100)[94], 3) if len(regular) >= 2 else None,
            "heavy_answers": sum(1 for r in heavy if r["status"] == 200),
            "heavy_refused": sum(1 for r in heavy if r["status"] in (429, 503)), "records": records}


def summarise(records: list[dict]) -> dict:
    statuses: dict[str, int] = {}
    bad_retry = 0
    for r in records:
        statuses[str(r["status"])] = statuses.get(str(r["status"]), 0) + 1
        if r["status"] in (429, 503):
            value = r.get("retry_after")
            if value is None or not value.isdigit() or int(value) < 1:
                bad_retry += 1
    errors = sum(n for s, n in statuses.items() if s not in ("200", "429", "503"))
    eta_errors = []
    for r in records:
        if r.get("queued") is not None and r.get("first") is not None and r.get("eta") is not None:
            actual = r["first"] - r["queued"]
            if actual >= 2:
                eta_errors.append(abs(r["eta"] - actual) / actual)
    waited = [r["first"] - r["sent"] for r in records if r.get("first")]

    def pct(values, q):
        return round(statistics.quantiles(values, n=100)[q - 1], 3) if len(values) >= 2 else None

    return {
        "requests": len(records), "statuses": statuses, "other_errors": errors, "bad_retry_after": bad_retry,
        "eta": {"n": len(eta_errors), "median_rel_error": pct(eta_errors, 50), "p90_rel_error": pct(eta_errors, 90),
                "without_estimate": sum(1 for r in records if r.get("queued") and r.get("eta") is None)},
        "time_to_first_chunk_s": {"median": pct(waited, 50), "p95": pct(waited, 95)},
    }


def run(args, scenario: str, policy: str, tabs: int = 0) -> dict:
    home = Path(tempfile.mkdtemp(prefix=f"gate-{scenario}-"))
    learners = args.learners if scenario == "load" else REGULAR_LEARNERS + 1 if scenario == "heavy" else 20
    tokens = prepare(home, learners)
    stub = None
    backend = args.backend_url
    if backend is None:
        stub, backend = start_stub(home, args.slots)
    app, url = start_app(home, backend, args.slots, args.workers, policy, args.redis_url, args.max_waiting)
    try:
        if scenario == "load":
            result = asyncio.run(scenario_load(url, tokens, args.slots, args.seconds, args.rate, args.seed))
        elif scenario == "heavy":
            result = asyncio.run(scenario_heavy(url, tokens, args.seconds, tabs, args.seed))
        else:
            result = asyncio.run(scenario_fair(url, tokens, args.seconds))
        status = httpx.get(f"{url}/status.json", timeout=10).json()
    finally:
        app.terminate()
        app.wait(30)
        if stub is not None:
            stub.terminate()
            stub.wait(10)
    records = result.pop("records")
    if args.records:
        result["records"] = records
    summary = {"scenario": scenario, "policy": policy, "slots": args.slots, "workers": args.workers,
               "redis": bool(args.redis_url), "seconds": args.seconds, **result, **summarise(records),
               "status_queue": status["queue"]}
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", choices=["load", "fair", "heavy", "all"], default="all")
    parser.add_argument("--slots", type=int, default=4)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--redis-url")
    parser.add_argument("--backend-url", help="a real OpenAI-compatible server instead of the stub")
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--rate", type=float, default=1.5, help="arrivals as a multiple of capacity")
    parser.add_argument("--max-waiting", type=int, default=64)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default="gate-report.json")
    parser.add_argument("--records", action="store_true", help="keep every request's record in the report")
    parser.add_argument("--stub-port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stub_port:
        import uvicorn

        uvicorn.run(stub_app(args.slots, PREFILL_TOK_S, DECODE_TOK_S), host="127.0.0.1", port=args.stub_port,
                    log_level="warning")
        return
    report = []
    if args.scenario in ("load", "all"):
        report.append(run(args, "load", "vtc"))
    if args.scenario in ("fair", "all"):
        report.append(run(args, "fair", "vtc"))
        report.append(run(args, "fair", "fcfs"))
    if args.scenario in ("heavy", "all"):
        report.append(run(args, "heavy", "vtc", tabs=0))
        report.append(run(args, "heavy", "vtc", tabs=HEAVY_TABS))
    Path(args.out).write_text(json.dumps(report, indent=2, ensure_ascii=False))
    for item in report:
        line = {k: item[k] for k in ("scenario", "policy", "slots", "workers", "requests", "statuses",
                                     "other_errors", "bad_retry_after", "eta") if k in item}
        if "jain" in item:
            line["jain"] = round(item["jain"], 3)
        for key in ("tabs", "regular_answers", "regular_p95_wait_s", "heavy_answers", "heavy_refused"):
            if key in item:
                line[key] = item[key]
        print(json.dumps(line, ensure_ascii=False))
    heavy = [item for item in report if item["scenario"] == "heavy"]
    if len(heavy) == 2 and heavy[0]["regular_p95_wait_s"] and heavy[1]["regular_p95_wait_s"]:
        ratio = heavy[1]["regular_p95_wait_s"] / heavy[0]["regular_p95_wait_s"]
        print(f"heavy learner in {HEAVY_TABS} tabs: others' p95 wait ×{ratio:.2f} (target ≤ 1.2)")
    ok = all(item["other_errors"] == 0 and item["bad_retry_after"] == 0 for item in report)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
