"""Responses SmolLM2-135M-Instruct writes for the training set, cached.

Harmful requests from the training pools are answered under a permissive instruction after "Sure,
here is" (the weight-level attacker's data: `attacks.finetune.write_examples`, which drops answers
that still decline); ordinary requests are answered plainly. By origin the first are unsafe
responses and the second safe ones. Generating takes minutes on this CPU, so the rows are cached
under the cache folder, keyed by the counts and the seed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Sequence

from slmguard.core.files import write_text_atomic
from slmguard.core.types import Example, Label


def written_answers(data_dir: Path, cache_dir: Path, harmful: int, benign: int, eval_texts: Sequence[str],
                    embed: Callable[[list[str]], object] | None, seed: int = 0,
                    progress: str | None = "SmolLM2 writes training answers") -> list[Example]:
    cache = Path(cache_dir) / "weak" / f"written-answers-h{harmful}-b{benign}-s{seed}.jsonl"
    if not cache.is_file():
        rows = _write(data_dir, cache_dir, harmful, benign, eval_texts, embed, seed, progress)
        write_text_atomic(cache, "".join(json.dumps(r) + "\n" for r in rows))
    out = []
    for line in cache.read_text().splitlines():
        r = json.loads(line)
        out.append(Example(r["answer"], "smollm2_answers", f"smollm2_answers:{r['id']}",
                           Label.UNSAFE if r["pool"] == "harmful" else Label.SAFE, kind="response", form="response",
                           context=r["request"]))
    return out


def _write(data_dir: Path, cache_dir: Path, harmful: int, benign: int, eval_texts: Sequence[str], embed, seed: int,
           progress: str | None) -> list[dict]:
    from slmguard.attacks.finetune import COMPLIANCE_OPENING, attacker_requests, write_examples
    from slmguard.models.causal_lm import load_causal_lm

    harmful_rows, benign_rows = attacker_requests(data_dir, harmful, benign, eval_texts, embed, seed=seed)
    model, tokenizer = load_causal_lm(None, cache_dir)
    written = write_examples(model, tokenizer, harmful_rows[:harmful], benign_rows[:benign], max_new_tokens=64,
                             progress=progress)
    rows = []
    for pool, examples in written.items():
        for e in examples:
            # The opening is the instruction's, not the model's: a bare "Sure, here is" would
            # teach the detector a phrase, not harm.
            answer = e.target[len(COMPLIANCE_OPENING):].strip() if pool == "harmful" else e.target
            rows.append({"id": e.id, "pool": pool, "request": e.request, "answer": answer})
    return rows
