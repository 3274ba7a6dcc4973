"""Sentiment of customer-service and sales text: ``positive``, ``neutral`` or ``negative`` with a score.

Trained on a bundled bilingual corpus of business messages (complaints, polite-but-negative replies,
questions and logistics that are neutral, praise), with negation scope as a feature. General-purpose
lexicons (snownlp and the like) call "价格还要再谈谈" or "请问发票什么时候开" negative and "谢谢，不过问题还是没有解决"
positive; this model learns the business reading instead.

``score`` is in [-1, 1]: P(positive) - P(negative). ``confidence`` is the probability of the chosen label.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import joblib

from lingxi.ai.nlp.classifier import TextClassifier
from lingxi.ai.nlp.corpus import sentiment_corpus
from lingxi.ai.nlp.intent import _digest
from lingxi.kit.files import private_tmp

LABELS = ("positive", "neutral", "negative")


@dataclass
class Sentiment:
    label: str
    score: float
    confidence: float


class SentimentService:
    def __init__(self, model_dir: Path):
        self.model_dir = model_dir
        self._lock = threading.Lock()
        self._clf: TextClassifier | None = None

    def classifier(self) -> TextClassifier:
        with self._lock:
            if self._clf is None:
                rows = sentiment_corpus()
                path = self.model_dir / f"sentiment-{_digest(rows)}.joblib"
                clf: TextClassifier | None = None
                if path.exists():
                    try:
                        clf = joblib.load(path)
                    except Exception:  # noqa: BLE001 - rebuilt below
                        clf = None
                if clf is None:
                    clf = TextClassifier(negation=True).fit([t for _, t in rows], [lbl for lbl, _ in rows])
                    self.model_dir.mkdir(parents=True, exist_ok=True)
                    tmp = private_tmp(path)
                    joblib.dump(clf, tmp)
                    tmp.replace(path)
                self._clf = clf
            return self._clf

    def analyse(self, text: str) -> Sentiment:
        pred = self.classifier().predict(text)
        probs = dict([(pred.label, pred.confidence), *pred.alternatives])
        score = probs.get("positive", 0.0) - probs.get("negative", 0.0)
        return Sentiment(label=pred.label, score=round(score, 4), confidence=round(pred.confidence, 4))
