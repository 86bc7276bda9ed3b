#!/usr/bin/env bash
# Shared by bin/serve and bin/test: create .venv and install Précepteur into it.
# Usage: source bin/_setup.sh [extras]   (extras: "" or "test")
# llama-cpp-python has no binary wheel on the registry: the first install builds it
# from source (about 8 minutes on 2 cores) and keeps the wheel for next time (see below).
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
# llama.cpp is built for the x86-64 instructions every PC of the last ten years has (AVX2, FMA,
# F16C), not with -march=native: on a Xeon with AMX, the native build's AMX matrix kernel
# crashed on the first token (segmentation fault in ggml_backend_amx_mul_mat, llama-cpp-python
# 0.3.36), and a wheel built for one machine's CPU may not run on another. The wheel is kept in
# a cache folder named after the version and the build flags, so that changing either builds
# it again (pip's own cache would hand back a wheel built with other flags).
# PRECEPTEUR_LLAMA_CMAKE_ARGS overrides the flags (e.g. "-DGGML_NATIVE=ON", "-DGGML_CUDA=on").
LLAMA_VERSION="0.3.36"
if [ "$(uname -m)" = "x86_64" ]; then
  LLAMA_ARGS_DEFAULT="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"
else
  LLAMA_ARGS_DEFAULT=""
fi
LLAMA_ARGS="${PRECEPTEUR_LLAMA_CMAKE_ARGS:-$LLAMA_ARGS_DEFAULT}"
LLAMA_WHEELS="${XDG_CACHE_HOME:-$HOME/.cache}/precepteur/wheels/llama-$LLAMA_VERSION-$(printf '%s' "$LLAMA_ARGS" | sha1sum | cut -c1-10)"
if ! "$VENV/bin/python" -c 'import llama_cpp' 2>/dev/null; then
  if ! ls "$LLAMA_WHEELS"/llama_cpp_python-*.whl >/dev/null 2>&1; then
    echo "Building llama-cpp-python $LLAMA_VERSION from source (about 8 minutes the first time)…" >&2
    mkdir -p "$LLAMA_WHEELS"
    CMAKE_ARGS="$LLAMA_ARGS" CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" "$VENV/bin/pip" wheel -q --progress-bar off \
      --no-cache-dir --no-deps -w "$LLAMA_WHEELS" "llama-cpp-python==$LLAMA_VERSION"
  fi
  "$VENV/bin/pip" install -q --progress-bar off "$LLAMA_WHEELS"/llama_cpp_python-*.whl
fi
"$VENV/bin/pip" install -q --progress-bar off -e "$SPEC"
export PATH="$VENV/bin:$PATH"
