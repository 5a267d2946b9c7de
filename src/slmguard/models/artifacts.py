"""Artifact folders: safetensors files plus a sha256 manifest, verified on every load."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from slmguard.core.errors import ArtifactError

MANIFEST = "manifest.json"


@contextmanager
def building(out: Path) -> Iterator[Path]:
    """A private folder beside `out` that becomes `out` when the block ends without error.

    Cache entries (the converted base model, ONNX builds) are built by whichever process first
    needs them; two jobs started together must not write into one shared temporary folder. When
    another process put `out` in place first, its copy is kept and this one is dropped."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp"))
    try:
        yield tmp
        if not out.exists():
            try:
                tmp.replace(out)
            except OSError:
                if not out.exists():
                    raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_manifest(folder: Path) -> dict[str, str]:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST)
    hashes = {str(p.relative_to(folder)): sha256_file(p) for p in files}
    (folder / MANIFEST).write_text(json.dumps({"sha256": hashes}, indent=2) + "\n")
    return hashes


def verify_manifest(folder: Path) -> None:
    manifest = folder / MANIFEST
    if not manifest.is_file():
        raise ArtifactError(f"{folder}: no {MANIFEST}; refusing to load an unverified artifact")
    try:
        expected = json.loads(manifest.read_text())["sha256"]
        if not isinstance(expected, dict):
            raise TypeError("'sha256' is not a mapping")
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ArtifactError(f"{manifest}: unreadable manifest ({exc})") from None
    for name, digest in expected.items():
        path = folder / name
        if not path.is_file():
            raise ArtifactError(f"{folder}: file {name} listed in {MANIFEST} is missing")
        if sha256_file(path) != digest:
            raise ArtifactError(f"{folder}: sha256 of {name} does not match {MANIFEST}")
    for path in folder.rglob("*"):
        if path.is_file() and path.suffix.lower() in {".bin", ".pt", ".pth", ".pkl", ".pickle", ".joblib", ".ckpt"}:
            raise ArtifactError(f"{path}: pickle-based weight files are refused; use safetensors")
