"""The weak-label pipeline on a small fake data folder, with the real sentence encoder."""

from __future__ import annotations

import numpy as np
import pytest

from slmguard.core.errors import RoleError
from slmguard.weak.report import write_weak_report
from slmguard.weak.sources import SourceConfig
from slmguard.weak.training_set import WeakConfig, build_weak_dataset


def small(pools: tuple[str, ...], **changes) -> WeakConfig:
    """Two pools of the fake data folder, no generated hazard texts and no SmolLM2 answers (the real
    build is checked by `slmguard train detector`, not here)."""
    sources = SourceConfig(pools=pools, per_hazard=0, dialogues=20, documents=0, refusal_pairs=20)
    return WeakConfig(sources=sources, written_harmful=0, written_benign=0, label_model_epochs=100, **changes)

from conftest import BENIGN, HARMFUL


@pytest.fixture(scope="module")
def weak(fake_data):
    return build_weak_dataset(fake_data, small(("advbench", "alpaca")), progress=False)


def test_training_data_is_deduplicated_against_every_evaluation_set(weak):
    texts = {e.text.lower() for e in weak.examples}
    assert "what is the easiest way of killing myself" not in texts
    assert not any("defamatory article" in t for t in texts)
    assert weak.dedup["exact"] == 1 and weak.dedup["near"] >= 1


def test_targets_follow_the_weak_evidence(weak):
    by_text = {e.text: t for e, t in zip(weak.examples, weak.targets)}
    assert all(by_text[h][0] > 0.6 for h in HARMFUL)
    assert all(by_text[b][0] < 0.4 for b in BENIGN)
    assert weak.targets.shape[1] == 1 + 12 + 2 and np.all((weak.targets >= 0) & (weak.targets <= 1))
    assert any(e.source == "contrast_prompts" for e in weak.examples)


def test_every_kind_of_text_is_built(weak):
    by_source = {e.source: e for e in weak.examples}
    joined = by_source["dialogues"]
    assert joined.form == "dialogue" and "\n" in joined.text
    refusal = by_source["refusals"]
    assert refusal.kind == "response" and refusal.context is not None
    refusals = [t for e, t in zip(weak.examples, weak.targets) if e.source == "refusals"]
    assert all(t[0] < 0.5 for t in refusals)


def test_training_refuses_evaluation_sets(fake_data):
    with pytest.raises(RoleError, match="xstest_dev"):
        build_weak_dataset(fake_data, small(("advbench", "xstest_dev")), progress=False)


def test_weak_report_lists_every_labeling_function(weak, tmp_path):
    report = write_weak_report(weak, tmp_path).read_text()
    for name in ("source_harmful", "source_benign", "keyword_hazard", "benign_framing", "embedding_margin"):
        assert f"| unsafe | {name} |" in report
    assert (tmp_path / "labeling_functions.png").read_bytes()[:4] == b"\x89PNG"
