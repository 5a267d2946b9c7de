"""Speed of the two costly parts of an alignment round on this machine (not a test: machines are
noisy): batched response generation on the target (tokens/s, merged adapter copy, as the loop
samples) and multi-objective DPO steps with LoRA through trl (steps/s and tokens/s, batch 4,
reference log-probs precomputed). Prompts come from the training pools (AdvBench, Alpaca).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--prompts", type=int, default=64, help="Prompts answered for the generation figure.")
    parser.add_argument("--pairs", type=int, default=48, help="Preference pairs trained on (one pass, batch 4).")
    parser.add_argument("--max-new-tokens", type=int, default=64)
    args = parser.parse_args()

    from slmguard.align.config import AlignConfig
    from slmguard.align.dpo import train_dpo
    from slmguard.align.pairs import PreferencePair
    from slmguard.align.policy import Policy
    from slmguard.core.config import Settings
    from slmguard.data import load
    from slmguard.models.generation import GEN_BATCH, GenerationConfig
    from slmguard.respond.prompts import chat_text

    settings = Settings.resolve()
    root = settings.require_data_dir()
    harmful = [e.text for e in load("advbench", root, purpose="training").examples[: args.prompts // 2]]
    ordinary = [e.text for e in load("alpaca", root, purpose="training").examples[: args.prompts - len(harmful)]]
    prompts = harmful + ordinary
    policy = Policy.load("default", settings.cache_dir)
    texts = [chat_text(policy.tokenizer, [{"role": "user", "content": p}]) for p in prompts]
    policy.generate(texts[:4], GenerationConfig(max_new_tokens=8))  # builds the merged copy
    start = time.perf_counter()
    out = policy.generate(texts, GenerationConfig(max_new_tokens=args.max_new_tokens, temperature=0.9,
                                                  batch_size=GEN_BATCH))
    gen_s = time.perf_counter() - start
    tokens = sum(len(policy.tokenizer.encode(o)) for o in out)

    rng = random.Random(0)
    pairs, prompt_text = [], {}
    for i in range(args.pairs):
        pid = f"p{i}"
        prompt_text[pid] = texts[i % len(texts)]
        good, bad = out[i % len(out)], out[rng.randrange(len(out))]
        pairs.append(PreferencePair(pid, "safety" if i % 2 else "helpfulness", good, bad or "no", "sample", "sample",
                                    (1.0, 1.0), (0.0, 0.0)))
    with tempfile.TemporaryDirectory() as tmp:
        stats = train_dpo(policy, prompt_text, pairs, AlignConfig(epochs=1), Path(tmp), 1, progress=False)
    print(json.dumps({
        "generation": {"prompts": len(prompts), "batch": GEN_BATCH, "new_tokens": tokens, "seconds": round(gen_s, 1),
                       "tokens_per_s": round(tokens / gen_s, 1)},
        "dpo": {"pairs": args.pairs, "steps": stats.steps, "seconds": stats.seconds, "steps_per_s": stats.steps_per_s,
                "tokens_per_s": stats.tokens_per_s},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }, indent=2))


if __name__ == "__main__":
    main()
