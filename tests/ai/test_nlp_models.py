"""The intent and sentiment models on lines written apart from their training data (no server)."""

from __future__ import annotations

import pytest

from lingxi.ai.nlp.classifier import negated_word_features
from lingxi.ai.nlp.corpus import intent_corpus, sentiment_corpus
from lingxi.ai.nlp.intent import IntentService
from lingxi.ai.nlp.sentiment import SentimentService


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    path = tmp_path_factory.mktemp("nlp-models")
    return IntentService(path).base(), SentimentService(path)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("转化率为什么一直上不去", "analyze_data"),
        ("客户嫌贵不肯签，我下一步怎么办", "seek_advice"),
        ("产品保修期是多久，政策里怎么写的", "search_knowledge"),
        ("帮我起草一封给张总的感谢邮件", "generate_content"),
        ("下周一上午提醒我给张总发邮件", "schedule_task"),
        ("新建联系人：刘敏，财务主管", "create_record"),
        ("把这个商机的阶段改成赢单", "update_record"),
        ("上个月一共回款多少", "query_data"),
        ("导入文件一直报错", "resolve_problem"),
        ("明天北京天气怎么样", "other"),
    ],
)
def test_intent_boundaries(models, text, intent):
    assert models[0].predict(text).label == intent


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("谢谢你们的跟进，可惜效果很一般", "negative"),
        ("虽然价格贵一点，但确实值", "positive"),
        ("we are not happy with how slow the rollout was", "negative"),
        ("请把报价单发我一份", "neutral"),
    ],
)
def test_sentiment_after_a_contrast(models, text, label):
    assert models[1].analyse(text).label == label


def test_contrast_and_negation_features():
    feats = negated_word_features("谢谢，不过不太满意")
    assert "BUT_满意" in feats and "NEG_满意" in feats


@pytest.mark.parametrize("folder", ["dev", "dev2", "."])
def test_corpora_are_deterministic_and_disjoint_from_the_evaluation_sets(folder):
    """No training line is also a line of a dev set or of the held-out set (checked by count, unread)."""
    assert intent_corpus() == intent_corpus.__wrapped__()
    assert sentiment_corpus() == sentiment_corpus.__wrapped__()
    from pathlib import Path

    data = Path(__file__).parents[2] / "bench" / "nlp_eval" / folder
    train = {t for _, t in intent_corpus()} | {t for _, t in sentiment_corpus()}
    for name in ("intent.tsv", "sentiment.tsv"):
        if not (data / name).exists():
            continue
        lines = [x.partition("\t")[2].strip() for x in (data / name).read_text(encoding="utf-8").splitlines() if "\t" in x]
        assert lines and not (set(lines) & train)


def test_the_fast_path_gives_scikit_learns_probabilities(models):
    for clf in (models[0].classifier, models[0].thorough):
        for text in ("帮我查下上个月的回款", "why did churn go up", "提醒我明天给张总打电话", "x"):
            expected = clf.model.predict_proba(clf._features([text]))[0]
            assert abs(clf._fast_proba(text) - expected).max() < 1e-9


def test_an_unsure_fast_answer_goes_to_the_thorough_model(models):
    """The cascade: a confident fast answer stands; an unsure one is decided by the full-sentence model."""
    from lingxi.ai.nlp.intent import ESCALATE_BELOW

    model = models[0]
    sure = "帮我查一下上个月华东区的销售额"
    assert model.classifier.predict(sure).confidence >= ESCALATE_BELOW
    assert model.predict(sure) == model.classifier.predict(sure)
    texts = ["那个事情你看着弄一下", "这个客户怎么说", "能不能搞定这个", "看看这个", "it's about the Orion thing",
             "客户那边又来消息了", "帮我处理下张总的事", "这周的情况"]
    unsure = [t for t in texts if model.classifier.predict(t).confidence < ESCALATE_BELOW]
    assert unsure
    for text in unsure:
        assert model.predict(text) == model.thorough.predict(text)
