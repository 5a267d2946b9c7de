"""The Python API: `Guard.load()` and `guard.classify(x)`."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping, Sequence

import numpy as np

from slmguard.core.errors import InputError
from slmguard.core.types import Backend, GuardInput, Kind, Message, Verdict
from slmguard.detect.deobfuscate import decoded_view, english_vocabulary, segments
from slmguard.detect.fast_classifier import FastClassifier
from slmguard.detect.normalize import normalize_text
from slmguard.detect.pieces import word_spans
from slmguard.detect.policy_scorer import PolicyScorer, custom_hazards
from slmguard.detect.similarity import base_embedder
from slmguard.respond.refusals import is_compliance, is_refusal
from slmguard.taxonomy.hazards import DEFAULT_TAXONOMY, Taxonomy

if TYPE_CHECKING:
    from slmguard.models.generation import GenerationConfig
    from slmguard.respond.slm_detector import CascadeBand, SlmDetector
    from slmguard.respond.slm_guardian import SlmGuardian

DEFAULT_ARTIFACT = Path(__file__).resolve().parents[1] / "artifacts" / "detector"
_ROLES = {"system", "user", "assistant"}
# The SLM in the cascade reads at most this many (detector) tokens of a text: the riskiest piece
# (long texts through the cascade, llama.cpp, 2 cores: 6.5 texts/s at 128, 9.7 at 64; docs/guardian.md).
SLM_WINDOW_TOKENS = 64


def to_messages(conversation: Sequence, where: str = "input") -> list[Message]:
    if isinstance(conversation, (str, bytes)) or not isinstance(conversation, Sequence) or not conversation:
        raise InputError(f"{where}: a conversation must be a non-empty list of messages")
    messages = []
    for i, m in enumerate(conversation):
        if isinstance(m, Message):
            messages.append(m)
            continue
        if not isinstance(m, Mapping):
            raise InputError(f"{where}[{i}]: expected a message with 'role' and 'content', got {type(m).__name__}")
        role, content = m.get("role"), m.get("content")
        if role not in _ROLES:
            raise InputError(f"{where}[{i}].role: expected one of {sorted(_ROLES)}, got {role!r}")
        if not isinstance(content, str):
            raise InputError(f"{where}[{i}].content: expected text, got {type(content).__name__}")
        messages.append(Message(role, content))
    if messages[-1].role == "system":
        raise InputError(f"{where}: the last message must be a user prompt or an assistant response")
    return messages


def _one_input(x: object, method: str) -> None:
    """A list of plain texts is several inputs, not a conversation: say so rather than fail on message 0."""
    if isinstance(x, (list, tuple)) and x and all(isinstance(m, str) for m in x):
        raise InputError(f"{method}() takes one input (a text or a conversation of {{role, content}} messages) "
                         f"and got a list of {len(x)} texts; use {method}_batch() for several")


class DecidedBy(StrEnum):
    """Which model's verdict stands: the fast detector's, or the SLM's (the cascade's uncertain band)."""
    FAST = "fast"
    SLM = "slm"


@dataclass(frozen=True)
class GuardResponse:
    """What the application should do with one input: the verdict, and when it is unsafe the
    safeguard response to give instead."""

    verdict: Verdict
    response: str | None
    decided_by: DecidedBy

    def to_dict(self) -> dict:
        return {**self.verdict.to_dict(), "decided_by": str(self.decided_by), "response": self.response}


@dataclass(frozen=True)
class GuardOptions:
    """How a Guard decides, apart from its models. `threshold` None: the detector artifact's own.
    `category_thresholds` are explicit overrides over the artifact's and a custom policy's.
    `cascade`: with an SLM attached, it re-decides the fast detector's uncertain `band` (None: the
    guardian's own); otherwise the SLM only writes safeguard responses. `deobfuscate` also judges
    disguised text decoded; `segment` every sentence, quoted or fenced part alone (far higher recall
    on wrapped requests, about twice the false positives on ordinary instructions). `slm_window`:
    the most tokens of a text the SLM reads in the cascade."""

    threshold: float | None = None
    category_thresholds: Mapping[str, float] | None = None
    cascade: bool = True
    band: "CascadeBand | None" = None
    deobfuscate: bool = True
    segment: bool = False
    slm_window: int = SLM_WINDOW_TOKENS


_KEEP: object = object()


class Guard:
    """The fast detector plus policy, thresholds and conversation handling; with an SLM guardian
    attached it cascades (the SLM re-decides the fast detector's uncertain band) and responds."""

    def __init__(self, classifier: FastClassifier, options: GuardOptions | None = None, *,
                 policy: Taxonomy | None = None, slm: "SlmDetector | None" = None) -> None:
        self.classifier, self.policy, self.slm = classifier, policy, slm
        self.options = options = options or GuardOptions()
        self.slm_window = options.slm_window
        self.deobfuscate, self.segment = options.deobfuscate, options.segment
        self.threshold = classifier.config.threshold if options.threshold is None else options.threshold
        band = options.band
        if slm is None or not options.cascade:
            band = None
        elif band is None:
            from slmguard.respond.slm_detector import CascadeBand

            band = CascadeBand(*slm.slm.config.cascade_band)
        self.band = band
        self.model_id = classifier.model_id if slm is None or band is None else \
            f"cascade({classifier.model_id}+{slm.model_id})"
        trained = set(classifier.config.codes)
        self._custom: PolicyScorer | None = None
        # A policy that replaces the default hazards drops the trained head's verdict as well.
        self._keep_head = policy is None or all(c in policy for c in trained)
        if policy is not None:
            hazards = custom_hazards(policy, trained, DEFAULT_TAXONOMY)
            if hazards:
                # The base encoder, not the detector's: tuning collapsed its space toward harm.
                self._custom = PolicyScorer.build(hazards, base_embedder())
        self.category_thresholds = {**{c: 0.5 for c in classifier.config.codes},
                                    **classifier.config.category_thresholds,
                                    **(self._custom.thresholds if self._custom else {}),
                                    **(options.category_thresholds or {})}

    @classmethod
    def load(cls, artifact: Path | None = None, *, threshold: float | None = None,
             category_thresholds: Mapping[str, float] | None = None, policy: Path | Taxonomy | None = None,
             encoder_path: Path | None = None, backend: Backend | str = Backend.ONNX_INT8,
             guardian: Path | bool = False, band: "CascadeBand | None" = None,
             slm_backend: str = "auto", cascade: bool = True, segment: bool = False,
             slm_threads: int | None = None) -> "Guard":
        """`guardian=True` attaches the shipped SLM guardian (a path attaches another one); with
        `cascade=False` it only writes safeguard responses and the fast detector decides alone.
        `backend`: the fast detector's (int8 ONNX by default; "onnx" is fp32). `slm_threads` bounds
        the guardian's CPU threads. The other arguments are GuardOptions'."""
        classifier = FastClassifier.load(Path(artifact) if artifact else DEFAULT_ARTIFACT, encoder_path, backend)
        if isinstance(policy, (str, Path)):
            from slmguard.taxonomy.policy import load_policy

            policy = load_policy(policy)
        slm = None
        if guardian:
            from slmguard.respond.slm_detector import SlmDetector
            from slmguard.respond.slm_guardian import DEFAULT_GUARDIAN, SlmGuardian

            slm = SlmDetector(SlmGuardian.load(DEFAULT_GUARDIAN if guardian is True else Path(guardian),
                                               backend=slm_backend, threads=slm_threads))  # type: ignore[arg-type]
        options = GuardOptions(threshold=threshold, category_thresholds=category_thresholds, cascade=cascade,
                               band=band, segment=segment)
        return cls(classifier, options, policy=policy, slm=slm)

    def derive(self, *, policy: "Taxonomy | None | object" = _KEEP, slm: "SlmDetector | None | object" = _KEEP,
               **options) -> "Guard":
        """This guard's models (loaded once, shared) under another policy, SLM or options: `options`
        are GuardOptions fields to change."""
        return Guard(self.classifier, replace(self.options, **options),
                     policy=self.policy if policy is _KEEP else policy,  # type: ignore[arg-type]
                     slm=self.slm if slm is _KEEP else slm)  # type: ignore[arg-type]

    @property
    def guardian(self) -> "SlmGuardian | None":
        """The SLM guardian that writes safeguard responses, when one is attached."""
        return self.slm.slm if self.slm is not None else None

    def classify(self, x: GuardInput) -> Verdict:
        _one_input(x, "classify")
        return self.classify_batch([x])[0]

    def classify_batch(self, xs: Sequence[GuardInput], kind: Kind = Kind.PROMPT) -> list[Verdict]:
        """Score many inputs in one pass. `kind` says what plain strings are; a conversation's
        kind follows the role of its last message."""
        texts: list[str] = []
        contexts: list[str | None] = []
        groups: list[tuple[list[int], str]] = []
        for i, x in enumerate(xs):
            item_kind, candidates, context = self._views(x, kind, i)
            groups.append((list(range(len(texts), len(texts) + len(candidates))), item_kind))
            texts.extend(candidates)
            contexts.extend([context] * len(candidates))
        if not texts:
            return []
        start = time.perf_counter()
        raw = self.classifier.raw_scores(texts, contexts=contexts, threshold=self.threshold)
        custom = self._custom.score(texts) if self._custom else None
        latency = (time.perf_counter() - start) * 1000 / len(xs)
        verdicts = [self._verdict(raw.probs[idx].max(0), None if custom is None else custom[idx].max(0), k, latency)
                    for idx, k in groups]
        return self._cascade(verdicts, [texts[idx[-1]] for idx, _ in groups])

    def _views(self, x: GuardInput, kind: str, i: int) -> tuple[str, list[str], str | None]:
        """The item's kind, the texts to score (the riskiest counts) and, for a response, the prompt
        it answers. A prompt is also judged joined to the previous user turn, so that a request split
        over turns is still seen; a response is judged in the context of the last user turn before
        it. Disguised text (base64, leetspeak, homoglyphs, ...) is also judged decoded, and with
        `segment` every sentence or quoted part alone."""
        context: str | None = None
        if isinstance(x, str):
            item_kind, candidates = kind, [normalize_text(x, where=f"item {i}")]
            context = "" if kind == "response" else None
        else:
            messages = to_messages(x, where=f"item {i}")
            last = messages[-1]
            item_kind = "response" if last.role == "assistant" else "prompt"
            candidates = [normalize_text(last.content, where=f"item {i}: last message")]
            earlier = [m.content for m in messages[:-1] if m.role == "user" and m.content.strip()]
            if item_kind == "response":
                context = normalize_text(earlier[-1]) if earlier else ""
            elif earlier:
                candidates.append(normalize_text(earlier[-1] + "\n" + last.content))
        if self.deobfuscate:
            decoded = decoded_view(candidates[0], english_vocabulary(self.classifier.tokenizer))
            if decoded and decoded.strip():
                candidates.append(decoded)
        if self.segment:
            candidates += [p for c in candidates[:1] + candidates[-1:] for p in segments(c)]
            candidates = list(dict.fromkeys(candidates))
        return item_kind, candidates, context

    def _cascade(self, verdicts: list[Verdict], texts: list[str]) -> list[Verdict]:
        """The SLM re-decides verdicts in the uncertain band (custom-policy verdicts stay as they are:
        the SLM knows only the default hazards)."""
        if self.slm is None or self.band is None or not self._keep_head:
            return verdicts
        todo = [i for i, v in enumerate(verdicts) if self.band.uncertain(v.score)]
        by_kind: dict[str, list[int]] = {}
        for i in todo:
            by_kind.setdefault(verdicts[i].kind, []).append(i)
        out = list(verdicts)
        for kind, idx in by_kind.items():
            views = [self._slm_view(texts[i], kind) for i in idx]
            for i, v in zip(idx, self.slm.classify_batch(views, kind)):  # type: ignore[arg-type]
                # The SLM decides; the hazards stay the fast head's, which names them better.
                out[i] = replace(v, category_scores=verdicts[i].category_scores,
                                 category_thresholds=verdicts[i].category_thresholds,
                                 latency_ms=v.latency_ms + verdicts[i].latency_ms)
        return out

    def _slm_view(self, text: str, kind: str) -> str:
        """What of `text` the SLM reads: all of a short one; of a long one the piece the fast detector
        finds riskiest, so that a long post costs one short SLM call."""
        spans, _ = word_spans(self.classifier.tokenizer, text, self.slm_window, self.slm_window // 4)
        if len(spans) == 1:
            return text
        pieces = [text[a:b] for a, b, _ in spans]
        context = "" if kind == "response" else None
        unsafe = self.classifier.raw_scores(pieces, contexts=[context] * len(pieces)).probs[:, 0]
        return pieces[int(np.argmax(unsafe))]

    def decided_by(self, verdict: Verdict) -> DecidedBy:
        """Which model's verdict this is (each keeps its own model id through the cascade)."""
        return DecidedBy.SLM if self.slm is not None and verdict.model_id == self.slm.model_id else DecidedBy.FAST

    def respond(self, x: GuardInput, generation: "GenerationConfig | None" = None) -> GuardResponse:
        _one_input(x, "respond")
        return self.respond_batch([x], generation)[0]

    def respond_batch(self, xs: Sequence[GuardInput], generation: "GenerationConfig | None" = None) -> list[GuardResponse]:
        """Verdicts for prompts, and for the unsafe ones the guardian's safeguard response."""
        if self.slm is None:
            raise InputError("respond needs the SLM guardian: load with Guard.load(guardian=True)")
        verdicts = self.classify_batch(xs, kind="prompt")
        unsafe = [i for i, v in enumerate(verdicts) if v.unsafe]
        prompts = [x if isinstance(x, str) else to_messages(x)[-1].content for x in xs]
        written = self.safeguards([prompts[i] for i in unsafe], [verdicts[i] for i in unsafe], generation)
        responses = dict(zip(unsafe, written))
        return [GuardResponse(v, responses.get(i), self.decided_by(v)) for i, v in enumerate(verdicts)]

    def safeguards(self, prompts: Sequence[str], verdicts: Sequence[Verdict],
                   generation: "GenerationConfig | None" = None,
                   score_tails: Callable[[list[str]], list[float]] | None = None) -> list[str]:
        """Safeguard responses for prompts already judged unsafe: written by the SLM guardian and
        output-checked when one is attached, otherwise the fixed response for the top hazard.
        `score_tails` gives P(unsafe) of each written continuation (default: this guard's fast
        detector; the server passes its batcher's)."""
        from slmguard.models.generation import GenerationConfig
        from slmguard.respond.prompts import fixed_safeguard

        # Cascade verdicts carry the fast head's hazards, which it names better than the SLM does.
        codes = [self.top_hazard(v) for v in verdicts]
        if self.slm is None:
            return [fixed_safeguard(c) for c in codes]
        if not prompts:
            return []
        written = self.guardian.safeguard(list(prompts), codes, generation or GenerationConfig())
        tails = [t for _, t in written]
        present = [i for i, t in enumerate(tails) if t.strip()]
        score = score_tails or (lambda texts: [v.score for v in self.fast.classify_batch(texts, "response")])
        scores = dict(zip(present, score([tails[i] for i in present]) if present else []))
        # An unwritten or unchecked continuation counts as unsafe.
        return self._finish(written, codes, [scores.get(i, 1.0) for i in range(len(written))])

    @staticmethod
    def top_hazard(verdict: Verdict) -> str:
        """The hazard a safeguard names: the top default-taxonomy category."""
        ranked = [c for c, _ in verdict.top_categories(len(verdict.category_scores)) if c in DEFAULT_TAXONOMY]
        return ranked[0] if ranked else "ncr"

    def _finish(self, written: Sequence[tuple[str, str]], codes: Sequence[str],
                tail_scores: Sequence[float]) -> list[str]:
        """Output check of written safeguards, given the fast detector's score of each continuation:
        what the model wrote after the opening must itself be safe, must not start doing what was
        asked and must not decline a second time (the answer reads as one); otherwise a fixed safe
        alternative replaces it."""
        from slmguard.respond.prompts import SAFE_ALTERNATIVES

        out = []
        for (opening, tail), code, score in zip(written, codes, tail_scores):
            if not tail.strip() or score >= self.threshold or is_compliance(tail) or is_refusal(tail):
                tail = SAFE_ALTERNATIVES[code]
            out.append(f"{opening} {tail}")
        return out

    @cached_property
    def fast(self) -> "Guard":
        """This guard without the SLM: the fast detector alone, for checking what the guardian wrote."""
        if self.slm is None:
            return self
        return self.derive(slm=None)

    def _verdict(self, probs: np.ndarray, custom: np.ndarray | None, kind: str, latency: float) -> Verdict:
        """One verdict, consistent by construction: unsafe exactly when the overall score reaches the
        threshold or a custom category reaches its own; an unsafe verdict names its hazards (the top
        one when none reaches its own threshold), a safe one names none. Signals (jailbreak,
        harassment) are reported beside the hazards; the overall score already covers them, as
        the unsafe output is trained on jailbreaks and directed abuse too."""
        config = self.classifier.config
        codes, k = config.codes, len(config.codes)
        scores: dict[str, float] = {}
        if self._keep_head:
            scores = {c: float(probs[j + 1]) for j, c in enumerate(codes)}
            if self.policy is not None:
                scores = {c: s for c, s in scores.items() if c in self.policy}
        signal_scores = {s: float(probs[1 + k + j]) for j, s in enumerate(config.signals)} if self._keep_head else {}
        custom_scores = dict(zip(self._custom.codes, map(float, custom))) if custom is not None else {}
        head_score = float(probs[0]) if self._keep_head else 0.0
        thresholds = {c: self.category_thresholds.get(c, 0.5) for c in {**scores, **custom_scores}}
        flagged_custom = [c for c, s in custom_scores.items() if s >= thresholds[c]]
        head_unsafe = head_score >= self.threshold
        unsafe = head_unsafe or bool(flagged_custom)
        categories: list[str] = []
        if head_unsafe and scores:
            categories = [c for c, v in scores.items() if v >= thresholds[c]] or [max(scores, key=scores.get)]
        categories = sorted(set(categories) | set(flagged_custom), key=lambda c: -{**scores, **custom_scores}[c])
        scores.update(custom_scores)
        score = max([head_score, *custom_scores.values()])
        return Verdict(unsafe, score, scores, self.threshold, thresholds, self.classifier.model_id, latency, kind,
                       signal_scores=signal_scores, signal_threshold=config.signal_threshold,
                       flagged_categories=tuple(categories))
