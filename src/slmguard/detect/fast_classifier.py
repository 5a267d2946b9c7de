"""The fast detector: all-MiniLM-L6-v2 with LoRA adapters and a multi-label head.

Output 0 is the overall unsafe logit; outputs 1..K are the taxonomy hazards (a softmax over the
hazards: which hazard, given unsafe); then one logit per signal (jailbreak, harassment). A
response is judged in context: it is encoded as a pair `[CLS] prompt [SEP] response [SEP]`
(an empty prompt when there is none), so a refusal to a harmful prompt reads differently from
an answer to it.

Long inputs are scored in overlapping token windows at two scales, and the maximum over windows
is kept: nothing is truncated, and a harmful paragraph inside a long benign document fills
enough of a small window not to be diluted.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

import numpy as np

from slmguard.core.types import Backend, Example
from slmguard.detect.calibration import Platt, logit
from slmguard.models.artifacts import verify_manifest, write_manifest

if TYPE_CHECKING:
    from slmguard.detect.classifier_net import ClassifierNet
    from slmguard.models.onnx_runtime import OnnxNet

DETECTOR_CONFIG = "detector.json"
HEAD_FILE = "head.safetensors"
ADAPTER_DIR = "adapter"


@dataclass
class DetectorConfig:
    """Everything needed to rebuild the detector around its weights."""

    codes: list[str]
    base_model: str = "sentence-transformers/all-MiniLM-L6-v2"
    max_length: int = 128
    window_stride: int = 32  # tokens two neighbouring windows share
    # Texts longer than one window are also scored in windows of this many tokens (half overlapping).
    fine_window: int = 48
    # A response's prompt keeps at most this many tokens in the pair.
    context_tokens: int = 48
    signals: list[str] = field(default_factory=list)
    hazard_activation: str = "sigmoid"  # "softmax": hazard outputs are P(hazard | unsafe)
    signal_threshold: float = 0.5
    threshold: float = 0.5
    category_thresholds: dict[str, float] = field(default_factory=dict)
    calibration: dict[str, list[float]] = field(default_factory=dict)  # output -> [a, b]
    # Unused since custom policies are scored with the base encoder (detect/similarity.py); kept so
    # that older artifacts still load.
    similarity_calibration: list[float] = field(default_factory=list)
    model_id: str = "slmguard-minilm-detector"
    training: dict = field(default_factory=dict)

    def platt(self, output: str) -> Platt:
        a, b = self.calibration.get(output, (1.0, 0.0))
        return Platt(a, b)

    @property
    def outputs(self) -> list[str]:
        return ["unsafe", *self.codes, *self.signals]


@dataclass
class RawScores:
    """Per-text calibrated probabilities, each output's maximum over the text's windows."""

    probs: np.ndarray  # (n, 1 + K + S)


def example_context(example: Example) -> str | None:
    """What the detector reads beside an example's text: for a response, the prompt it answers ("" when
    unknown); for anything else, nothing."""
    return (example.context or "") if example.kind == "response" else None


def token_windows(ids: list[int], context: list[int] | None, config: DetectorConfig, cls_id: int,
                  sep_id: int) -> list[list[int]]:
    """Token windows of one text: [CLS] text [SEP], or [CLS] context [SEP] text [SEP] for a response
    (the context's last tokens: a prompt's request sits at its end). A text longer than one window
    gives overlapping windows of max_length and of fine_window tokens; the first window is what
    training sees."""
    prefix = [cls_id] if context is None else [cls_id, *context[-config.context_tokens:], sep_id]
    room = config.max_length - len(prefix) - 1
    if len(ids) <= room:
        return [prefix + ids + [sep_id]]
    out = []
    for size, overlap in ((room, config.window_stride), (min(config.fine_window, room), config.fine_window // 2)):
        step = max(size - overlap, 1)
        starts = list(range(0, len(ids) - size + 1, step))
        if starts[-1] + size < len(ids):
            starts.append(len(ids) - size)
        out += [prefix + ids[a:a + size] + [sep_id] for a in starts]
    return out


# An int8 score within this many logits of the threshold is re-scored in fp32. On 3,700 training-pool
# texts of every kind (250 per pool; `benchmarks/quantization_check.py --calibrate`) int8 moved the
# calibrated unsafe logit by 0.09 at the median, 0.45 at the 99th percentile and 0.78 at most.
INT8_MARGIN = 1.0

# A batch's longest window is at most this many times its shortest. Every row is padded to the
# longest; on ordinary prompts a wider spread (2) padded 1.32 tokens per real token against 1.1 here,
# and the extra, smaller batches cost less than the padding saved (about 10% faster in batches of 64).
LENGTH_SPREAD = 1.25


def length_batches(lengths: Sequence[int], batch_size: int) -> list[list[int]]:
    """Indices in batches of similar length: sorted by length, and a batch ends where the next
    window is longer than LENGTH_SPREAD times its first."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    for i in order:
        if not batches or len(batches[-1]) == batch_size or lengths[i] > LENGTH_SPREAD * lengths[batches[-1][0]]:
            batches.append([])
        batches[-1].append(i)
    return batches


def spread_over(batches: list[list[int]], workers: int, smallest: int = 8) -> list[list[int]]:
    """At least `workers` jobs where the batches allow: the largest is halved while there are fewer,
    down to `smallest` rows, so that one batch of similar texts still uses every worker."""
    jobs = list(batches)
    while len(jobs) < workers:
        big = max(range(len(jobs)), key=lambda i: len(jobs[i]), default=None)
        if big is None or len(jobs[big]) < 2 * smallest:
            break
        half = len(jobs[big]) // 2
        jobs[big:big + 1] = [jobs[big][:half], jobs[big][half:]]
    return jobs


class FastClassifier:
    """Inference wrapper: windows, batching and calibration. `Guard` turns its scores into Verdicts."""

    def __init__(self, net: "ClassifierNet | None", tokenizer, config: DetectorConfig,
                 onnx: "OnnxNet | None" = None, exact: "OnnxNet | None" = None) -> None:
        """`onnx`: the ONNX model that scores (int8 or fp32); `exact`: with an int8 `onnx`, the fp32
        model that re-scores the texts whose score is near the threshold (see INT8_MARGIN)."""
        if net is None and onnx is None:
            raise ValueError("FastClassifier needs the torch net or the ONNX model")
        self.net = net.eval() if net is not None else None
        self.tokenizer = tokenizer
        self.config = config
        self.model_id = config.model_id
        self.onnx, self.exact = onnx, exact
        self._platt = [config.platt(o) for o in config.outputs]
        self.workers = 1
        if onnx is not None:
            from slmguard.models.onnx_runtime import cpu_threads

            self.workers = cpu_threads()  # batches scored side by side (see OnnxNet)
        self._pool: tuple[int, ThreadPoolExecutor] | None = None

    @property
    def backend(self) -> Backend:
        if self.onnx is None:
            return Backend.TORCH
        return Backend.ONNX if self.exact is None else Backend.ONNX_INT8

    # ---- loading and saving -------------------------------------------------------------
    @classmethod
    def load(cls, folder: Path, encoder_path: Path | None = None, backend: Backend | str = Backend.ONNX_INT8,
             cache_dir: Path | None = None) -> "FastClassifier":
        """Load and verify an artifact. With an ONNX backend the merged model is built once into
        `cache_dir` (keyed by the artifact's manifest, the base encoder and the precision) and run by
        ONNX Runtime; once that file exists, loading needs neither torch nor transformers (the serving
        path)."""
        from slmguard.models.encoder import minilm_path

        folder, backend = Path(folder), Backend(backend)
        verify_manifest(folder)
        config = DetectorConfig(**json.loads((folder / DETECTOR_CONFIG).read_text()))
        if backend is Backend.TORCH:
            from slmguard.detect.classifier_net import build_net
            from slmguard.models.encoder import load_tokenizer

            return cls(build_net(folder, config, encoder_path), load_tokenizer(encoder_path), config)
        from slmguard.models.onnx_runtime import OnnxNet, quantize_int8
        from slmguard.models.tokenizer import RuntimeTokenizer

        path = onnx_path(folder, encoder_path, cache_dir)
        if not path.is_file():
            _build_onnx(folder, config, encoder_path, path)
        tokenizer = RuntimeTokenizer(encoder_path or minilm_path())
        if backend is Backend.ONNX:
            return cls(None, tokenizer, config, OnnxNet(path))
        int8 = quantize_int8(path, path.with_name(path.stem + "-int8.onnx"))
        return cls(None, tokenizer, config, OnnxNet(int8), exact=OnnxNet(path))

    @staticmethod
    def save(folder: Path, net: "ClassifierNet", config: DetectorConfig, encoder_path: Path | None = None) -> None:
        from safetensors.torch import save_file

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        encoder = net.encoder
        if hasattr(encoder, "save_pretrained") and hasattr(encoder, "peft_config"):
            encoder.save_pretrained(str(folder / ADAPTER_DIR), safe_serialization=True)
        save_file({k: v.detach().contiguous() for k, v in net.head.state_dict().items()}, str(folder / HEAD_FILE))
        (folder / DETECTOR_CONFIG).write_text(json.dumps(asdict(config), indent=2) + "\n")
        for stray in (folder / ADAPTER_DIR).glob("README.md"):
            stray.unlink()  # peft writes a model card template; it is not part of the artifact
        from slmguard.detect.classifier_net import write_graph

        write_graph(folder, config, encoder_path)
        write_manifest(folder)

    # ---- scoring -------------------------------------------------------------------------
    def _windows(self, ids: list[int], context: list[int] | None) -> list[list[int]]:
        return token_windows(ids, context, self.config, self.tokenizer.cls_token_id, self.tokenizer.sep_token_id)

    def _forward(self, windows: Sequence[list[int]], exact: bool = False) -> np.ndarray:
        """Logits for a batch of token windows; `exact`: from the fp32 model behind an int8 one."""
        net = self.exact if exact else self.onnx
        width = max(len(w) for w in windows)
        input_ids = np.full((len(windows), width), self.tokenizer.pad_token_id, dtype=np.int64)
        mask = np.zeros((len(windows), width), dtype=np.int64)
        for r, w in enumerate(windows):
            input_ids[r, :len(w)], mask[r, :len(w)] = w, 1
        if net is not None:
            return net(input_ids, mask)[0]
        import torch

        with torch.inference_mode():
            return self.net(torch.from_numpy(input_ids), torch.from_numpy(mask))[0].float().numpy()

    def probabilities(self, logits: np.ndarray) -> np.ndarray:
        """Calibrated probabilities per output; with a softmax hazard head the hazard columns are
        P(unsafe and hazard) = P(unsafe) * P(hazard | unsafe)."""
        probs = np.stack([p.apply(logits[:, j]) for j, p in enumerate(self._platt)], axis=1)
        if self.config.hazard_activation == "softmax" and self.config.codes:
            k = len(self.config.codes)
            z = logits[:, 1:1 + k] - logits[:, 1:1 + k].max(axis=1, keepdims=True)
            conditional = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
            probs[:, 1:1 + k] = probs[:, :1] * conditional
        return probs

    def _tokenize(self, texts: Sequence[str]) -> list[list[int]]:
        # verbose=False: the "longer than the maximum sequence length" warning does not apply, the
        # text is cut into windows after this.
        return self.tokenizer(list(texts), add_special_tokens=False, truncation=False,
                              verbose=False)["input_ids"] if texts else []

    def raw_scores(self, texts: Sequence[str], batch_size: int = 64,
                   contexts: Sequence[str | None] | None = None, threshold: float | None = None) -> RawScores:
        """Calibrated probabilities per output, max over windows; texts must be normalised.
        `contexts[i]` not None marks text i as a response to that prompt ("" when unknown). With an
        int8 model and a `threshold`, the texts whose unsafe score is within INT8_MARGIN of it are
        scored again in fp32, so that quantisation does not decide a verdict."""
        windows, owner = self._windows_of(texts, contexts)
        probs = self._max_over_windows(windows, owner, len(texts), batch_size)
        if self.exact is not None and threshold is not None and len(texts):
            near = np.flatnonzero(np.abs(logit(probs[:, 0]) - logit(threshold)) < INT8_MARGIN)
            if near.size:
                slot = {int(t): r for r, t in enumerate(near)}
                picked = [w for w, o in enumerate(owner) if o in slot]
                probs[near] = self._max_over_windows([windows[w] for w in picked], [slot[owner[w]] for w in picked],
                                                     near.size, batch_size, exact=True)
        return RawScores(probs)

    def _windows_of(self, texts: Sequence[str], contexts: Sequence[str | None] | None) -> tuple[list, list[int]]:
        """Every text's token windows, and the text each window belongs to."""
        contexts = list(contexts) if contexts is not None else [None] * len(texts)
        ids = self._tokenize(texts)
        # A conversation's views share one context: each distinct prompt is tokenized once, in one call.
        distinct = list(dict.fromkeys(c for c in contexts if c))
        ctx_ids = dict(zip(distinct, self._tokenize(distinct)))
        windows, owner = [], []
        for i, text_ids in enumerate(ids):
            context = None if contexts[i] is None else ctx_ids.get(contexts[i], [])
            for w in self._windows(text_ids, context):
                windows.append(w)
                owner.append(i)
        return windows, owner

    def _max_over_windows(self, windows: list[list[int]], owner: list[int], n: int, batch_size: int,
                          exact: bool = False) -> np.ndarray:
        probs = np.zeros((n, len(self.config.outputs)))
        jobs = spread_over(length_batches([len(w) for w in windows], batch_size), self.workers)
        logits = self._map(lambda job: self._forward([windows[w] for w in job], exact), jobs)
        for job, job_logits in zip(jobs, logits):
            window_probs = self.probabilities(job_logits)
            for r, w in enumerate(job):
                probs[owner[w]] = np.maximum(probs[owner[w]], window_probs[r])
        return probs

    def _map(self, fn, jobs: list) -> Iterable:
        if self.workers < 2 or len(jobs) < 2:
            return map(fn, jobs)
        # A pool made before a fork has no threads in the child (a forking server's workers).
        if self._pool is None or self._pool[0] != os.getpid():
            self._pool = (os.getpid(), ThreadPoolExecutor(self.workers, thread_name_prefix="slmguard-detector"))
        return self._pool[1].map(fn, jobs)


def onnx_path(folder: Path, encoder_path: Path | None, cache_dir: Path | None) -> Path:
    """Where the merged detector's ONNX export is cached: keyed by the artifact's manifest and the encoder."""
    from slmguard.core.config import Settings
    from slmguard.models.artifacts import MANIFEST
    from slmguard.models.onnx_runtime import cache_key

    key = cache_key((folder / MANIFEST).read_text(), str(encoder_path or "packaged-minilm"), "onnx-export-v2")
    return Path(cache_dir or Settings.resolve().cache_dir) / "onnx" / f"detector-{key}.onnx"


def _build_onnx(folder: Path, config: DetectorConfig, encoder_path: Path | None, path: Path) -> None:
    """The ONNX model from the shipped weight-free graph and safetensors (no torch), or, for an
    artifact without a graph, a torch export."""
    from slmguard.models.encoder import minilm_path
    from slmguard.models.onnx_graph import GRAPH_FILE, build_model, merged_weights

    if (folder / GRAPH_FILE).is_file():
        state = merged_weights(Path(encoder_path or minilm_path()), folder / ADAPTER_DIR, folder / HEAD_FILE)
        build_model(folder, state, path)
        return
    from slmguard.detect.classifier_net import build_net
    from slmguard.models.encoder import load_tokenizer
    from slmguard.models.onnx_runtime import export_onnx

    export_onnx(build_net(folder, config, encoder_path), load_tokenizer(encoder_path), path)
