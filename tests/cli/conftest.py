"""Fixtures for CLI tests: a fresh PRECEPTEUR_HOME, a CliRunner call, and tiny GGUF files."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from precepteur.cli import main

CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


def _string(text: str) -> bytes:
    data = text.encode("utf-8")
    return struct.pack("<Q", len(data)) + data


def tiny_gguf_bytes() -> bytes:
    """A well-formed GGUF v3 (string metadata, one 16-float tensor) whose data ends the file."""
    metadata = {"general.architecture": "llama", "general.name": "Tiny CLI", "tokenizer.chat_template": CHAT_TEMPLATE}
    out = bytearray(b"GGUF") + struct.pack("<IQQ", 3, 1, len(metadata))
    for key, value in metadata.items():
        out += _string(key) + struct.pack("<I", 8) + _string(value)
    out += _string("w") + struct.pack("<I", 1) + struct.pack("<Q", 16) + struct.pack("<IQ", 0, 0)
    out += b"\0" * (-len(out) % 32)
    return bytes(out) + bytes(64)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh PRECEPTEUR_HOME; no model, server or language settings leak in from the environment."""
    path = tmp_path / "home"
    monkeypatch.setenv("PRECEPTEUR_HOME", str(path))
    for name in ("PRECEPTEUR_MODEL", "PRECEPTEUR_OPENAI_BASE_URL", "PRECEPTEUR_OPENAI_MODEL", "PRECEPTEUR_LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    return path


@pytest.fixture
def cli():
    """Run `precepteur ARGS...` in process; stdout and stderr are kept apart."""

    def run(*args: str) -> Result:
        try:
            runner = CliRunner(mix_stderr=False)
        except TypeError:  # click >= 8.2 always keeps them apart
            runner = CliRunner()
        return runner.invoke(main, list(args))

    return run


@pytest.fixture
def tiny_gguf(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.gguf"
    path.write_bytes(tiny_gguf_bytes())
    return path
