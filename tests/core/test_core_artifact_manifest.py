"""models/artifacts.py: sha256 manifests written on save and verified on load."""

import json

import pytest

from slmguard.core.errors import ArtifactError
from slmguard.models.artifacts import MANIFEST, sha256_file, verify_manifest, write_manifest


@pytest.fixture
def artifact(tmp_path):
    folder = tmp_path / "model"
    (folder / "tokenizer").mkdir(parents=True)
    (folder / "model.safetensors").write_bytes(b"\x00weights\x01" * 100)
    (folder / "config.json").write_text('{"dim": 4}')
    (folder / "tokenizer" / "vocab.txt").write_text("a\nb\n")
    return folder


def test_write_manifest_hashes_every_file_but_itself(artifact):
    hashes = write_manifest(artifact)
    assert set(hashes) == {"model.safetensors", "config.json", "tokenizer/vocab.txt"}
    assert hashes["config.json"] == sha256_file(artifact / "config.json")
    assert json.loads((artifact / MANIFEST).read_text()) == {"sha256": hashes}
    # writing again does not hash the old manifest
    assert write_manifest(artifact) == hashes


def test_sha256_file_matches_hashlib(tmp_path):
    import hashlib

    path = tmp_path / "f"
    path.write_bytes(b"abc" * (1 << 19))  # spans more than one 1 MiB chunk
    assert sha256_file(path) == hashlib.sha256(b"abc" * (1 << 19)).hexdigest()


def test_untouched_artifact_verifies(artifact):
    write_manifest(artifact)
    verify_manifest(artifact)


def test_tampered_file_is_refused(artifact):
    write_manifest(artifact)
    data = bytearray((artifact / "model.safetensors").read_bytes())
    data[3] ^= 0xFF
    (artifact / "model.safetensors").write_bytes(bytes(data))
    with pytest.raises(ArtifactError, match="model.safetensors does not match"):
        verify_manifest(artifact)


def test_tampered_nested_file_is_refused(artifact):
    write_manifest(artifact)
    (artifact / "tokenizer" / "vocab.txt").write_text("a\nc\n")
    with pytest.raises(ArtifactError, match="vocab.txt"):
        verify_manifest(artifact)


def test_missing_file_is_refused(artifact):
    write_manifest(artifact)
    (artifact / "config.json").unlink()
    with pytest.raises(ArtifactError, match="config.json listed in manifest.json is missing"):
        verify_manifest(artifact)


def test_missing_manifest_is_refused(artifact):
    with pytest.raises(ArtifactError, match="no manifest.json"):
        verify_manifest(artifact)


@pytest.mark.parametrize("name", ["pytorch_model.bin", "weights.pt", "head.pkl", "sub/extra.ckpt"])
def test_pickle_weight_files_are_refused_even_when_listed(artifact, name):
    path = artifact / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(b"pickle")
    write_manifest(artifact)  # listed with a correct hash: still refused
    with pytest.raises(ArtifactError, match="pickle-based"):
        verify_manifest(artifact)


def test_pickle_file_added_after_the_manifest_is_refused(artifact):
    write_manifest(artifact)
    (artifact / "pytorch_model.bin").write_bytes(b"pickle")
    with pytest.raises(ArtifactError, match="pytorch_model.bin"):
        verify_manifest(artifact)


@pytest.mark.parametrize("content", ["{not json", "{}"])
def test_corrupt_manifest_is_an_artifact_error(artifact, content):
    (artifact / MANIFEST).write_text(content)
    with pytest.raises(ArtifactError):
        verify_manifest(artifact)


def test_upper_case_pickle_suffix_is_refused(artifact):
    (artifact / "PYTORCH_MODEL.BIN").write_bytes(b"pickle")
    write_manifest(artifact)
    with pytest.raises(ArtifactError, match="pickle-based"):
        verify_manifest(artifact)
