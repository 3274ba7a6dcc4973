"""Bundled training corpora: hand-written lines (``data/*.tsv``) plus template expansions and noise.

Templates multiply the hand-written lines with CRM vocabulary (companies, people, entities, periods,
metrics) so that the model learns the shape of a request rather than particular names. Noise (dropped or
swapped characters, missing punctuation, case changes) teaches it the typos real users make. Everything
is seeded: the same corpus, hence the same model, on every build.
"""

from __future__ import annotations

import random
from functools import cache
from itertools import product
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"

COMPANIES = ["华鼎科技", "远景能源", "博远科技", "星辰物流", "云帆网络", "万达集团", "恒通制造", "蓝海医疗",
             "Acme", "Globex", "Initech", "Umbrella Corp", "Stark Industries", "Wayne Enterprises"]
PEOPLE = ["张总", "王经理", "李娜", "陈总", "刘主任", "赵工", "小王", "老周", "John", "Sarah", "Mike Chen", "Lisa"]
ENTITIES_ZH = ["客户", "线索", "商机", "联系人", "订单", "合同", "报价单", "工单", "回款", "活动记录", "发票"]
ENTITIES_EN = ["accounts", "leads", "opportunities", "contacts", "orders", "contracts", "quotes", "tickets",
               "invoices", "activities", "deals"]
PERIODS_ZH = ["上个月", "本月", "这周", "上周", "今年", "去年", "上季度", "本季度", "最近30天", "昨天", "今天", "Q3"]
PERIODS_EN = ["last month", "this month", "this week", "last week", "this year", "last quarter", "in Q2",
              "over the past 30 days", "yesterday", "today"]
METRICS_ZH = ["销售额", "回款", "成交量", "线索数", "转化率", "赢单率", "客单价", "毛利", "续约率", "工单量"]
METRICS_EN = ["revenue", "bookings", "win rate", "conversion rate", "deal size", "churn", "pipeline value",
              "renewal rate", "ticket volume", "margin"]
REGIONS = ["华东区", "华南区", "北京", "上海", "深圳", "海外", "渠道", "大客户部"]
WHEN_ZH = ["明天", "后天", "下周一", "下周三", "周五", "月底", "明天下午三点", "下个月5号", "两周后", "今晚八点"]
WHEN_EN = ["tomorrow", "next Monday", "on Friday", "next week", "at 3pm tomorrow", "in two weeks", "end of month"]
FIELDS_ZH = ["电话", "邮箱", "地址", "职位", "阶段", "金额", "负责人", "状态", "预计成交日期", "客户等级"]
FIELDS_EN = ["phone", "email", "address", "title", "stage", "amount", "owner", "status", "close date"]
DOCS_ZH = ["退货政策", "保修条款", "折扣审批规定", "报销制度", "产品手册", "安装指南", "价格政策", "服务协议",
           "发票规定", "代理商政策", "安全白皮书", "操作手册"]
DOCS_EN = ["return policy", "warranty terms", "discount policy", "expense policy", "product manual",
           "installation guide", "pricing policy", "service agreement", "security whitepaper", "user guide"]
CONTENT_ZH = ["跟进邮件", "周报", "月度总结", "会议纪要", "产品介绍", "推广文案", "感谢信", "催款邮件", "方案大纲",
              "邀请函", "道歉信", "客户拜访总结"]
CONTENT_EN = ["follow-up email", "weekly report", "meeting summary", "product blurb", "marketing copy",
              "thank-you note", "payment reminder email", "proposal outline", "invitation", "call recap"]
PROBLEMS_ZH = ["登录不了", "一直报错", "打不开", "卡死了", "同步失败", "数据不对", "闪退", "提示权限不足", "上传失败",
               "保存不了", "收不到验证码", "页面空白"]
PROBLEMS_EN = ["won't load", "keeps crashing", "throws an error", "is broken", "fails to sync", "shows wrong numbers",
               "is stuck", "says permission denied", "doesn't save"]
FEATURES_ZH = ["系统", "App", "导入功能", "报表", "邮件同步", "审批流", "小程序", "打印", "搜索", "导出"]
FEATURES_EN = ["the CRM", "the app", "import", "the dashboard", "email sync", "the approval flow", "search", "export"]

TEMPLATES: dict[str, list[str]] = {
    "query_data": [
        "查一下{period}{region}的{metric}", "{period}的{metric}是多少", "帮我看看{company}的{entity_zh}",
        "{person}负责的{entity_zh}有哪些", "列出{period}新增的{entity_zh}", "{company}的{field_zh}是多少",
        "show me {entity_en} from {period_en}", "what was our {metric_en} {period_en}",
        "list all {entity_en} for {company}", "how many {entity_en} do we have {period_en}",
        "查下{company}的{entity_zh}", "{region}{period}有几个{entity_zh}", "看下 {company} 的 {entity_en}",
        "我想知道{period}{metric}多少", "给我拉一份{period}的{entity_zh}清单", "{person}的{field_zh}是啥",
    ],
    "analyze_data": [
        "为什么{period}的{metric}下降了", "分析一下{region}{metric}的变化趋势", "对比{period}和去年同期的{metric}",
        "{metric}上升的主要原因是什么", "哪些因素影响了{metric}", "why did {metric_en} change {period_en}",
        "compare {metric_en} {period_en} versus last year", "what is driving our {metric_en}",
        "analyze the trend of {metric_en} by region", "{region}和其他区域的{metric}差在哪", "{metric}为啥波动这么大",
        "break down {metric_en} by product", "分析 {period} 的 {metric_en}", "拆解一下{metric}下滑的原因",
    ],
    "seek_advice": [
        "{company}一直不回复，我该怎么办", "怎么推进{company}这个商机", "{person}嫌贵，怎么谈比较好",
        "有什么办法提高{metric}", "下一步该怎么跟{person}沟通", "what should I do about {company}",
        "how can I improve our {metric_en}", "any advice for the {company} deal", "{company}这单要不要让价",
        "how do I convince {person} to sign", "跟 {company} 的 deal 怎么 push 比较好", "你建议我怎么处理{company}这个客户",
    ],
    "resolve_problem": [
        "{feature_zh}{problem_zh}", "{feature_zh}又{problem_zh}了，帮忙看下", "{company}反馈{feature_zh}{problem_zh}",
        "{feature_en} {problem_en}", "{company} says {feature_en} {problem_en}", "{feature_zh}{problem_zh}，急",
        "help, {feature_en} {problem_en}", "{company}投诉我们的产品有问题，要求处理", "{company} complained about a faulty unit",
    ],
    "create_record": [
        "新建一个{entity_zh}，公司是{company}", "帮我录入{company}的{person}为联系人", "记录一下{period}拜访了{company}",
        "给{company}新建一个商机", "添加一条{company}的跟进记录", "create a new lead for {company}",
        "add {person} as a contact at {company}", "log a call with {person} from {company}",
        "新增{entity_zh}：{company}，联系人{person}", "record a meeting with {company}", "建一个 {company} 的 account",
    ],
    "update_record": [
        "把{company}的{field_zh}改一下", "更新{person}的{field_zh}", "把{company}这单的阶段改成谈判",
        "{company}的商机标记为赢单", "把{person}的{entity_zh}转给小王", "update the {field_en} of {company}",
        "change {person}'s {field_en}", "mark the {company} deal as lost", "reassign {company} to {person}",
        "修改{company}的{field_zh}", "把 {company} 的 {field_en} 改成最新的", "{person}换公司了，更新一下资料",
    ],
    "search_knowledge": [
        "{doc_zh}是怎么规定的", "我们的{doc_zh}在哪看", "{doc_zh}里关于这个怎么说", "有没有{doc_zh}",
        "what does the {doc_en} say about this", "where is the {doc_en}", "查一下{doc_zh}的内容",
        "according to the {doc_en}, what applies", "{doc_zh}最新版是什么", "客户问到{doc_zh}，标准答案是什么",
    ],
    "generate_content": [
        "帮我写一份{content_zh}", "给{person}写{content_zh}", "生成一份{period}的{content_zh}", "起草一封给{company}的{content_zh}",
        "write a {content_en} for {company}", "draft a {content_en} to {person}", "generate a {content_en}",
        "帮我写个 {content_en}", "给 {company} 写一封{content_zh}", "把这些整理成{content_zh}",
    ],
    "schedule_task": [
        "{when_zh}提醒我跟进{company}", "{when_zh}约{person}开会", "{when_zh}安排拜访{company}", "帮我建个任务，{when_zh}前联系{person}",
        "remind me to call {person} {when_en}", "schedule a meeting with {company} {when_en}",
        "set a task to follow up with {company} {when_en}", "{when_zh}和{person}电话会议，加到日程",
        "{when_en} remind 我联系 {company}", "把和{company}的会改到{when_zh}",
    ],
    "other": [
        "{person}你好", "hi {person}", "谢谢{person}", "今天心情不错", "今天{period}天气如何",
    ],
}

SLOTS = {
    "company": COMPANIES, "person": PEOPLE, "entity_zh": ENTITIES_ZH, "entity_en": ENTITIES_EN,
    "period": PERIODS_ZH, "period_en": PERIODS_EN, "metric": METRICS_ZH, "metric_en": METRICS_EN,
    "region": REGIONS, "when_zh": WHEN_ZH, "when_en": WHEN_EN, "field_zh": FIELDS_ZH, "field_en": FIELDS_EN,
    "doc_zh": DOCS_ZH, "doc_en": DOCS_EN, "content_zh": CONTENT_ZH, "content_en": CONTENT_EN,
    "problem_zh": PROBLEMS_ZH, "problem_en": PROBLEMS_EN, "feature_zh": FEATURES_ZH, "feature_en": FEATURES_EN,
}


def read_tsv(name: str) -> list[tuple[str, str]]:
    """``label<TAB>text`` lines; ``#`` starts a comment."""
    rows = []
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, _, text = line.partition("\t")
        if text.strip():
            rows.append((label.strip(), text.strip()))
    return rows


def expand(templates: dict[str, list[str]], per_template: int, rng: random.Random) -> list[tuple[str, str]]:
    rows = []
    for label, items in templates.items():
        for template in items:
            names = [n for n in SLOTS if "{" + n + "}" in template]
            combos = list(product(*(SLOTS[n] for n in names))) or [()]
            rng.shuffle(combos)
            for combo in combos[:per_template]:
                text = template.format(**dict(zip(names, combo, strict=True)))
                if "不不" not in text and "不够不" not in text and "not un" not in text:
                    rows.append((label, text))
    return rows


def noisy(text: str, rng: random.Random) -> str:
    """A plausible typo: a dropped, doubled or swapped character, lost punctuation, or changed case."""
    kind = rng.randrange(5)
    chars = list(text)
    if len(chars) < 4:
        return text
    i = rng.randrange(1, len(chars) - 1)
    if kind == 0:
        del chars[i]
    elif kind == 1:
        chars.insert(i, chars[i])
    elif kind == 2:
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    elif kind == 3:
        return "".join(c for c in text if c not in "，。？！,.?!：:")
    else:
        return text.upper() if rng.random() < 0.3 else text.lower()
    return "".join(chars)


def with_noise(rows: list[tuple[str, str]], share: float, rng: random.Random) -> list[tuple[str, str]]:
    extra = [(label, noisy(text, rng)) for label, text in rows if rng.random() < share]
    return rows + [r for r in extra if r[1]]


@cache
def intent_corpus() -> tuple[tuple[str, str], ...]:
    rng = random.Random(20240501)
    rows = read_tsv("intent_train.tsv") + read_tsv("intent_train_more.tsv") + read_tsv("intent_train_boundary.tsv")
    rows += read_tsv("intent_train_varied.tsv")
    rows += expand(TEMPLATES, per_template=8, rng=rng)
    return tuple(dict.fromkeys(with_noise(rows, 0.35, rng)))


@cache
def sentiment_corpus() -> tuple[tuple[str, str], ...]:
    rng = random.Random(20240502)
    rows = read_tsv("sentiment_train.tsv") + read_tsv("sentiment_train_more.tsv") + _expand_sentiment(rng, per_template=12)
    return tuple(dict.fromkeys(with_noise(rows, 0.3, rng)))


SENTIMENT_SLOTS = {
    "subj": ["产品", "服务", "系统", "售后", "交付", "你们的方案", "客服", "物流", "新版本", "这次的安装", "培训", "报价"],
    "subj_en": ["the product", "your service", "support", "the delivery", "the new version", "the onboarding",
                "the proposal", "your team", "the installation"],
    "pos_adj": ["满意", "好用", "专业", "及时", "稳定", "靠谱", "方便", "合理"],
    "pos_adj_en": ["good", "helpful", "reliable", "fast", "professional", "easy to use", "satisfying", "happy", "satisfied",
                   "impressed", "great"],
    "neg_adj": ["差", "慢", "贵", "麻烦", "难用", "不稳定", "敷衍", "糟糕", "坑"],
    "neg_adj_en": ["slow", "buggy", "expensive", "unreliable", "confusing", "disappointing", "terrible", "mediocre",
                   "frustrating"],
    "polite": ["您好", "谢谢", "辛苦了", "感谢回复", "不好意思", "麻烦了"],
    "polite_en": ["thanks", "hi", "appreciate it", "sorry to bother", "with respect"],
    "ask": ["怎么收费", "支持哪些功能", "什么时候上线", "有没有试用版", "需要多久交付", "在哪里下载", "能开专票吗"],
    "ask_en": ["how is it priced", "when will it be available", "is there a trial", "how long does setup take",
               "does it support SSO", "can you send the spec sheet"],
}

SENTIMENT_TEMPLATES: dict[str, list[str]] = {
    "positive": [
        "{subj}很{pos_adj}", "{subj}挺{pos_adj}的，谢谢", "{subj}一点都不{neg_adj}", "{subj}不{neg_adj}，还可以",
        "{subj_en} is really {pos_adj_en}", "{subj_en} is not {neg_adj_en} at all", "{subj}非常{pos_adj}，感谢",
        "{subj_en} was {pos_adj_en}, thanks", "{polite}，{subj}很{pos_adj}", "对{subj}很满意",
        "虽然{subj}有点{neg_adj}，但是很{pos_adj}", "{subj}贵是贵了点，不过很{pos_adj}", "{subj_en} is a bit {neg_adj_en}, but really {pos_adj_en}",
    ],
    "negative": [
        "{subj}太{neg_adj}了", "{subj}不太{pos_adj}", "{subj}不够{pos_adj}", "{polite}，不过{subj}真的太{neg_adj}了",
        "{polite}，但{subj}还是不{pos_adj}", "{subj_en} is {neg_adj_en}", "{subj_en} is not {pos_adj_en}",
        "{polite_en}, but {subj_en} is really {neg_adj_en}", "{subj}没那么{pos_adj}", "对{subj}很不满意",
        "{subj}越来越{neg_adj}", "{subj_en} isn't {pos_adj_en} enough", "{subj}一点也不{pos_adj}",
        "{polite}，但是{subj}很{neg_adj}", "{polite}，可惜{subj}不够{pos_adj}", "{polite}，只是{subj}实在太{neg_adj}",
        "{polite_en}, but {subj_en} is not {pos_adj_en}", "not {pos_adj_en} at all with {subj_en}",
        "{polite_en}, however {subj_en} was {neg_adj_en}", "{subj}很一般，{polite}", "{subj_en} was mediocre at best",
    ],
    "neutral": [
        "请问{subj}{ask}", "{subj}{ask}？", "想了解一下{subj}{ask}", "{polite}，请问{subj}{ask}",
        "{ask_en}?", "{polite_en}, {ask_en}?", "关于{subj}，我们下周再沟通", "{subj}的资料已经收到了",
        "could you tell me about {subj_en}", "{subj}的事情我转给同事了",
    ],
}


def _expand_sentiment(rng: random.Random, per_template: int) -> list[tuple[str, str]]:
    rows = []
    for label, items in SENTIMENT_TEMPLATES.items():
        for template in items:
            names = [n for n in SENTIMENT_SLOTS if "{" + n + "}" in template]
            combos = list(product(*(SENTIMENT_SLOTS[n] for n in names)))
            rng.shuffle(combos)
            for combo in combos[:per_template]:
                text = template.format(**dict(zip(names, combo, strict=True)))
                if "不不" not in text and "不够不" not in text and "not un" not in text:
                    rows.append((label, text))
    return rows
