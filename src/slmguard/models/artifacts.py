"""Artifact folders: safetensors files plus a sha256 manifest, verified on every load."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from slmguard.core.errors import ArtifactError

MANIFEST = "manifest.json"


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
