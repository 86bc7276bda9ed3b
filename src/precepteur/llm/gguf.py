"""Reading a GGUF file's header without loading the model.

`read_gguf(path)` checks the magic bytes, parses the metadata key/values and the
tensor table, and checks that the file is long enough for every tensor, so a
missing, foreign or truncated file gets a one-line ModelError in milliseconds
instead of a crash inside llama.cpp. Arrays (the tokenizer's vocabulary) are
skipped, only their length is kept. Pure Python, no llama.cpp needed.

Limits: MAX_TENSORS, MAX_KEYS and MAX_STRING_BYTES bound what a hostile header
can make us allocate.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ..errors import ModelError

MAGIC = b"GGUF"
SUPPORTED_VERSIONS = (2, 3)
DEFAULT_ALIGNMENT = 32
MAX_TENSORS = 1_000_000
MAX_KEYS = 1_000_000
MAX_STRING_BYTES = 64 * 1024 * 1024

# GGUF metadata value types -> struct format (scalars only).
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9

# ggml tensor types -> (elements per block, bytes per block).
_BLOCKS = {
    0: (1, 4), 1: (1, 2), 2: (32, 18), 3: (32, 20), 6: (32, 22), 7: (32, 24), 8: (32, 34), 9: (32, 36),
    10: (256, 84), 11: (256, 110), 12: (256, 144), 13: (256, 176), 14: (256, 210), 15: (256, 292),
    16: (256, 66), 17: (256, 74), 18: (256, 98), 19: (256, 50), 20: (32, 18), 21: (256, 110),
    22: (256, 82), 23: (256, 136), 24: (1, 1), 25: (1, 2), 26: (1, 4), 27: (1, 8), 28: (1, 8),
    29: (256, 56), 30: (1, 2), 34: (256, 54), 35: (256, 66),
}

# llama.cpp `general.file_type` (LLAMA_FTYPE_*) -> the usual quantization name.
FILE_TYPES = {
    0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K",
    11: "Q3_K_S", 12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S",
    17: "Q5_K_M", 18: "Q6_K", 19: "IQ2_XXS", 20: "IQ2_XS", 21: "Q2_K_S", 22: "IQ3_XS",
    23: "IQ3_XXS", 24: "IQ1_S", 25: "IQ4_NL", 26: "IQ3_S", 27: "IQ3_M", 28: "IQ2_S", 29: "IQ2_M",
    30: "IQ4_XS", 31: "IQ1_M", 32: "BF16", 36: "TQ1_0", 37: "TQ2_0",
}


@dataclass
class GGUFHeader:
    """What a GGUF file says about itself."""

    path: Path
    version: int
    size_bytes: int
    metadata: dict[str, object] = field(default_factory=dict)
    n_tensors: int = 0
    n_params: int = 0
    data_end: int = 0

    @property
    def architecture(self) -> str:
        return str(self.metadata.get("general.architecture", "?"))

    @property
    def quantization(self) -> str:
        file_type = self.metadata.get("general.file_type")
        if isinstance(file_type, int):
            return FILE_TYPES.get(file_type, f"type {file_type}")
        return "?"

    @property
    def parameters(self) -> str:
        """The model's size label ("135M", "1.5B"), else the count from the tensor table."""
        label = self.metadata.get("general.size_label")
        if isinstance(label, str) and label.strip():
            return label.strip()
        return format_params(self.n_params)

    @property
    def chat_template(self) -> str | None:
        value = self.metadata.get("tokenizer.chat_template")
        return value if isinstance(value, str) else None


def format_params(n: int) -> str:
    if n <= 0:
        return "?"
    if n >= 1_000_000_000:
        return f"{n / 1e9:.1f}B".replace(".0B", "B")
    if n >= 1_000_000:
        return f"{round(n / 1e6)}M"
    if n >= 1_000:
        return f"{round(n / 1e3)}K"
    return str(n)


class _Reader:
    def __init__(self, handle: BinaryIO, size: int, path: Path):
        self.handle = handle
        self.size = size
        self.path = path

    def read(self, n: int) -> bytes:
        data = self.handle.read(n)
        if len(data) != n:
            raise ModelError("model.gguf_truncated", path=str(self.path))
        return data

    def unpack(self, fmt: str):
        return struct.unpack(fmt, self.read(struct.calcsize(fmt)))[0]

    def skip(self, n: int) -> None:
        if self.handle.tell() + n > self.size:
            raise ModelError("model.gguf_truncated", path=str(self.path))
        self.handle.seek(n, 1)

    def string_length(self) -> int:
        n = self.unpack("<Q")
        if n > MAX_STRING_BYTES:
            raise ModelError("model.gguf_corrupt", path=str(self.path))
        return n

    def string(self) -> str:
        return self.read(self.string_length()).decode("utf-8", errors="replace")

    def value(self, kind: int) -> object:
        if kind in _SCALARS:
            return self.unpack(_SCALARS[kind])
        if kind == _STRING:
            return self.string()
        if kind == _ARRAY:
            item_kind = self.unpack("<I")
            count = self.unpack("<Q")
            if item_kind in _SCALARS:
                self.skip(count * struct.calcsize(_SCALARS[item_kind]))
            elif item_kind == _STRING:
                for _ in range(count):
                    self.skip(self.string_length())
            else:
                for _ in range(count):
                    self.value(item_kind)
            return ("array", count)
        raise ModelError("model.gguf_corrupt", path=str(self.path))


def read_gguf(path: str | Path) -> GGUFHeader:
    """Parse and check the header of the GGUF at `path`, or raise a one-line ModelError."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise ModelError("model.file_missing", path=str(path))
    size = path.stat().st_size
    with path.open("rb") as handle:
        if handle.read(4) != MAGIC:
            raise ModelError("model.not_gguf", path=str(path))
        reader = _Reader(handle, size, path)
        version = reader.unpack("<I")
        if version not in SUPPORTED_VERSIONS:
            raise ModelError("model.gguf_version", path=str(path), version=version)
        n_tensors = reader.unpack("<Q")
        n_keys = reader.unpack("<Q")
        if n_tensors > MAX_TENSORS or n_keys > MAX_KEYS:
            raise ModelError("model.gguf_corrupt", path=str(path))
        header = GGUFHeader(path=path, version=version, size_bytes=size, n_tensors=n_tensors)
        for _ in range(n_keys):
            key = reader.string()
            header.metadata[key] = reader.value(reader.unpack("<I"))
        last_offset, last_bytes = 0, 0
        for _ in range(n_tensors):
            reader.skip(reader.string_length())
            n_dims = reader.unpack("<I")
            if n_dims > 8:
                raise ModelError("model.gguf_corrupt", path=str(path))
            elements = 1
            for _ in range(n_dims):
                elements *= reader.unpack("<Q")
            kind = reader.unpack("<I")
            offset = reader.unpack("<Q")
            header.n_params += elements
            if offset >= last_offset:
                per_block, block_bytes = _BLOCKS.get(kind, (1, 0))
                last_offset, last_bytes = offset, -(-elements // per_block) * block_bytes
        alignment = header.metadata.get("general.alignment", DEFAULT_ALIGNMENT)
        if not isinstance(alignment, int) or alignment <= 0:
            alignment = DEFAULT_ALIGNMENT
        data_start = -(-handle.tell() // alignment) * alignment
    header.data_end = data_start + last_offset + last_bytes
    if header.data_end > size:
        raise ModelError("model.gguf_truncated", path=str(path))
    return header
