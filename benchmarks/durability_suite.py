"""Time of the full default durability suite against the shipped 135M guardian on this machine
(target: under 60 minutes on a 2-core CPU). Not a test: machines are shared and noisy.

Runs, from an empty folder (nothing resumed): the prompt-level suite (`slmguard attack model
--model guardian`, every attack, 10 prompts per harmful set) and the weight-level suite
(`slmguard attack weights --model guardian`, defaults). Prints each stage's wall time and the
total. `--out` keeps the reports (default: a temporary folder).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
TARGET_MINUTES = 60.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="keep the reports here (must not exist yet)")
    parser.add_argument("--limit", type=int, default=10, help="harmful prompts per set in the prompt-level stage")
    args = parser.parse_args()
    if args.out and args.out.exists():
        parser.error(f"{args.out} exists: the benchmark times a run from scratch")
    out = args.out or Path(tempfile.mkdtemp(prefix="slmguard-durability-"))
    cli = [sys.executable, "-m", "slmguard.cli.main"]
    stages = {
        "prompt-level (attack model)": [*cli, "attack", "model", "--model", "guardian", "--name", "sft-guardian",
                                        "--limit", str(args.limit), "--out", str(out / "prompt-level")],
        "weight-level (attack weights)": [*cli, "attack", "weights", "--model", "guardian", "--name",
                                          "sft-guardian", "--out", str(out / "weight-level")],
    }
    total = 0.0
    times = {}
    for name, command in stages.items():
        start = time.perf_counter()
        subprocess.run(command, check=True)
        times[name] = time.perf_counter() - start
        total += times[name]
    print(f"\ndurability suite, default configuration, against the shipped guardian ({os.cpu_count()} CPUs):")
    for name, seconds in times.items():
        print(f"  {name:32s} {seconds / 60:6.1f} min")
    print(f"  {'total':32s} {total / 60:6.1f} min   (target < {TARGET_MINUTES:.0f} min: "
          f"{'met' if total / 60 < TARGET_MINUTES else 'missed'})")
    print(f"reports: {out}" if args.out else "")
    if not args.out:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
