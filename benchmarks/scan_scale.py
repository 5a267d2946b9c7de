"""Rows/s of `slmguard scan` on this machine: the local engine, and Ray with 1 and 2 workers, on the
same rows (not a test: machines are noisy; run it alone).

Rows: ordinary instructions from the Alpaca training pool, cycled to --rows (default 20,000), as
JSONL. Each Ray run starts its own local cluster, as `slmguard scan --engine ray` does, and its time
includes that start and every worker's model load; the overhead line separates them: the time of
a one-part run (start, load, one part) minus that part's scoring time.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def write_rows(path: Path, n: int) -> None:
    from slmguard.core.config import Settings
    from slmguard.data import load

    texts = [e.text for e in load("alpaca", Settings.resolve().require_data_dir(), purpose="training").examples]
    with path.open("w") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": i, "text": texts[i % len(texts)]}) + "\n")


def local_rate(path: Path, out: Path) -> float:
    from slmguard.respond.guard import Guard
    from slmguard.scan.local import scan_file

    start = time.perf_counter()
    summary = scan_file(Guard.load(), path, out, progress=False)
    return summary.scored / (time.perf_counter() - start)


def ray_run(path: Path, out: Path, workers: int, part_rows: int):
    from slmguard.scan.ray_engine import GuardSpec, RayScanConfig, scan_ray

    return scan_ray(GuardSpec(), str(path), out, RayScanConfig(workers=workers, part_rows=part_rows), progress=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--part-rows", type=int, default=2_500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        write_rows(tmp / "in.jsonl", args.rows)
        result = {"rows": args.rows, "part_rows": args.part_rows, "cpus": os.cpu_count(),
                  "local_rows_per_s": round(local_rate(tmp / "in.jsonl", tmp / "local.jsonl"), 1)}
        for workers in (1, 2):
            summary = ray_run(tmp / "in.jsonl", tmp / f"ray{workers}", workers, args.part_rows)
            result[f"ray_{workers}_workers_rows_per_s"] = round(summary.rows_per_s, 1)
            result[f"ray_{workers}_workers_seconds"] = round(summary.seconds, 1)
        write_rows(tmp / "one.jsonl", args.part_rows)
        one = ray_run(tmp / "one.jsonl", tmp / "one", 1, args.part_rows)
        part_seconds = args.part_rows / result["local_rows_per_s"]
        result["ray_overhead_s"] = round(one.seconds - part_seconds, 1)  # cluster start + model load + hand-off
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
