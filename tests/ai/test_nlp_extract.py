"""Extraction rules without the API: amounts, currencies, dates, contacts."""

from __future__ import annotations

from datetime import date

import pytest

from lingxi.ai.nlp.extract import extract, find_money

REF = date(2025, 3, 12)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("预算五十万", 500_000, "CNY"),
        ("合同金额50万元", 500_000, "CNY"),
        ("报价¥500,000", 500_000, "CNY"),
        ("总额1.2亿", 120_000_000, "CNY"),
        ("对方出价三百万美元", 3_000_000, "USD"),
        ("deal worth $50k", 50_000, "USD"),
        ("budget is 50,000 USD", 50_000, "USD"),
        ("大概八千块", 8_000, "CNY"),
        ("RMB 30万", 300_000, "CNY"),
    ],
)
def test_amounts_in_every_common_form(text, amount, currency):
    value, cur, _ = find_money(text)
    assert value == amount
    assert cur == currency


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("下周三去客户那边演示", "2025-03-19"),
        ("明天下午电话沟通报价", "2025-03-13"),
        ("后天把合同寄过去", "2025-03-14"),
        ("两周后回访", "2025-03-26"),
        ("月底前签约", "2025-03-31"),
        ("send the proposal next Friday", "2025-03-21"),
        ("follow up in two weeks", "2025-03-26"),
        ("call them tomorrow", "2025-03-13"),
        ("demo on April 3", "2025-04-03"),
    ],
)
def test_relative_dates_resolve_against_the_reference(text, expected):
    assert extract(text, REF).next_step_date == expected


def test_phone_and_email_are_not_amounts():
    f = extract("王经理 13900001111 wang@boyuan.cn 订单号 SO-20250311", REF)
    assert f.phone == "13900001111"
    assert f.email == "wang@boyuan.cn"
    assert f.amount is None and f.currency is None


def test_english_note():
    f = extract(
        "Met John Smith, VP of Sales at Acme Corp (john@acme.com). They want 50 licenses of CRM Pro, "
        "deal worth $50k. Next step: send proposal next Friday.",
        REF,
    )
    assert (f.company_name, f.contact_name, f.contact_title) == ("Acme Corp", "John Smith", "VP of Sales")
    assert (f.quantity, f.product, f.amount, f.currency) == (50, "CRM Pro", 50_000, "USD")
    assert f.next_step_date == "2025-03-21"
    assert f.next_step and "proposal" in f.next_step


def test_nothing_said_means_null():
    f = extract("好的，收到", REF)
    assert all(v is None for v in f.as_dict().values())


@pytest.mark.parametrize(
    ("text", "company", "contact", "title"),
    [
        ("海尔智家的采购专员林晓燕确认了", "海尔智家", "林晓燕", "采购专员"),
        ("跟美的集团的王芳聊了", "美的集团", "王芳", None),
        ("北京协和医院设备处处长王海涛来电", "北京协和医院", "王海涛", "设备处处长"),
        ("华泰证券信息技术部副总经理冯伟", "华泰证券", "冯伟", "信息技术部副总经理"),
        ("蓝海医疗的刘主任说要再看看", "蓝海医疗", "刘主任", None),
        ("Spoke with Anna Müller, CFO of Nordic Timber AB.", "Nordic Timber AB", "Anna Müller", "CFO"),
        ("Had a call with Ben Carter, Operations Manager at Northwind Traders.", "Northwind Traders", "Ben Carter",
         "Operations Manager"),
        ("Initech's IT Director, Bill Lumbergh, asked for a trial.", "Initech", "Bill Lumbergh", "IT Director"),
    ],
)
def test_companies_contacts_and_titles(text, company, contact, title):
    f = extract(text, REF)
    assert (f.company_name, f.contact_name, f.contact_title) == (company, contact, title)


@pytest.mark.parametrize(
    ("text", "quantity", "product"),
    [
        ("要买两套MES系统", 2, "MES系统"),
        ("想订五百个温湿度传感器", 500, "温湿度传感器"),
        ("给全校配一百块智慧黑板", 100, "智慧黑板"),
        ("要换一批自助入住机，十台左右", 10, "自助入住机"),
        ("They want to order 1,000 boxes of EcoPack.", 1000, "EcoPack"),
        ("Globex wants 15 more seats of Lingxi Pro.", 15, "Lingxi Pro"),
        ("They need 40 fleet trackers and a support plan.", 40, "fleet trackers"),
        ("她们要部署反欺诈平台", None, "反欺诈平台"),
    ],
)
def test_quantities_and_products(text, quantity, product):
    f = extract(text, REF)
    assert (f.quantity, f.product) == (quantity, product)


def test_a_company_name_with_a_number_word_is_not_money():
    f = extract("万达集团行政经理黄莉说他们要买二十台空气净化器", REF)
    assert f.company_name == "万达集团"
    assert f.amount is None and f.quantity == 20


def test_catalogue_products_are_recognised_by_name():
    catalogue = ["营销自动化模块（年订阅）", "服务器一体机 LX-S200"]
    assert extract("客户想了解一下营销自动化模块的价格", REF, catalogue).product == "营销自动化模块"
    assert extract("他们要3台服务器一体机LX-S200", REF, catalogue).product == "服务器一体机LX-S200"
    assert extract("他们要3台扫码枪", REF, catalogue).product == "扫码枪"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("报价单周五前发给他", "2025-03-14"),
        ("下周一前派人处理", "2025-03-17"),
        ("4月10日前完成评估", "2025-04-10"),
        ("今天电话回访了客户，下个月付款", "2025-04-01"),
    ],
)
def test_deadlines_resolve_to_their_end(text, expected):
    assert extract(text, REF).next_step_date == expected


@pytest.mark.parametrize(
    ("text", "company", "contact"),
    [
        ("下午去了趟华鼎，见了张伟", "华鼎", "张伟"),
        ("客户：远景，联系人：李娜", "远景", "李娜"),
        ("腾讯云的王磊说要50个账号", "腾讯云", "王磊"),
        ("华为终端的李总下周来", "华为终端", "李总"),
        ("和Acme的John聊了续约", "Acme", None),
        ("Visited Acme today, met Sarah Lee", "Acme", "Sarah Lee"),
        ("我们公司的系统又报错了", None, None),
    ],
)
def test_companies_without_a_suffix(text, company, contact):
    f = extract(text, REF)
    assert (f.company_name, f.contact_name) == (company, contact)


@pytest.mark.parametrize("text", ["客户要求下周一前派人处理", "我们要尽快签约", "对方说要先走内部审批", "预计需要三个月上线"])
def test_verbs_and_plans_are_not_products(text):
    assert extract(text, REF).product is None
