"""Segmentation: Chinese by words, latin by lower-cased words, phones by digits, emails three ways."""

from __future__ import annotations

from pathlib import Path

import jieba

from lingxi.search.tokenize import MAX_TERM_LENGTH, query_terms, term_counts, terms, warm_up


def test_chinese_is_segmented_for_search() -> None:
    found = terms("华鼎科技有限公司")
    assert {"华鼎", "科技", "有限公司", "华鼎科技有限公司"} <= set(found)
    assert "鼎科" not in found  # words, not substrings
    assert query_terms("华鼎科技") == ["华鼎", "科技"]
    assert {"北京市", "朝阳区", "88"} <= set(terms("北京市朝阳区建国路88号"))


def test_latin_words_are_lower_cased_without_punctuation_or_stop_words() -> None:
    assert terms("The Quick brown FOX, and the dog!") == ["quick", "brown", "fox", "dog"]
    assert query_terms("ACME Robotics") == ["acme", "robotics"]
    assert terms("ＡＢＣ１２３") == ["abc123", "abc", "123"]  # full-width folded


def test_phones_index_their_digits() -> None:
    found = terms("+86 138-1234-5678")
    assert {"8613812345678", "13812345678", "12345678"} <= set(found)
    assert "62345678" in terms("021-6234 5678")
    assert query_terms("138 1234 5678") == ["13812345678"]
    assert query_terms("1381234") == ["1381234"]


def test_emails_index_address_local_part_and_domain() -> None:
    found = terms("Li.Lei@Example.com")
    assert {"li.lei@example.com", "li.lei", "example.com", "li", "lei"} <= set(found)
    assert query_terms("li.lei@example.com") == ["li.lei@example.com"]


def test_codes_and_terms_are_capped() -> None:
    assert {"so-2024-000123", "000123", "so2024000123"} <= set(terms("SO-2024-000123"))
    long = "a" * 300
    assert terms(long) == ["a" * MAX_TERM_LENGTH]
    assert query_terms(long) == ["a" * MAX_TERM_LENGTH]


def test_repeated_words_count_once_per_occurrence() -> None:
    counts = term_counts("上海 上海 Shanghai")
    assert counts["上海"] == 2 and counts["shanghai"] == 1


def test_empty_and_stop_word_queries_have_no_terms() -> None:
    assert query_terms("") == []
    assert query_terms(" 的 the , ! ") == []


def test_jieba_cache_is_not_written_next_to_the_package() -> None:
    warm_up()
    warm_up()
    assert jieba.dt.initialized
    package_dir = Path(jieba.__file__).parent
    assert jieba.dt.tmp_dir is not None
    assert package_dir not in Path(jieba.dt.tmp_dir).resolve().parents
