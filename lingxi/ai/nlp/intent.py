"""Intent recognition: ten labels, one shared base model and a model per tenant that has examples.

Two stacked models answer, a fast one and a thorough one, each a logistic regression over TF-IDF features
(character n-grams, jieba words, cue-word groups) plus a vector from the offline multilingual encoder (see
``classifier``): the fast model takes the encoder's mean subword embedding (~0.5 ms), the thorough one its
full sentence vector (3-15 ms). The fast model answers when it is sure (confidence ≥ ESCALATE_BELOW, about
85% of requests); otherwise the thorough model decides. Chosen on the dev sets: the cascade is as accurate
as the thorough model alone and costs a fifth of its CPU. The base models train from the bundled corpus on
first use (20-40 s on 2 cores, most of it encoding the corpus) and are cached in ``data_dir/models/nlp``.
A tenant's examples act at once through a nearest-example overlay (a text close to a tenant example takes
its label) and, once retrained in the background, through a tenant model pair trained on the bundled corpus
plus the tenant's examples, weighted up. Nothing downloads.
"""

from __future__ import annotations

import hashlib
import threading
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import joblib
import numpy as np
import sklearn
import structlog

from lingxi.ai.nlp.classifier import Prediction, TextClassifier, normalize
from lingxi.ai.nlp.corpus import intent_corpus
from lingxi.kit.files import private_tmp

log = structlog.get_logger("lingxi.ai.nlp")

INTENTS: tuple[str, ...] = (
    "query_data", "analyze_data", "seek_advice", "resolve_problem", "create_record",
    "update_record", "search_knowledge", "generate_content", "schedule_task", "other",
)
# bump when the features change, so that a cached model of another kind is never loaded
MODEL_KIND = "stacked-use-v2"
ESCALATE_BELOW = 0.7
TENANT_WEIGHT = 4.0
OVERLAY_MIN_SIMILARITY = 0.8
MAX_EXAMPLES_PER_TENANT = 5000


def _digest(rows: Sequence[tuple[str, str]]) -> str:
    h = hashlib.sha256(f"{sklearn.__version__}/{MODEL_KIND}".encode())
    for label, text in rows:
        h.update(f"{label}\t{text}\n".encode())
    return h.hexdigest()[:16]


@dataclass
class IntentModel:
    classifier: TextClassifier
    thorough: TextClassifier | None = None
    overlay_texts: list[str] = field(default_factory=list)
    overlay_labels: list[str] = field(default_factory=list)
    overlay_vectors: object | None = None

    def with_overlay(self, examples: Sequence[tuple[str, str]]) -> IntentModel:
        texts = [t for t, _ in examples]
        vectors = self.classifier.vectors(texts) if texts else None
        return IntentModel(
            self.classifier, self.thorough, [normalize(t) for t in texts], [lbl for _, lbl in examples], vectors
        )

    def predict_model(self, text: str) -> Prediction:
        """The models' answer: the fast model's when it is sure, else the thorough model's."""
        pred = self.classifier.predict(text)
        if self.thorough is not None and pred.confidence < ESCALATE_BELOW:
            return self.thorough.predict(text)
        return pred

    def predict(self, text: str) -> Prediction:
        pred = self.predict_model(text)
        if not self.overlay_texts:
            return pred
        norm = normalize(text)
        if norm in self.overlay_texts:
            label, sim = self.overlay_labels[self.overlay_texts.index(norm)], 1.0
        else:
            sims = (self.overlay_vectors @ self.classifier.vectors([text]).T).toarray().ravel()  # type: ignore[union-attr]
            best = int(np.argmax(sims))
            label, sim = self.overlay_labels[best], float(sims[best])
            if sim < OVERLAY_MIN_SIMILARITY:
                return pred
        if label == pred.label:
            return Prediction(label, max(pred.confidence, sim), pred.alternatives)
        ranked = {lbl: p * (1 - sim) for lbl, p in [(pred.label, pred.confidence), *pred.alternatives]}
        ranked[label] = max(sim, ranked.get(label, 0.0))
        order = sorted(ranked.items(), key=lambda kv: -kv[1])
        return Prediction(order[0][0], order[0][1], order[1:])


class IntentService:
    """Process-wide holder of the base model and the tenants' models."""

    def __init__(self, model_dir: Path):
        self.model_dir = model_dir
        self._lock = threading.Lock()
        self._base: IntentModel | None = None
        self._tenants: dict[uuid.UUID, tuple[str, IntentModel]] = {}
        self._training: set[tuple[uuid.UUID, str]] = set()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="intent-train")

    def _train(
        self, rows: Sequence[tuple[str, str]], weights: Sequence[float] | None, name: str, vectors: str
    ) -> TextClassifier:
        path = self.model_dir / f"{name}-{vectors}.joblib"
        if path.exists():
            try:
                return joblib.load(path)
            except Exception:  # noqa: BLE001 - a corrupt or incompatible cache is rebuilt
                log.warning("intent_model_cache_unreadable", path=str(path))
        clf = TextClassifier(vectors=vectors).fit([t for _, t in rows], [lbl for lbl, _ in rows], weights)
        self.model_dir.mkdir(parents=True, exist_ok=True)
        tmp = private_tmp(path)
        joblib.dump(clf, tmp)
        tmp.replace(path)
        return clf

    def _train_pair(self, rows: Sequence[tuple[str, str]], weights: Sequence[float] | None, name: str) -> IntentModel:
        """The fast and the thorough model; the thorough one is written last, so its file marks a complete pair."""
        fast = self._train(rows, weights, name, "tokens")
        return IntentModel(fast, self._train(rows, weights, name, "sentence"))

    def base(self) -> IntentModel:
        with self._lock:
            if self._base is None:
                rows = intent_corpus()
                self._base = self._train_pair(rows, None, f"intent-base-{_digest(rows)}")
            return self._base

    def train_tenant(self, tenant_id: uuid.UUID, examples: Sequence[tuple[str, str]]) -> IntentModel:
        """Train (or load from cache) the tenant's model; blocks for a few seconds."""
        fingerprint = examples_fingerprint(examples)
        base_rows = list(intent_corpus())
        rows = base_rows + [(label, text) for text, label in examples]
        weights = [1.0] * len(base_rows) + [TENANT_WEIGHT] * len(examples)
        model = self._train_pair(rows, weights, f"intent-tenant-{tenant_id.hex}-{fingerprint}").with_overlay(examples)
        with self._lock:
            self._tenants[tenant_id] = (fingerprint, model)
        return model

    def cached(self, tenant_id: uuid.UUID, fingerprint: str) -> IntentModel | None:
        """The tenant's model for exactly these examples when it is in memory (no work, no waiting)."""
        hit = self._tenants.get(tenant_id)
        return hit[1] if hit and hit[0] == fingerprint else None

    def for_tenant(
        self, tenant_id: uuid.UUID, examples: Sequence[tuple[str, str]] | None, fingerprint: str | None = None
    ) -> IntentModel:
        """The tenant's current model. Without examples, the base model. With examples that no trained model
        has seen yet, the base model with the examples as overlay (kept in memory) while a retrain runs.
        May take seconds on a change (encoding the examples): call it from a worker thread."""
        if not examples:
            return self.base()
        fingerprint = fingerprint or examples_fingerprint(examples)
        hit = self.cached(tenant_id, fingerprint)
        if hit is not None:
            return hit
        if (self.model_dir / f"intent-tenant-{tenant_id.hex}-{fingerprint}-sentence.joblib").exists():
            return self.train_tenant(tenant_id, examples)
        overlay = self.base().with_overlay(examples)
        with self._lock:
            current = self._tenants.get(tenant_id)
            if current and current[0] == fingerprint:  # the retrain finished meanwhile
                return current[1]
            self._tenants[tenant_id] = (fingerprint, overlay)
        self.schedule_retrain(tenant_id, examples)
        return overlay

    def schedule_retrain(self, tenant_id: uuid.UUID, examples: Sequence[tuple[str, str]]) -> None:
        key = (tenant_id, examples_fingerprint(examples))
        with self._lock:
            if key in self._training:
                return
            self._training.add(key)

        def run() -> None:
            try:
                self.train_tenant(tenant_id, list(examples))
            except Exception:  # noqa: BLE001 - the overlay keeps working; the next change retries
                log.exception("intent_tenant_retrain_failed", tenant_id=str(tenant_id))
            finally:
                with self._lock:
                    self._training.discard(key)

        self._pool.submit(run)


def examples_fingerprint(examples: Sequence[tuple[str, str]]) -> str:
    return _digest(sorted((label, text) for text, label in examples))
