"""Masking of phones, emails and resident ID numbers before text leaves for an LLM."""

from __future__ import annotations

from lingxi.ai.masking import Masker, mask_text, valid_id_number


def test_masks_and_restores_each_kind():
    m = Masker()
    text = ("王总手机 138-0013-8000，也可以打 13800138000；座机 (021) 62345678，400 820 6688；"
            "email wang@huading.com.cn；身份证 11010519491231002X；US +1 (415) 555-0100")
    masked = m.mask(text)
    for value in ("138-0013-8000", "13800138000", "62345678", "820 6688", "wang@huading.com.cn", "11010519491231002X", "555-0100"):
        assert value not in masked, value
    assert masked.count("[EMAIL_1]") == 1 and "[ID_1]" in masked
    assert m.unmask(masked) == text


def test_same_value_same_placeholder_and_numbers_that_are_not_personal_stay():
    m = Masker()
    masked = m.mask("订单 SO-2024-0001 金额 500000 元，数量 12，日期 2026-11-22；手机 13912345678，再说一次 13912345678")
    assert "SO-2024-0001" in masked and "500000" in masked and "2026-11-22" in masked
    assert masked.count("[PHONE_1]") == 2 and "[PHONE_2]" not in masked


def test_id_numbers_need_a_valid_check_digit():
    assert valid_id_number("11010519491231002X")
    assert not valid_id_number("110105194912310021")
    assert "110105194912310021" in mask_text("编号 110105194912310021")  # not an ID: wrong check digit
