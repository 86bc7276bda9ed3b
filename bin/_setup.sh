#!/usr/bin/env bash
# Shared by bin/serve and bin/test: create .venv and install Précepteur into it.
# Usage: source bin/_setup.sh [extras]   (extras: "" or "test")
# llama-cpp-python has no binary wheel on the registry: the first install builds it
# from source (about 8 minutes on 2 cores); pip caches the wheel for next time.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${PRECEPTEUR_VENV:-$ROOT/.venv}"
EXTRAS="${1:-}"

python_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; }
PY="${PYTHON:-python3}"
if ! python_ok "$PY"; then
  echo "Précepteur needs Python 3.11 or newer (found: $("$PY" --version 2>&1))." >&2
  exit 1
fi
if ! "$PY" -c 'import venv, ensurepip' 2>/dev/null; then
  echo "Installing python3-venv (Debian)…" >&2
  apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
fi
if [ ! -x "$VENV/bin/python" ]; then
  echo "Creating the virtual environment in $VENV…" >&2
  "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
fi
# Compilers for llama.cpp (C/C++ and CMake) if the machine lacks them.
if ! command -v g++ >/dev/null || ! command -v cmake >/dev/null; then
  echo "Installing build tools (Debian: build-essential, cmake)…" >&2
  apt-get update -qq && apt-get install -y -qq build-essential cmake >/dev/null
fi
SPEC="$ROOT"
[ -n "$EXTRAS" ] && SPEC="$ROOT[$EXTRAS]"
if ! "$VENV/bin/python" -c 'import llama_cpp' 2>/dev/null; then
  echo "Building llama-cpp-python from source (about 8 minutes the first time)…" >&2
fi
CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" "$VENV/bin/pip" install -q --progress-bar off -e "$SPEC"
export PATH="$VENV/bin:$PATH"
