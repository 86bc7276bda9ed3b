"""GGUF header checks: real metadata out, one-line errors for missing, foreign and truncated files."""

from __future__ import annotations

import struct

import pytest

from precepteur.errors import ModelError
from precepteur.llm.gguf import format_params, read_gguf

from llm_fixtures import CHAT_TEMPLATE, TINY_METADATA, TINY_TENSORS, gguf_bytes


def test_reads_metadata_and_counts_parameters(tiny_gguf):
    header = read_gguf(tiny_gguf)
    assert header.version == 3
    assert header.architecture == "llama"
    assert header.quantization == "F32"
    assert header.n_tensors == 2
    assert header.n_params == 24
    assert header.parameters == "24"
    assert header.chat_template == CHAT_TEMPLATE
    assert header.metadata["tokenizer.ggml.tokens"] == ("array", 3)
    assert header.data_end == header.size_bytes == tiny_gguf.stat().st_size


def test_size_label_wins_over_the_tensor_count(tmp_path):
    path = tmp_path / "labelled.gguf"
    path.write_bytes(gguf_bytes({**TINY_METADATA, "general.size_label": "1.5B", "general.file_type": 15}, TINY_TENSORS))
    header = read_gguf(path)
    assert (header.parameters, header.quantization) == ("1.5B", "Q4_K_M")


def test_missing_file(tmp_path):
    with pytest.raises(ModelError) as caught:
        read_gguf(tmp_path / "absent.gguf")
    assert caught.value.key == "model.file_missing"
    assert str(caught.value) == f"fichier de modèle introuvable : {tmp_path / 'absent.gguf'}"


def test_not_a_gguf(tmp_path):
    path = tmp_path / "notes.gguf"
    path.write_text("hello, I am text\n")
    with pytest.raises(ModelError) as caught:
        read_gguf(path)
    assert caught.value.key == "model.not_gguf"
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("cut", [1, 40, 200])
def test_truncated_file(tiny_gguf, tmp_path, cut):
    data = tiny_gguf.read_bytes()
    path = tmp_path / "cut.gguf"
    path.write_bytes(data[: len(data) - cut])
    with pytest.raises(ModelError) as caught:
        read_gguf(path)
    assert caught.value.key == "model.gguf_truncated"


def test_unsupported_version(tmp_path):
    path = tmp_path / "v9.gguf"
    path.write_bytes(b"GGUF" + struct.pack("<IQQ", 9, 0, 0))
    with pytest.raises(ModelError) as caught:
        read_gguf(path)
    assert caught.value.key == "model.gguf_version"
    assert caught.value.params["version"] == 9


def test_absurd_counts_are_corrupt_not_allocated(tmp_path):
    path = tmp_path / "huge.gguf"
    path.write_bytes(b"GGUF" + struct.pack("<IQQ", 3, 2**40, 0))
    with pytest.raises(ModelError) as caught:
        read_gguf(path)
    assert caught.value.key == "model.gguf_corrupt"


@pytest.mark.parametrize(("n", "label"), [(0, "?"), (24, "24"), (135_000_000, "135M"), (1_543_714_304, "1.5B"), (7_000_000_000, "7B")])
def test_format_params(n, label):
    assert format_params(n) == label
