"""Speed and memory of the shipped SLM guardian on this machine (not a test: machines are noisy).

Prints, per backend: SLM detection latency per prompt (p50/p95, one forward pass each), the
safeguard-response latency for about 60 new tokens (p50) and tokens/s, the cascade's latency,
the cascade's throughput on long texts (500-2,000 characters: in-the-wild jailbreak posts and
answers from the safety-tuned-llamas pool, alternating; target >= 20 texts/s) and peak RSS.
Prompts: harmful and ordinary requests from the training pools (AdvBench, Alpaca).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def load_prompts(n: int) -> list[str]:
    from slmguard.core.config import Settings
    from slmguard.data import load

    root = Settings.resolve().require_data_dir()
    harmful = [e.text for e in load("advbench", root, purpose="training").examples[: n // 2]]
    ordinary = [e.text for e in load("alpaca", root, purpose="training").examples[: n - len(harmful)]]
    return [p for pair in zip(harmful, ordinary) for p in pair]


def load_long_texts(n: int) -> list[str]:
    from slmguard.core.config import Settings
    from slmguard.data import load

    root = Settings.resolve().require_data_dir()
    pools = [[e.text for e in load(name, root, purpose="training").examples if 500 <= len(e.text) <= 2000][: n // 2]
             for name in ("jailbreak_in_the_wild", "safety_tuned_llamas_responses")]
    return [t for pair in zip(*pools) for t in pair]


def _ms(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def main() -> None:
    from slmguard.respond.slm_guardian import BACKENDS

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", default="auto", choices=list(BACKENDS))
    parser.add_argument("--detect", type=int, default=200, help="Prompts timed for detection.")
    parser.add_argument("--respond", type=int, default=20, help="Prompts timed for responses.")
    parser.add_argument("--tokens", type=int, default=60)
    parser.add_argument("--long", type=int, default=40, help="Long texts timed through the cascade.")
    parser.add_argument("--slm-window", type=int, default=None, help="Tokens of a long text the cascade's SLM reads "
                                                                      "(default: the shipped setting).")
    args = parser.parse_args()

    from slmguard.models.generation import GenerationConfig
    from slmguard.respond.guard import Guard

    prompts = load_prompts(max(args.detect, args.respond))
    t0 = time.perf_counter()
    guard = Guard.load(guardian=True, slm_backend=args.backend)
    load_s = time.perf_counter() - t0
    slm = guard.slm.slm
    slm.score(prompts[:5])  # warm-up

    detect = [_ms(lambda p=p: slm.score([p])) for p in prompts[: args.detect]]
    cascade = [_ms(lambda p=p: guard.classify(p)) for p in prompts[: args.detect]]
    # Responses stop at the end-of-turn token, so time per token is measured and scaled to `tokens`.
    cfg = GenerationConfig(max_new_tokens=args.tokens)
    gen_ms, gen_tokens = [], []
    for p in prompts[: args.respond]:
        out: list[str] = []
        gen_ms.append(_ms(lambda p=p: out.extend(slm.respond([p], cfg))))
        gen_tokens.append(len(slm.tokenizer.encode(out[0], add_special_tokens=False)))
    per_token = [ms / max(1, n) for ms, n in zip(gen_ms, gen_tokens)]
    long_texts = load_long_texts(args.long)
    if args.slm_window:
        guard.slm_window = args.slm_window
    long_ms = _ms(lambda: guard.classify_batch(long_texts))
    long_to_slm = sum(guard.band.uncertain(v.score) for v in Guard(guard.classifier).classify_batch(long_texts))
    result = {
        "backend": slm.backend,
        "load_s": round(load_s, 2),
        "slm_detect_ms_p50": round(statistics.median(detect), 1),
        "slm_detect_ms_p95": round(statistics.quantiles(detect, n=20)[18], 1),
        "cascade_ms_p50": round(statistics.median(cascade), 1),
        "cascade_share_sent_to_slm": round(sum(guard.band.uncertain(v.score) for v in
                                               Guard(guard.classifier).classify_batch(prompts[: args.detect]))
                                           / args.detect, 3),
        "response_ms_p50": round(statistics.median(gen_ms), 1),
        "response_tokens_p50": statistics.median(gen_tokens),
        "response_ms_per_60_tokens_p50": round(statistics.median(per_token) * 60, 1),
        "tokens_per_s_p50": round(1000 / statistics.median(per_token), 1),
        "long_texts": len(long_texts),
        "slm_window_tokens": guard.slm_window,
        "cascade_long_texts_per_s": round(len(long_texts) / (long_ms / 1000), 1),
        "cascade_long_share_sent_to_slm": round(long_to_slm / max(1, len(long_texts)), 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "threads": os.cpu_count(),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
