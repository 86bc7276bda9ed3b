"""Load on loopback: writers and askers hammer a real `precepteur serve` for a bounded time.

Starts `python -m precepteur serve` (scripted model) on a fresh SQLite file or a
fresh PostgreSQL database, creates `--accounts` learners with API tokens, then
runs `--writers` closed-loop writers (`POST /api/conversations`) and `--askers`
closed-loop askers (a streamed `POST /api/conversations/{id}/messages`, read to
the end) for `--seconds`. A refused request (429 or 503) waits its Retry-After
before the next one, as a polite client would.

    flock /tmp/precepteur-heavy.lock python bench/load.py --backend sqlite
    flock /tmp/precepteur-heavy.lock python bench/load.py --backend postgresql   # needs PRECEPTEUR_TEST_POSTGRES_URL

Prints, per kind of request, the statuses and latency percentiles, the longest
request, the longest time with no response completed at all, and the targets of
issue 10: only 2xx, 429 or 503 with Retry-After; p95 of a write <= 1 s; no stall
longer than 5 s. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from _serve import start_server, stop_server

TARGET_WRITE_P95_S = 1.0  # client-side: from sending the request to the last byte
TARGET_STALL_S = 5.0
REQUEST_TIMEOUT_S = 30.0


@dataclass
class Sample:
    kind: str  # write | ask
    status: int | str  # HTTP status, or the client error's name
    began: float
    seconds: float
    retry_after: bool


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def scratch_postgres(admin_url: str) -> tuple[str, callable]:
    """A brand-new PostgreSQL database and the function that drops it."""
    from sqlalchemy import create_engine, text

    from precepteur.store import normalize_url

    url = normalize_url(admin_url)
    name = f"precepteur_load_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


def prepare(home: Path, database_url: str | None, accounts: int) -> list[str]:
    """Migrate, create the learners and one token each; returns the tokens."""
    from precepteur.config import Settings
    from precepteur.gate.accounts import create_token, create_user
    from precepteur.store import Database

    db = Database(Settings(home=home, database_url=database_url))
    db.migrate()
    tokens = []
    with db.session() as s:
        teacher = create_user(s, "prof", "teacher")
        for i in range(accounts):
            learner = create_user(s, f"eleve{i:03d}", "learner", level="6e", teacher=teacher)
            tokens.append(create_token(s, learner, "load")[1])
    db.dispose()
    return tokens


class Connection:
    """A minimal HTTP/1.1 keep-alive client on asyncio streams: the load generator shares the
    machine with the server, and httpx costs several times more CPU per request."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, token: str, body: dict) -> tuple[int, dict, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        payload = json.dumps(body).encode()
        head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n")
        self.writer.write(head.encode() + payload)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("closed by the server")
        status = int(status_line.split()[1])
        headers = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            data = await self.reader.readexactly(int(headers["content-length"]))
        else:  # chunked (a streamed answer)
            parts = []
            while True:
                size = int((await self.reader.readline()).split(b";")[0], 16)
                parts.append(await self.reader.readexactly(size + 2))
                if size == 0:
                    break
            data = b"".join(parts)
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, data

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def run_load(port: int, tokens: list[str], writers: int, askers: int, seconds: float) -> list[Sample]:
    samples: list[Sample] = []
    deadline = time.monotonic() + seconds

    async def call(connection: Connection, kind: str, token: str, path: str, body: dict):
        began = time.monotonic()
        try:
            status, headers, data = await asyncio.wait_for(
                connection.request("POST", path, token, body), REQUEST_TIMEOUT_S)
        except (OSError, ConnectionError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError) as exc:
            connection.close()
            samples.append(Sample(kind, type(exc).__name__, began, time.monotonic() - began, False))
            return None, b""
        samples.append(Sample(kind, status, began, time.monotonic() - began, "retry-after" in headers))
        if status in (429, 503):
            wait = float(headers.get("retry-after", "1"))
            await asyncio.sleep(max(0.0, min(wait, deadline - time.monotonic())))
        return status, data

    async def writer(i: int) -> None:
        connection, token, n = Connection(port), tokens[i % len(tokens)], 0
        while time.monotonic() < deadline:
            await call(connection, "write", token, "/api/conversations", {"title": f"w{i}-{n}"})
            n += 1
        connection.close()

    async def asker(i: int) -> None:
        connection, token = Connection(port), tokens[(i + writers) % len(tokens)]
        conversation = None
        while conversation is None and time.monotonic() < deadline:
            status, data = await call(connection, "write", token, "/api/conversations", {"title": f"a{i}"})
            if status == 201:
                conversation = json.loads(data)["id"]
        while time.monotonic() < deadline:
            await call(connection, "ask", token, f"/api/conversations/{conversation}/messages",
                       {"question": "Combien font 17 fois 23 ?"})
        connection.close()

    await asyncio.gather(*(writer(i) for i in range(writers)), *(asker(i) for i in range(askers)))
    return samples


def longest_stall(samples: list[Sample], began: float, ended: float) -> float:
    """The longest time during the run with no response completed."""
    ends = sorted(s.began + s.seconds for s in samples)
    points = [began, *ends, ended]
    return max(b - a for a, b in zip(points, points[1:]))


def report(samples: list[Sample], began: float, ended: float, backend: str) -> bool:
    print(f"backend: {backend}  duration: {ended - began:.0f} s  requests: {len(samples)}")
    ok = True
    for kind in ("write", "ask"):
        mine = [s for s in samples if s.kind == kind]
        done = [s.seconds for s in mine if isinstance(s.status, int) and 200 <= s.status < 300]
        print(f"  {kind:5s}: {len(mine)} requests, {len(mine) / (ended - began):.1f}/s, "
              f"statuses {dict(sorted(Counter(map(str, (s.status for s in mine))).items()))}")
        print(f"         2xx latency p50 {percentile(done, 0.5):.3f} s  p95 {percentile(done, 0.95):.3f} s  "
              f"p99 {percentile(done, 0.99):.3f} s  max {max(done, default=float('nan')):.3f} s")
    bad = [s for s in samples if not (isinstance(s.status, int) and (200 <= s.status < 300 or
           (s.status in (429, 503) and s.retry_after)))]
    writes = [s.seconds for s in samples if s.kind == "write" and s.status == 201]
    stall = longest_stall(samples, began, ended)
    slowest = max((s.seconds for s in samples), default=0.0)
    checks = [
        (f"only 2xx, 429 or 503 with Retry-After: {len(bad)} other", not bad),
        (f"p95 of a write <= {TARGET_WRITE_P95_S:g} s: {percentile(writes, 0.95):.3f} s",
         percentile(writes, 0.95) <= TARGET_WRITE_P95_S),
        (f"no stall longer than {TARGET_STALL_S:g} s: longest request {slowest:.3f} s, "
         f"longest time without a response {stall:.3f} s", slowest <= TARGET_STALL_S and stall <= TARGET_STALL_S),
    ]
    for text, passed in checks:
        print(f"  [{'ok' if passed else 'MISSED'}] {text}")
        ok = ok and passed
    return ok


def server_side(log: str) -> None:
    """Latency as the server measured it (AccessMiddleware's `ms`, arrival to last byte)."""
    by_route: dict[str, list[float]] = {}
    for line in log.splitlines():
        if '"message": "request"' not in line:
            continue
        entry = json.loads(line)
        key = f"{entry['method']} {entry['route']} {entry['status']}"
        by_route.setdefault(key, []).append(entry["ms"] / 1000)
    for key, values in sorted(by_route.items()):
        print(f"  server-side {key}: {len(values)}, p50 {percentile(values, 0.5):.3f} s, "
              f"p95 {percentile(values, 0.95):.3f} s, max {max(values):.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--writers", type=int, default=100)
    parser.add_argument("--askers", type=int, default=100)
    parser.add_argument("--accounts", type=int, default=31, help="learners (a class of 30 and one more)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--postgres-url", default=os.environ.get("PRECEPTEUR_TEST_POSTGRES_URL"))
    args = parser.parse_args()

    drop = None
    database_url = None
    if args.backend == "postgresql":
        if not args.postgres_url:
            raise SystemExit("set PRECEPTEUR_TEST_POSTGRES_URL or --postgres-url (bin/_postgres.sh starts one)")
        database_url, drop = scratch_postgres(args.postgres_url)
    with tempfile.TemporaryDirectory(prefix="precepteur-load-") as folder:
        home = Path(folder) / "home"
        home.mkdir()
        tokens = prepare(home, database_url, args.accounts)
        server = start_server(home, args.port, database_url=database_url)
        try:
            began = time.monotonic()
            samples = asyncio.run(run_load(args.port, tokens, args.writers, args.askers, args.seconds))
            ended = time.monotonic()
        finally:
            stop_server(server)
            log = (home / "serve.log").read_text(errors="replace")
            if drop:
                drop()
        crashes = log.count('"unhandled error"')
        print(f"server log: {crashes} unhandled errors")
        server_side(log)
        ok = report(samples, began, ended, args.backend) and crashes == 0
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
