"""Test helpers for the model layer: tiny GGUF files and wheels built in tmp."""

from __future__ import annotations

import hashlib
import os
import struct
import zipfile
from pathlib import Path

from precepteur.llm.packs import Pack, PackPart

CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


def _gguf_string(text: str) -> bytes:
    data = text.encode("utf-8")
    return struct.pack("<Q", len(data)) + data


def gguf_bytes(metadata: dict, tensors: list[tuple[str, tuple[int, ...], int, bytes]], alignment: int = 32) -> bytes:
    """A GGUF v3 file: metadata (str, int, float, list of str) and tensors (name, dims, ggml type, data)."""
    out = bytearray(b"GGUF") + struct.pack("<IQQ", 3, len(tensors), len(metadata))
    for key, value in metadata.items():
        out += _gguf_string(key)
        if isinstance(value, str):
            out += struct.pack("<I", 8) + _gguf_string(value)
        elif isinstance(value, bool):
            out += struct.pack("<I?", 7, value)
        elif isinstance(value, int):
            out += struct.pack("<II", 4, value)
        elif isinstance(value, float):
            out += struct.pack("<If", 6, value)
        else:
            out += struct.pack("<IIQ", 9, 8, len(value)) + b"".join(_gguf_string(v) for v in value)
    offset = 0
    blobs = []
    for name, dims, kind, data in tensors:
        out += _gguf_string(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
        out += struct.pack("<IQ", kind, offset)
        padded = data + b"\0" * (-len(data) % alignment)
        blobs.append(padded)
        offset += len(padded)
    out += b"\0" * (-len(out) % alignment)
    return bytes(out) + b"".join(blobs)


TINY_METADATA = {
    "general.architecture": "llama",
    "general.name": "Tiny Test",
    "general.file_type": 0,
    "general.license": "mit",
    "tokenizer.ggml.tokens": ["a", "b", "c"],
    "tokenizer.chat_template": CHAT_TEMPLATE,
}
# 16 + 8 float32 elements: 24 parameters, data ends exactly at the end of the file.
TINY_TENSORS = [("w", (4, 4), 0, bytes(64)), ("b", (8,), 0, bytes(32))]


def build_wheel(folder: Path, project: str, version: str, files: dict[str, bytes]) -> Path:
    """A minimal valid wheel that pip can download from a --find-links folder."""
    module = project.replace("-", "_")
    info = f"{module}-{version}.dist-info"
    path = folder / f"{module}-{version}-py3-none-any.whl"
    members = dict(files)
    members[f"{module}/__init__.py"] = b""
    members[f"{info}/METADATA"] = f"Metadata-Version: 2.1\nName: {project}\nVersion: {version}\n".encode()
    members[f"{info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    members[f"{info}/top_level.txt"] = f"{module}\n".encode()
    record = "".join(f"{name},,\n" for name in members) + f"{info}/RECORD,,\n"
    members[f"{info}/RECORD"] = record.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


FAKE_PARTS = [b"GGUF" + bytes(range(256)) * 3, bytes(reversed(range(256))) * 2, b"the end"]
FAKE_VERSION = "1.0"


def fake_pack(parts: list[bytes] = FAKE_PARTS, name: str = "tiny-pack") -> Pack:
    """A pack pinned to the bytes of `parts` joined, served by wheels `precepteur-fake-partN`."""
    joined = b"".join(parts)
    return Pack(
        name=name,
        filename=f"{name}.gguf",
        parts=tuple(
            PackPart(f"precepteur-fake-part{i}=={FAKE_VERSION}", f"precepteur_fake_part{i}/data/part{i:02d}.bin")
            for i in range(1, len(parts) + 1)
        ),
        size=len(joined),
        sha256=hashlib.sha256(joined).hexdigest(),
        model="Tiny",
        parameters="24",
        quantization="F32",
        licence="MIT",
        source="test wheels",
    )


def write_fake_wheels(folder: Path, parts: list[bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, data in enumerate(parts, 1):
        build_wheel(folder, f"precepteur-fake-part{i}", FAKE_VERSION, {f"precepteur_fake_part{i}/data/part{i:02d}.bin": data})
    return folder


def shared_models_dir() -> Path:
    """Where CI keeps the SmolLM2 pack between runs (installed once)."""
    configured = os.environ.get("PRECEPTEUR_TEST_MODELS")
    return Path(configured) if configured else Path.home() / ".cache" / "precepteur-test" / "models"
