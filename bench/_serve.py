"""A real `precepteur serve` for the benchmarks: started on loopback, waited for, stopped."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

READY_SECONDS = 60


def start_server(home: Path, port: int, **settings: str) -> subprocess.Popen:
    """`python -m precepteur serve` on 127.0.0.1:`port` with the scripted model; `settings` are
    extra PRECEPTEUR_* variables (database_url=...). Its log is `home/serve.log`."""
    env = {**os.environ, "PRECEPTEUR_HOME": str(home), "PRECEPTEUR_MODEL": "scripted",
           "PRECEPTEUR_SECRET_KEY": "bench-secret"}
    env.update({f"PRECEPTEUR_{name.upper()}": value for name, value in settings.items() if value})
    log = open(home / "serve.log", "wb")
    process = subprocess.Popen([sys.executable, "-m", "precepteur", "serve", "--port", str(port)],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit(f"serve did not start; see {home / 'serve.log'}")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(30)
