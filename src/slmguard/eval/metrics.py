"""Detection metrics for one set and one detector, per category, and pooled over sets.

A metric that a set cannot support is None, never 0: precision, F1 and AUPRC need both classes
(on an all-unsafe set every flag is trivially right), recall needs unsafe examples and the
false-positive rate needs safe ones. Examples without a reference label are left out of those and
counted; the flag rate (share flagged unsafe) counts every example, so a set without reference
labels (a mixed red-team set) still reports how much of it a detector flags.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

from slmguard.core.types import Example, Label, Verdict
from slmguard.taxonomy.hazards import DEFAULT_TAXONOMY, Taxonomy


@dataclass(frozen=True)
class DetectionMetrics:
    n: int  # labelled examples
    n_unsafe: int
    n_safe: int
    n_unlabelled: int
    tp: int
    fp: int
    tn: int
    fn: int
    precision: float | None
    recall: float | None
    f1: float | None
    auprc: float | None
    fpr: float | None
    flagged: int = 0  # every example flagged unsafe, labelled or not
    flag_rate: float | None = None  # flagged / all examples


@dataclass(frozen=True)
class CategoryMetrics:
    """How one reference category fares among the unsafe examples that carry it.

    `hit_rate` counts an example as a hit when it is flagged unsafe and the code is among
    `verdict.categories`, the codes whose score reaches their threshold: what a user of the
    verdict actually sees. Its denominator is every unsafe example of the category, so a missed
    detection is a miss whatever the category scores say.
    """

    code: str
    name: str
    n_unsafe: int
    detected: int
    recall: float | None
    hits: int
    hit_rate: float | None


@dataclass(frozen=True)
class SetMetrics:
    set_name: str
    detector: str
    detection: DetectionMetrics
    categories: tuple[CategoryMetrics, ...]
    # Share of the unsafe examples with reference categories whose top-scored hazard is one of them
    # (whether or not the example was flagged): is the hazard head naming the right hazard?
    top1_hazard: float | None = None


def top1_hazard_accuracy(examples: Sequence[Example], verdicts: Sequence[Verdict]) -> float | None:
    pairs = [(e, v) for e, v in zip(examples, verdicts)
             if e.label is Label.UNSAFE and e.categories and v.category_scores]
    hits = sum(1 for e, v in pairs if v.top_categories(1)[0][0] in e.categories)
    return _ratio(hits, len(pairs))


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _auprc(labels: Sequence[bool], scores: Sequence[float]) -> float | None:
    if not labels or all(labels) or not any(labels):
        return None
    from sklearn.metrics import average_precision_score

    return float(average_precision_score(labels, scores))


def detection_metrics(examples: Sequence[Example], verdicts: Sequence[Verdict]) -> DetectionMetrics:
    _check_lengths(examples, verdicts)
    pairs = [(e.label is Label.UNSAFE, v) for e, v in zip(examples, verdicts) if e.label is not None]
    tp = sum(1 for ref, v in pairs if ref and v.unsafe)
    fp = sum(1 for ref, v in pairs if not ref and v.unsafe)
    tn = sum(1 for ref, v in pairs if not ref and not v.unsafe)
    fn = sum(1 for ref, v in pairs if ref and not v.unsafe)
    n_unsafe, n_safe = tp + fn, fp + tn
    both = n_unsafe > 0 and n_safe > 0
    return DetectionMetrics(
        n=len(pairs),
        n_unsafe=n_unsafe,
        n_safe=n_safe,
        n_unlabelled=len(examples) - len(pairs),
        tp=tp, fp=fp, tn=tn, fn=fn,
        precision=_ratio(tp, tp + fp) if both else None,
        recall=_ratio(tp, n_unsafe),
        # 2tp/(2tp+fp+fn) stays defined (as 0) when nothing is flagged, unlike P*R/(P+R).
        f1=_ratio(2 * tp, 2 * tp + fp + fn) if both else None,
        auprc=_auprc([ref for ref, _ in pairs], [v.score for _, v in pairs]),
        fpr=_ratio(fp, n_safe),
        flagged=sum(1 for v in verdicts if v.unsafe),
        flag_rate=_ratio(sum(1 for v in verdicts if v.unsafe), len(verdicts)),
    )


def category_metrics(examples: Sequence[Example], verdicts: Sequence[Verdict],
                     taxonomy: Taxonomy = DEFAULT_TAXONOMY) -> tuple[CategoryMetrics, ...]:
    """One entry per code present among the unsafe references, in taxonomy order then the rest."""
    _check_lengths(examples, verdicts)
    per_code: dict[str, list[Verdict]] = {}
    for e, v in zip(examples, verdicts):
        if e.label is Label.UNSAFE:
            for code in dict.fromkeys(e.categories):
                per_code.setdefault(code, []).append(v)
    ordered = [c for c in taxonomy.codes if c in per_code] + sorted(c for c in per_code if c not in taxonomy)
    out = []
    for code in ordered:
        vs = per_code[code]
        detected = sum(1 for v in vs if v.unsafe)
        hits = sum(1 for v in vs if v.unsafe and code in v.categories)
        out.append(CategoryMetrics(code, taxonomy.get(code).name if code in taxonomy else code, len(vs),
                                   detected, _ratio(detected, len(vs)), hits, _ratio(hits, len(vs))))
    return tuple(out)


def set_metrics(set_name: str, detector: str, examples: Sequence[Example], verdicts: Sequence[Verdict],
                taxonomy: Taxonomy = DEFAULT_TAXONOMY) -> SetMetrics:
    return SetMetrics(set_name, detector, detection_metrics(examples, verdicts),
                      category_metrics(examples, verdicts, taxonomy), top1_hazard_accuracy(examples, verdicts))


POOLED = "all sets (pooled)"


def pooled_metrics(detector: str, parts: Sequence[tuple[Sequence[Example], Sequence[Verdict]]],
                   taxonomy: Taxonomy = DEFAULT_TAXONOMY) -> SetMetrics:
    """All labelled examples of all sets concatenated: one threshold, one ranking, so AUPRC compares
    scores across sets. Unlabelled examples are left out (the flag rate too) and only counted."""
    for ex, vs in parts:
        _check_lengths(ex, vs)
    pairs = [(e, v) for ex, vs in parts for e, v in zip(ex, vs)]
    labelled = [(e, v) for e, v in pairs if e.label is not None]
    m = set_metrics(POOLED, detector, [e for e, _ in labelled], [v for _, v in labelled], taxonomy)
    return replace(m, detection=replace(m.detection, n_unlabelled=len(pairs) - len(labelled)))


def _check_lengths(examples: Sequence[Example], verdicts: Sequence[Verdict]) -> None:
    if len(examples) != len(verdicts):
        raise ValueError(f"{len(examples)} examples but {len(verdicts)} verdicts")
