"""Deterministic zip files: the same inputs give the same bytes, and are not compressed twice.

Used by the chapters' downloads (bundle.write_chapter_bundle) and the build's source and data
archives (_ext/source_archive.py). No pandas here: the build's own process imports this module.
"""
from __future__ import annotations

import filecmp
import hashlib
import os
import zipfile
from collections.abc import Mapping
from pathlib import Path

__all__ = ["inputs_digest", "write_zip"]

ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def write_zip(target: Path, files: Mapping[str, bytes | Path]) -> Path:
    """Write `files` (name in the archive -> bytes, or a file to copy) to `target`, the same
    bytes every time: entries sorted, timestamps 1980-01-01, permissions from the executable bit only.
    An existing `target` with those bytes already is left untouched, so its modification time says
    when its content last changed (Sphinx rebuilds every page that links a newer file).

    Its inputs (each name, with its bytes' sha256 or its file's path, size, modification time
    and executable bit) are recorded beside it in <target>.inputs; when they are the same as last
    time, the zip is not compressed again. A rebuild with nothing changed then skips the source
    archive, the data archive and the chapters' downloads (a second and a half)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    stamp = target.with_name(target.name + ".inputs")
    inputs = inputs_digest(files)
    if target.is_file() and stamp.is_file() and stamp.read_text(encoding="utf-8") == inputs:
        return target
    partial = target.with_name(target.name + ".partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for name in sorted(files):
            content = files[name]
            executable = isinstance(content, Path) and os.access(content, os.X_OK)
            data = content.read_bytes() if isinstance(content, Path) else content
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the permissions below are read
            info.external_attr = (0o100755 if executable else 0o100644) << 16
            archive.writestr(info, data, compresslevel=9)
    if target.is_file() and filecmp.cmp(partial, target, shallow=False):
        partial.unlink()
    else:
        os.replace(partial, target)
    stamp.write_text(inputs, encoding="utf-8")
    return target


def inputs_digest(files: Mapping[str, bytes | Path]) -> str:
    """A digest of `files` (name -> bytes, or a file): each name with its bytes' sha256, or its
    file's path, size, modification time and executable bit (make's notion of changed)."""
    digest = hashlib.sha256()
    for name in sorted(files):
        content = files[name]
        if isinstance(content, Path):
            status = content.stat()
            described = f"file {content.resolve()} {status.st_size} {status.st_mtime_ns} {os.access(content, os.X_OK)}"
        else:
            described = f"bytes {hashlib.sha256(content).hexdigest()}"
        digest.update(f"{name}\0{described}\n".encode("utf-8"))
    return digest.hexdigest()
