"""Speed and memory of the shipped detector on this machine (not a test: machines are noisy).

Prints prompts/s in batches of 64, p50/p95 single-prompt latency, load time and peak RSS of a
runtime-only process (no torch), and, on the same prompts in the same run, how fast plain
sentence-transformers all-MiniLM-L6-v2 *encodes* them (in a child process, so its memory does not
count here), with the ratio. Prompts: ordinary instructions from the Alpaca training pool (or
--file, one text per line).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def load_prompts(path: Path | None, n: int) -> list[str]:
    if path:
        return [line.strip() for line in path.read_text().splitlines() if line.strip()][:n]
    from slmguard.core.config import Settings
    from slmguard.data import load

    examples = load("alpaca", Settings.resolve().require_data_dir(), purpose="training").examples
    return [e.text for e in examples[:n]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--file", type=Path)
    parser.add_argument("--n", type=int, default=1280)
    parser.add_argument("--single", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--no-compare", action="store_true", help="Skip the sentence-transformers run.")
    parser.add_argument("--backend", default="onnx-int8", help="onnx-int8 (default), onnx (fp32) or torch.")
    parser.add_argument("--length-spread", type=float, default=None,
                        help="Override LENGTH_SPREAD (the batching step's gain: 2.0 was the earlier value).")
    args = parser.parse_args()

    import slmguard.detect.fast_classifier as fast_classifier
    from slmguard.respond.guard import Guard

    if args.length_spread:
        fast_classifier.LENGTH_SPREAD = args.length_spread
    prompts = load_prompts(args.file, args.n)
    t0 = time.perf_counter()
    guard = Guard.load(backend=args.backend)
    load_s = time.perf_counter() - t0
    guard.classify_batch(prompts[: args.batch_size])  # warm-up

    t0 = time.perf_counter()
    for s in range(0, len(prompts), args.batch_size):
        guard.classify_batch(prompts[s:s + args.batch_size])
    throughput = len(prompts) / (time.perf_counter() - t0)

    latencies = []
    for p in prompts[: args.single]:
        t0 = time.perf_counter()
        guard.classify(p)
        latencies.append((time.perf_counter() - t0) * 1000)
    latencies.sort()
    heavy = sorted(m for m in ("torch", "transformers", "sentence_transformers") if m in sys.modules)
    result = {
        "prompts": len(prompts), "batch_size": args.batch_size, "backend": args.backend,
        "length_spread": fast_classifier.LENGTH_SPREAD, "heavy_modules_loaded": heavy,
        "load_s": round(load_s, 2), "prompts_per_s": round(throughput, 1),
        "p50_ms": round(statistics.median(latencies), 2),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if not args.no_compare:
        st = sentence_transformers_rate(prompts, args.batch_size)
        result["sentence_transformers_encode_per_s"] = st
        result["ratio_to_sentence_transformers"] = round(throughput / st, 2)
    print(json.dumps(result, indent=2))


_ST = """
import sys, time
from slmguard.models.encoder import sentence_encoder
prompts = open(sys.argv[1]).read().split("\\x1e")
batch = int(sys.argv[2])
model = sentence_encoder()
model.encode(prompts[:batch], batch_size=batch)  # warm-up
t0 = time.perf_counter()
model.encode(prompts, batch_size=batch)
print(len(prompts) / (time.perf_counter() - t0))
"""


def sentence_transformers_rate(prompts: list[str], batch_size: int) -> float:
    """Texts/s that plain sentence-transformers encodes the same prompts at, in a child process."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
        fh.write("\x1e".join(prompts))
    try:
        out = subprocess.run([sys.executable, "-c", _ST, fh.name, str(batch_size)], capture_output=True, text=True,
                             check=True)
    finally:
        os.unlink(fh.name)
    return round(float(out.stdout.strip().splitlines()[-1]), 1)


if __name__ == "__main__":
    main()
