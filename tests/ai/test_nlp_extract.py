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


@pytest.mark.parametrize(
    ("text", "company", "contact", "title"),
    [
        # a department the word lists do not know, named right before the role
        ("绍兴柯桥纺织城的招商部部长傅强说下周来考察", "绍兴柯桥纺织城", "傅强", "招商部部长"),
        ("常州天宁医疗器械的渠道事业部经理潘悦，电话13900001111", "常州天宁医疗器械", "潘悦", "渠道事业部经理"),
        # affiliated units and factories keep their whole name
        ("浙江大学医学院附属第一医院信息中心主任邵华联系我们", "浙江大学医学院附属第一医院", "邵华", "信息中心主任"),
        ("台州黄岩模具厂的厂长施国庆要订一批注塑机", "台州黄岩模具厂", "施国庆", "厂长"),
        ("山东寿光蔬菜合作社 理事长 隋建民 想了解冷库", "山东寿光蔬菜合作社", "隋建民", "理事长"),
        # English: a lowercase title, an organisation after "of", a visit
        ("Met Nora Quinn, owner of Quinn Bakery Supplies, at the fair.", "Quinn Bakery Supplies", "Nora Quinn", "owner"),
        ("Visited Lakeside Clinic; Dr. Omar Haddad, the medical director, wants a trial.", "Lakeside Clinic", "Omar Haddad",
         "medical director"),
    ],
)
def test_names_titles_and_companies_beyond_the_word_lists(text, company, contact, title):
    f = extract(text, REF)
    assert (f.company_name, f.contact_name, f.contact_title) == (company, contact, title)


@pytest.mark.parametrize(
    ("text", "product", "quantity"),
    [
        ("他对我们的无线巡检仪很感兴趣，先要20个试点", "无线巡检仪", 20),  # a pilot is how they buy, not what
        ("订的40箱热敏标签纸明天发货", "热敏标签纸", 40),
        ("运营总监说他们考虑上一套仓储管理系统", "仓储管理系统", 1),
        ("项目经理谭静说充电桩要先上8台", "充电桩", 8),
        ("想了解共享会议室的租赁，覆盖6个园区", "共享会议室", 6),
        ("They are evaluating our fleet telematics platform, 30 trucks to start.", "fleet telematics platform", 30),
        ("She asked about our visitor badge printers for 4 offices.", "visitor badge printers", 4),
    ],
)
def test_products_named_by_their_kind_or_by_our(text, product, quantity):
    f = extract(text, REF)
    assert f.product == product
    assert f.quantity == quantity


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("单价一千二，要两百台", 1_200),  # spoken short forms
        ("报价三万五", 35_000),
        ("预算大概两千八", 2_800),
    ],
)
def test_spoken_amounts_after_a_money_word(text, amount):
    assert find_money(text)[0] == amount


def test_a_few_boards_are_a_count_not_money():
    f = extract("学校想买智慧黑板，一共12块，下周三去看教室", REF)
    assert f.quantity == 12
    assert f.amount is None and f.currency is None


@pytest.mark.parametrize(
    ("text", "company", "contact", "title"),
    [
        # a role the lists lacked, an organisation without a suffix, named before the role
        ("跟京东的采购BP孟凡聊了聊", "京东", "孟凡", "采购BP"),
        ("国网杭州供电局的安全专责邹磊说要培训", "国网杭州供电局", "邹磊", "安全专责"),
        # the department and the role written apart
        ("浙江华友钴业 设备部 部长 钟毅 来电", "浙江华友钴业", "钟毅", "设备部部长"),
        # English: a lowercase "head of", a first name placed by "from", a business word as the suffix
        ("Talked to Maria Silva, head of procurement at Lisbon Foods Lda.", "Lisbon Foods Lda", "Maria Silva", "head of procurement"),
        ("Ahmed from Crescent Realty (office manager) asked for a demo.", "Crescent Realty", "Ahmed", "office manager"),
    ],
)
def test_more_ways_of_naming_people_and_employers(text, company, contact, title):
    f = extract(text, REF)
    assert (f.company_name, f.contact_name, f.contact_title) == (company, contact, title)


@pytest.mark.parametrize(
    ("text", "product", "quantity"),
    [
        ("Interested in 40 handheld label printers, quote by Friday.", "handheld label printers", 40),
        ("They will pilot our visitor check-in app in 3 offices.", "visitor check-in app", 3),
        ("先开15个坐席试用智能质检机器人", "智能质检机器人", 15),  # seats are how many, not what
    ],
)
def test_products_after_english_pilots_and_interest(text, product, quantity):
    f = extract(text, REF)
    assert (f.product, f.quantity) == (product, quantity)


def test_an_english_product_named_by_its_kind():
    f = extract("Follow-up with Dana Reyes about the route optimisation module next week.", REF)
    assert f.product == "route optimisation module"
    assert extract("They signed for 6 units of the K4 series.", REF).product == "K4"


@pytest.mark.parametrize(
    ("text", "company", "contact", "title"),
    [
        ("晚上和比亚迪的采购经理葛亮喝了个茶", "比亚迪", "葛亮", "采购经理"),  # time words before the company are not its name
        ("今天去了趟中远海运物流，见了他们的数据架构师韦东", "中远海运物流", "韦东", "数据架构师"),
        ("杭州海康威视的供应链总监助理庞丽说要比价", "杭州海康威视", "庞丽", "供应链总监助理"),
        ("客户名称：宇通客车；联系人：邢军；职位：采购部高级经理", "宇通客车", "邢军", "采购部高级经理"),
        ("Call with Ana Ruiz (VP Sales, Solara Energy Systems) today.", "Solara Energy Systems", "Ana Ruiz", "VP Sales"),
        ("Met Kenji Mori, general manager of Fuji Tools Co., Ltd.", "Fuji Tools Co., Ltd", "Kenji Mori", "general manager"),
    ],
)
def test_time_words_compound_roles_labels_and_bracketed_employers(text, company, contact, title):
    f = extract(text, REF)
    assert (f.company_name, f.contact_name, f.contact_title) == (company, contact, title)


def test_packed_english_quantities():
    f = extract("They want 120 cartons of oat milk for the autumn promotion.", REF)
    assert (f.product, f.quantity) == ("oat milk", 120)
