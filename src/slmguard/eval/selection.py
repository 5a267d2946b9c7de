"""What `slmguard eval` scores: evaluation sets by name, a user's labelled file, and detectors by
name, every name checked before anything loads."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from slmguard.core.errors import InputError
from slmguard.core.types import Example


def chosen_sets(requested: Sequence[str] | None, detectors: Sequence[str], has_file: bool) -> list[str]:
    """The evaluation sets to score: `requested` (None: every evaluation set, or none beside a user
    file). Raises InputError on the first unknown set or detector, or when nothing would be scored."""
    from slmguard.core.types import Role
    from slmguard.data import DATASETS, names
    from slmguard.respond.detectors import DETECTORS

    evaluation = names(Role.EVALUATION)
    set_names = list(requested) if requested is not None else ([] if has_file else evaluation)
    for s in set_names:
        if s not in DATASETS:
            raise InputError(f"unknown set '{s}' (evaluation sets: {', '.join(evaluation)})")
        if s not in evaluation:
            raise InputError(f"'{s}' is a training pool, not an evaluation set "
                             f"(evaluation sets: {', '.join(evaluation)})")
    for d in detectors:
        if d.partition("@")[0] not in DETECTORS:
            raise InputError(f"unknown detector '{d}' (known: {', '.join(sorted(DETECTORS.names())) or 'none'})")
    if not set_names and not has_file:
        raise InputError("nothing to evaluate: give --sets or --file")
    return set_names


def load_sets(set_names: Sequence[str], data_dir: Path | None, limit: int | None, file: Path | None = None,
              text_field: str = "text", label_field: str = "label",
              categories_field: str | None = "categories") -> dict[str, list[Example]]:
    """The named sets from the data folder and the user file, at most `limit` examples each, spread
    evenly over it."""
    from slmguard.core.config import Settings
    from slmguard.data import load
    from slmguard.eval.runner import spread

    loaded = {}
    if set_names:
        root = Settings.resolve(data_dir=data_dir).require_data_dir()
        for s in set_names:
            loaded[s] = spread(load(s, root).examples, limit)
    if file is not None:
        from slmguard.eval.user_file import load_user_file, user_set_name

        loaded[user_set_name(file)] = spread(load_user_file(file, text_field, label_field, categories_field or None),
                                             limit)
    return loaded


def build_detectors(specs: Sequence[str], data_dir: Path | None) -> dict:
    """The detectors by name; `frozen-lr` fits on `data_dir` when one is given, not only the configured one."""
    from slmguard.respond.detectors import build_detector

    return {d: build_detector(f"frozen-lr@{data_dir}" if d == "frozen-lr" and data_dir is not None else d)
            for d in specs}
