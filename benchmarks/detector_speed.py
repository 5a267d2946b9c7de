"""Speed and memory of the shipped detector on this machine (not a test: machines are noisy).

Prints prompts/s in batches of 64, p50/p95 single-prompt latency and peak RSS.
Prompts: ordinary instructions from the Alpaca training pool (or --file, one text per line).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
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
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()

    import torch

    from slmguard.respond.guard import Guard

    if args.threads:
        torch.set_num_threads(args.threads)
    prompts = load_prompts(args.file, args.n)
    t0 = time.perf_counter()
    guard = Guard.load()
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
    result = {
        "prompts": len(prompts), "batch_size": args.batch_size, "threads": torch.get_num_threads(),
        "load_s": round(load_s, 2), "prompts_per_s": round(throughput, 1),
        "p50_ms": round(statistics.median(latencies), 2),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
