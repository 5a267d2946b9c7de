"""Cache folders built by two processes at once (two `slmguard align` jobs started together both
convert the base model on first use)."""

from __future__ import annotations

import multiprocessing as mp
import time
from pathlib import Path

import pytest

from slmguard.core.files import building


def _build(out: str, tag: str) -> None:
    with building(Path(out)) as tmp:
        (tmp / "a.txt").write_text(tag)
        time.sleep(0.3)  # both builders are inside the block at the same time
        (tmp / "b.txt").write_text(tag)


def test_two_processes_building_one_folder_both_succeed(tmp_path):
    out = tmp_path / "cache" / "model"
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_build, args=(str(out), tag)) for tag in ("first", "second")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    # one builder's folder, whole: never a mix of the two
    assert (out / "a.txt").read_text() == (out / "b.txt").read_text()
    assert sorted(p.name for p in out.parent.iterdir()) == ["model"]


def test_a_failed_build_leaves_nothing(tmp_path):
    out = tmp_path / "model"
    with pytest.raises(RuntimeError):
        with building(out) as tmp:
            (tmp / "part.txt").write_text("half")
            raise RuntimeError("stopped")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []
