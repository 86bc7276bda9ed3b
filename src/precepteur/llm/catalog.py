"""Which local models exist: the packs (installed or not) and the GGUFs added by hand.

Added models are recorded in `models_dir/registry.json` ({"models": {name: entry}});
`add_model` checks the file's GGUF header first, so a bad file gets a one-line
error and leaves the registry untouched. By default an added model is used where
it lies (its path is recorded); `copy=True` copies it into `models_dir` first.

Limits: NAME_PATTERN (what a model name may look like).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..config import Settings
from ..errors import InputError, ModelError
from ..i18n import t
from ._install import FILE_MODE, is_installed, write_json_atomic
from .base import ModelInfo
from .gguf import read_gguf
from .packs import PACKS

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
RESERVED_NAMES = {"scripted"}
REGISTRY_FILE = "registry.json"
OPENAI_PREFIX = "openai:"


@dataclass
class LocalModel:
    """A GGUF on this machine that a name resolves to."""

    name: str
    path: Path
    facts: ModelInfo


def registry_path(models_dir: Path) -> Path:
    return models_dir / REGISTRY_FILE


def load_registry(models_dir: Path) -> dict[str, dict]:
    """Added models by name (empty when nothing was added)."""
    path = registry_path(models_dir)
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        models = data["models"]
        if not isinstance(models, dict):
            raise TypeError
    except (OSError, ValueError, KeyError, TypeError):
        raise ModelError("model.registry_corrupt", path=str(path)) from None
    return models


def _added_info(name: str, entry: dict, lang: str | None) -> ModelInfo:
    path = Path(entry["path"])
    return ModelInfo(
        name=name,
        backend="llamacpp",
        parameters=entry.get("parameters", "?"),
        quantization=entry.get("quantization", "?"),
        licence=entry.get("licence", "?"),
        size_bytes=entry.get("size"),
        path=str(path),
        source=entry.get("source", "?"),
        languages=entry.get("languages", "?"),
        maturity=t("model.added.maturity", lang),
        installed=path.is_file(),
    )


def find_local(name: str, settings: Settings, lang: str | None = None) -> LocalModel | None:
    """The installed pack or added GGUF called `name`, or None."""
    models_dir = settings.models_dir
    pack = PACKS.get(name)
    if pack is not None:
        if is_installed(pack, models_dir):
            return LocalModel(name, pack.path(models_dir), pack.info(models_dir, True, lang))
        return None
    entry = load_registry(models_dir).get(name)
    if entry is None:
        return None
    return LocalModel(name, Path(entry["path"]), _added_info(name, entry, lang))


def list_models(settings: Settings, lang: str | None = None) -> list[ModelInfo]:
    """Every model this installation knows: `scripted`, the packs, the added GGUFs."""
    from .scripted import ScriptedModel

    models_dir = settings.models_dir
    infos = [ScriptedModel().info()]
    infos += [pack.info(models_dir, is_installed(pack, models_dir), lang) for pack in PACKS.values()]
    infos += [_added_info(name, entry, lang) for name, entry in sorted(load_registry(models_dir).items())]
    return infos


def check_name(name: str, models_dir: Path) -> None:
    """Raise InputError unless `name` is free and well-formed for a new model."""
    if not NAME_PATTERN.match(name) or name.startswith(OPENAI_PREFIX):
        raise InputError("model.name_invalid", name=name)
    if name in PACKS or name in RESERVED_NAMES or name in load_registry(models_dir):
        raise InputError("model.name_taken", name=name)


def add_model(
    settings: Settings,
    name: str,
    file: str | Path,
    *,
    licence: str | None = None,
    copy: bool = False,
) -> ModelInfo:
    """Register the GGUF `file` as model `name` (checked first; registry untouched on error)."""
    models_dir = settings.models_dir
    models_dir.mkdir(parents=True, exist_ok=True)
    check_name(name, models_dir)
    source = Path(file).expanduser().resolve()
    header = read_gguf(source)
    if header.chat_template is None:
        raise ModelError("model.no_chat_template", path=str(source))
    path = _copy_into(source, models_dir / f"{name}.gguf") if copy else source
    gguf_licence = header.metadata.get("general.license")
    entry = {
        "path": str(path),
        "copied": copy,
        "model": str(header.metadata.get("general.name", source.stem)),
        "architecture": header.architecture,
        "parameters": header.parameters,
        "n_params": header.n_params,
        "quantization": header.quantization,
        "licence": licence or (gguf_licence if isinstance(gguf_licence, str) else "?"),
        "size": header.size_bytes,
        "source": "file",
        "original_path": str(source),
        "added_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    registry = load_registry(models_dir)
    registry[name] = entry
    try:
        write_json_atomic(registry_path(models_dir), {"models": registry})
    except BaseException:
        if copy:
            path.unlink(missing_ok=True)
        raise
    return _added_info(name, entry, None)


def _copy_into(source: Path, target: Path) -> Path:
    """Copy `source` to `target` through a temp file in the same folder (never half-written)."""
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as handle:
            shutil.copyfileobj(handle, out, 4 * 1024 * 1024)
        if Path(tmp_name).stat().st_size != source.stat().st_size:
            raise ModelError("model.copy_failed", path=str(source))
        os.chmod(tmp_name, FILE_MODE)
        os.replace(tmp_name, target)
    except OSError as exc:
        Path(tmp_name).unlink(missing_ok=True)
        raise ModelError("model.copy_failed", path=str(source)) from exc
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return target
