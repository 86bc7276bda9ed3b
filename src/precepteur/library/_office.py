"""The zip-bomb check run before the DOCX and ODT readers (`_docx.py`, `_odt.py`) parse any XML.

Both formats are zip archives: before any XML is parsed, the declared sizes of the
members are checked (count, total, compression ratio); zipfile never inflates a member
beyond its declared size, so the check bounds the work.

Constants: MAX_ZIP_MEMBERS, MAX_UNZIPPED_BYTES, MAX_ZIP_RATIO, ZIP_RATIO_MIN_BYTES.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from .errors import DocumentError

MAX_ZIP_MEMBERS = 5_000
MAX_UNZIPPED_BYTES = 300 * 1024 * 1024
MAX_ZIP_RATIO = 100  # XML of real documents compresses 5-20 times
ZIP_RATIO_MIN_BYTES = 1024 * 1024  # small members may compress extremely well, harmlessly


def check_zip(path: Path, name: str, kind: str) -> None:
    """Refuse archives that are not zips or whose declared content would explode."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DocumentError("library.error.corrupt", name=name, kind=kind) from exc
    if len(members) > MAX_ZIP_MEMBERS:
        raise DocumentError("library.error.zip_bomb", name=name)
    if sum(m.file_size for m in members) > MAX_UNZIPPED_BYTES:
        raise DocumentError("library.error.zip_bomb", name=name)
    for member in members:
        if member.file_size > ZIP_RATIO_MIN_BYTES and member.file_size > MAX_ZIP_RATIO * max(1, member.compress_size):
            raise DocumentError("library.error.zip_bomb", name=name)
