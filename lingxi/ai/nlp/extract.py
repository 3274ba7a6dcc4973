"""CRM fields from free text: company, contact, title, phone, email, amount and currency, product,
quantity, next step and its date.

Libraries do what they do well: ``phonenumbers`` finds phones, ``email-validator`` checks emails,
``jionlp`` parses Chinese money strings and Chinese time expressions (against the reference date),
``dateparser`` parses English absolute dates, ``jieba.posseg`` tags person names. Rules around them find
the spans (money needs a currency or a 万/亿 unit, quantities need a measure word) and resolve the
relative expressions the libraries get wrong ("两周后", "月底", "next Friday", "in two weeks").
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from lingxi.ai.nlp import dates
from lingxi.ai.nlp.people import find_company, find_contact, find_title

_jio_lock = threading.Lock()
_jio: Any = None


def jionlp() -> Any:
    """jionlp, imported once (its import and first parse take about a second)."""
    global _jio
    with _jio_lock:
        if _jio is None:
            import jionlp as jio

            jio.parse_money("五十万")
            _jio = jio
        return _jio


@dataclass
class Fields:
    company_name: str | None = None
    contact_name: str | None = None
    contact_title: str | None = None
    phone: str | None = None
    email: str | None = None
    amount: float | None = None
    currency: str | None = None
    product: str | None = None
    quantity: int | None = None
    next_step: str | None = None
    next_step_date: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_CN_NUM = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"
_CN_DIGIT = "零〇一二两三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟"
_NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|[{_CN_DIGIT}][{_CN_NUM}]*)"
_USD_WORDS = r"(?:美元|美金|刀|usd|us\$|dollars?|bucks)"
_CNY_WORDS = r"(?:元|块钱|块(?!(?!左右|以内|以上|多)[\u4e00-\u9fffA-Za-z])|人民币|rmb|cny|圆)"
_MONEY = re.compile(
    rf"(?P<pre>[$¥￥]|usd\s?|us\$\s?|rmb\s?|cny\s?)?\s?(?P<num>{_NUM})\s?(?P<scale>[kKmM](?![a-zA-Z])|千万|百万|十万|万|亿|千)?"
    rf"\s?(?P<post>{_USD_WORDS}|{_CNY_WORDS})?",
    re.IGNORECASE,
)
_MEASURE_CN = r"(?:片|根|枚|粒|罐|双|副|扇|台套|台|套|块(?=(?!左右|以内|以上|钱|多)[\u4e00-\u9fffA-Za-z]|[，,。;；]|$)|个|件|箱|份|张|部|只|把|瓶|盒|辆|块屏|颗|支|条|位|名|间|批|吨|米|本|款|卷|包|袋|桶|组|路|点位|账号|用户|席位|许可|节点|终端|门店|家门店|所学校)"
_MEASURE_EN = (r"(?:licen[cs]es?|seats?|units?|pcs|pieces|sets?|boxes|users?|devices?|copies|accounts?|stores?|sites?|"
               r"nodes?|servers?|trucks?|vehicles?|rooms?|classrooms?|locations?|machines?|kits?|terminals?|sensors?|trackers?|"
               r"offices?|hotels?|branch(?:es)?|clinics?|warehouses?|restaurants?|schools?|hospitals?|plants?|factories|"
               r"campuses|buildings?|venues?)")
_QTY = re.compile(
    rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+|[{_CN_DIGIT}][{_CN_NUM}]*)\s?(?:(?:more|additional|extra|new)\s)?"
    rf"(?P<unit>{_MEASURE_CN}|{_MEASURE_EN}(?![a-zA-Z]))",
    re.IGNORECASE,
)
_MONEY_CONTEXT = re.compile(r"金额|预算|报价|价格|总价|合同额|单价|费用|成交|budget|price|worth|deal|quote|amount|valued", re.I)


_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# spoken short forms: "一千二" is 1,200 and "三万五" 35,000 (jionlp reads them as 1,002 and 30,005)
_CN_SHORT = re.compile(r"([一二两三四五六七八九])([万千百])([一二三四五六七八九])")


_MONEY_RIGHT_BEFORE = re.compile(r"(?:单价|总价|报价|预算|金额|合同额|价格|费用|总额|budget|price|priced at|quote)\s?(?:是|为|约|大概|大约|在|of|is|:|：)?\s?$", re.I)


def _to_number(raw: str) -> Decimal | None:
    raw = raw.replace(",", "")
    short = _CN_SHORT.fullmatch(raw)
    if short:
        unit = {"万": 10_000, "千": 1_000, "百": 100}[short.group(2)]
        return Decimal(_CN_DIGITS[short.group(1)] * unit + _CN_DIGITS[short.group(3)] * unit // 10)
    try:
        return Decimal(raw)
    except ArithmeticError:
        pass
    try:
        parsed = jionlp().parse_money(raw + "元")
        return Decimal(parsed["num"])
    except Exception:  # noqa: BLE001 - not a number
        return None


_SCALES = {"k": 1_000, "m": 1_000_000, "千": 1_000, "万": 10_000, "十万": 100_000, "百万": 1_000_000,
           "千万": 10_000_000, "亿": 100_000_000}


def find_money(text: str) -> tuple[float | None, str | None, tuple[int, int] | None]:
    best: tuple[int, float, str, tuple[int, int]] | None = None
    for m in _MONEY.finditer(text):
        pre, num, scale, post = (m.group("pre") or "").strip().lower(), m.group("num"), m.group("scale"), (m.group("post") or "").lower()
        if not (pre or post or scale in ("万", "亿", "千万", "百万", "十万") or re.search("[万亿]", num)):
            # a bare number right after a money word ("单价三千五", "报价 1200") is money too
            right_after = _MONEY_RIGHT_BEFORE.search(text[max(0, m.start() - 6):m.start()])
            if not (scale and _MONEY_CONTEXT.search(text[max(0, m.start() - 12):m.start()])) and not right_after:
                continue
        if re.fullmatch(r"\d{7,}", num.replace(",", "")) and not (pre or post):
            continue  # a phone or an order number
        after = text[m.end():m.end() + 2]
        if not post and _QTY.match(num + after):
            continue
        value = _to_number(num)
        if value is None or value == 0:
            continue
        if post == "块" and not scale and value < 100:
            continue  # "一共35块" counts boards or screens; nobody notes a 35-yuan deal
        if scale:
            value *= _SCALES[scale.lower()]
        currency = "USD" if ("$" in pre or "usd" in pre or re.fullmatch(_USD_WORDS, post or "-", re.I)) else "CNY"
        if scale and scale.lower() in ("k", "m") and not (pre or post):
            currency = "CNY" if re.search(r"[\u4e00-\u9fff]", text) else "USD"
        score = (2 if pre or post else 1) + (1 if _MONEY_CONTEXT.search(text[max(0, m.start() - 12):m.start()]) else 0)
        if best is None or score > best[0] or (score == best[0] and float(value) > best[1]):
            best = (score, float(value), currency, (m.start(), m.end()))
    if best is None:
        return None, None, None
    return best[1], best[2], best[3]


def find_quantity(text: str) -> tuple[int | None, tuple[int, int] | None]:
    for m in _QTY.finditer(text):
        before = text[max(0, m.start() - 1):m.start()]
        if before and (before.isdigit() or before in "第¥￥$.,") :
            continue
        unit = m.group("unit")
        if m.group("num") in ("一", "1") and unit in ("批", "些", "组"):
            continue  # "一批" is a batch, not a count
        if re.match(r"\s?(?:%|％|折|成|年|月|天|周|小时|分钟)", text[m.end():m.end() + 2]):
            continue
        if unit in ("位", "名", "个") and re.match(r"(客户|人|联系人|同事|月|小时|工作日|方案|问题|想法|机会|电话|会|阶段|版本|建议|星期|礼拜)", text[m.end():m.end() + 3]):
            continue
        value = _to_number(m.group("num"))
        if value is not None and 0 < value < 10_000_000 and value == int(value):
            return int(value), (m.start(), m.end())
    return None, None


def find_phone(text: str) -> str | None:
    for match in phonenumbers.PhoneNumberMatcher(text, "CN", leniency=phonenumbers.Leniency.POSSIBLE):
        number = match.number
        if not phonenumbers.is_possible_number(number):
            continue
        national = str(number.national_number)
        if number.country_code == 86 and re.fullmatch(r"1[3-9]\d{9}", national):
            return national
        return match.raw_string.strip()
    return None


def find_email(text: str) -> str | None:
    for m in _EMAIL.finditer(text):
        try:
            return validate_email(m.group(0).rstrip("."), check_deliverability=False).normalized
        except EmailNotValidError:
            continue
    return None


_PRODUCT_AFTER = re.compile(
    r"(?:采购(?![部科处经总专负主])|购买|订购|加购|增购|订(?![单金货婚])|买(?![单])|要(?![求是了点不然么])|需要|试用|升级到|升级|续费|部署|上线|换一批|"
    r"更换(?![成到为])|换(?![成到为])|代理|了解|关注|咨询|询价|感兴趣的是|意向产品是?|意向产品[:：]|产品是|产品[:：]|需求[:：]|需求是|"
    r"对(?![方于接比此])|看中了?|选了?)\s?"
    r"(?:\d+|[一二两三四五六七八九十百千]+)?\s?(?:台套|台|套|个|件|箱|份|张|只|把)?\s?"
    r"(?P<p>[A-Za-z\u4e00-\u9fff][\w\u4e00-\u9fff\-+ ]{1,24}?)"
    r"(?=[，。,.;；!！?？、]|\s(?:and|for|at|with)\b|的(?:报价|方案|价格|合同|演示|试用|事)|很|比较|感兴趣|有兴趣|产品|$|，|和|共|总|一共|\s?\d+\s?(?:台|套|个|件|份|units?|licenses?|seats?))",
)
_PRODUCT_EN = re.compile(
    r"(?i:interested in|buy|buying|purchase|order|ordering|upgrade to|licenses? (?:of|for)|units? of|seats? of|sets? of|"
    r"boxes of|copies of|kits? of|trial of|demo of|pilot of|quote for|pricing for|renew)\s+"
    r"(?:[\d,]+\s+(?:(?:more|additional|extra)\s+)?(?i:units?|licenses?|seats?|sets?|boxes|copies|kits?)\s+of\s+)?(?:the\s+|our\s+|a\s+|an\s+)?"
    r"(?P<p>[A-Z][\w\-+]*(?:\s+[A-Z0-9][\w\-+]*){0,3})"
)
# "wants 25 GPS trackers", "ordered 300 T5 Thermostats": a count, then the thing counted
_PRODUCT_COUNTED_EN = re.compile(
    r"(?i:wants?|needs?|orders?|ordered|order of|buys?|bought|purchased?|requires?|requested|take|get|like|ordering|"
    r"interested in|quote (?:on|for)|pricing (?:on|for)|pilot|trial|deploy|roll out|install)\s+"
    r"(?:about\s+|around\s+|roughly\s+)?(?P<n>[\d,]+)\s+"
    r"(?!(?i:units?|licenses?|seats?|sets?|boxes|copies|more|additional|extra|of)\b)"
    r"(?P<p>[A-Za-z][\w\-+]*(?:\s[A-Za-z0-9][\w\-+]*){0,2}?)(?=[,.;:!?)]|\s(?:for|at|by|and|with|if|from|to|next|this|per)\b|$)"
)
# words that end a product span: times and what happens next ("20箱标签打印纸下周发货")
_PRODUCT_END = (r"(?:今天|明天|后天|下周|下个|下月|本周|这周|月底|月初|周[一二三四五六日天]|年底|近期|尽快|马上|先|再|"
                r"发货|到货|交付|送到|安装|上线|签约|签合同|付款|下单|报价|比较|很|都|也|还|要|需要|想|试用|试点|测试|使用|用于)")
_QTY_PRODUCT = re.compile(rf"(?:\d+|[{_CN_NUM}]+)\s?(?:台套|台|套|个|件|箱|份|张|部|只|把|块|本|款|组|支|辆|盒|瓶|颗)(?!月|小时|工作日|人|客户|同事|方面|问题|阶段|版本|方案|想法|机会|电话|会)(?P<p>[A-Za-z\u4e00-\u9fff][\w\u4e00-\u9fff\-+]{{1,20}}?)(?=[，。,.;；、\s]|$|的|和|，|{_PRODUCT_END})")
_PRODUCT_STOP = {"方案", "报价", "合同", "产品", "东西", "设备", "我们", "一下", "价格", "演示", "资料", "客户", "这个", "那个",
                 "左右", "以上", "以内", "多", "账号", "用户", "席位", "许可", "用户许可", "系统", "软件", "服务", "需求", "预算",
                 "an", "the", "more", "them", "it", "this", "that", "some", "扩容", "合作", "签约", "付款", "见面", "沟通", "开会", "对接",
                 "试点", "示范", "样品", "样机", "测试", "体验", "试用", "评估", "验证",
                 "小区", "门店", "学校", "医院", "网点", "分店", "站点", "城市", "园区", "工厂", "会议室", "教室", "病房", "楼",
                 "房间", "仓库", "车间", "校区", "分公司", "办公室", "项目", "坐席", "账户"}
# verbs, determiners and vague quantities that a span may start with; "的" before the product ends the modifier
_PRODUCT_LEAD = re.compile(
    r"^(?:(?:采购|购买|订购|加购|增购|部署|升级到|升级|试用|续费|上线|更换|换|代理|了解|关注|咨询|我们的|你们的|贵司的|咱们的|新的|"
    r"进口|引进|添置|采买|正版|原装|全新|试点|"
    r"一批|一些|一款|一套|一台|一个|这批|那批|这款|那款|这套|批|些|款|了|下|个|买|要|订|上|做)\s?)+"
)
# what follows a buying verb but is no product: people, adverbs, times, and actions ("要尽快签约", "对方说要…")
_PRODUCT_REJECT = re.compile(
    r"^(?:我|你|他|她|咱|尽快|先|再|还|也|都|就|周|求|方|是|说|了|马上|立即|赶紧|今天|明天|后天|下周|本周|这周|下个|月|年|天|去|来|把|被|给|跟|"
    r"和|与|一下|一起|这个|那个|什么|多少|哪|做|搞|当|作为|用于|用来)|安排|签约|签合同|处理|审批|沟通|确认|派人|报价|付款|回复|考虑|商量|讨论|汇报|开会|见面|降价|打折"
)
_PRODUCT_TAIL = re.compile(r"(?:升级|改造|项目|采购|需求|方面|这块|那块|有一批故障|有问题|故障|左右|以上|以内)$")


# English: "200 cases of matcha powder", "50 pallets of bottled water"
_PRODUCT_PACKED_EN = re.compile(
    r"(?P<n>[\d,]+)\s+(?i:cases|boxes|pallets|cartons|bags|rolls|packs|bottles|kits|crates|tons|tonnes|units|sets)\s+of\s+"
    r"(?:the\s+|our\s+)?(?P<p>[a-z][\w\-]*(?:\s[a-z][\w\-]*){0,3}?)(?=\s*(?:[,.;:!?)]|$)|\s(?:for|at|to|by|and|next|this|from|per|each)\b)"
)
# English: "interested in our cold storage sensors", "250 licenses of our learning platform"
_PRODUCT_OUR_EN = re.compile(
    r"(?i:interested in|asked about|asking about|evaluating|evaluate|looking at|considering|like|likes|want|wants|need|needs|"
    r"trial of|demo of|pilot of|quote for|quote on|pricing for|pricing on|renew|renewing|upgrade to|licen[cs]es of|seats of|units of|"
    r"pilot|piloting|trial|trialling|trialing|deploy|deploying|roll out|rolling out|test|testing|use|using)"
    r"\s+(?:[\d,]+\s+(?:[a-z]+\s+)?of\s+)?(?i:our|your)\s+"
    r"(?P<p>[A-Za-z][\w\-+]*(?:\s[A-Za-z0-9][\w\-+]*){0,3}?)"
    r"(?=\s*(?:[,.;:!?)]|$)|\s(?:for|at|with|to|by|and|about|next|this|in|on|from|before|after|if|so|because|which|that)\b)"
)
# English, last resort: a thing named by its kind after a determiner ("about the fraud analytics module",
# "2 servers of the R9 series")
_PRODUCT_KIND_EN = re.compile(
    r"\b(?i:the|our|your)\s+(?P<p>(?:[A-Za-z0-9][\w\-+]*\s){0,3}?(?i:module|platform|app|suite|system|kit|series|edition|"
    r"package|bundle|software|solution|sensors?|scanners?|printers?|devices?|kiosks?|terminals?|robots?|cameras?|displays?|"
    r"screens?|gateways?|controllers?|appliances?|servers?))\b"
)
# Chinese: a thing named by its kind ("船舶监控平台", "储能柜", "小程序商城"), after a plan verb or as the subject of a want
_PRODUCT_HEAD = (r"(?:管理系统|系统|平台|商城|小程序|一体机|机器人|传感器|控制器|服务器|交换机|路由器|摄像头|摄像机|相机|打印机|"
                 r"扫码枪|显示屏|大屏|终端|设备|网关|模块|模组|套件|软件|耗材|配件|试剂|电池|电机|芯片|面板|门禁|家具|"
                 r"标签|价签|柜|仪|机|器|屏|灯|锁|车|桩|泵|阀|表|箱|板|桌|椅|黑板|白板|空调|罐|瓶|盒|袋)")
_PRODUCT_PLANNED = re.compile(
    r"(?:考虑上|考虑|想上|想做|要上|要做|打算上|打算做|计划上|计划做|准备上|准备做|引入|搭建|建设|上一套|做一套|做个|做一个|上个|上一个|"
    r"聊了?|谈了?|介绍了?|推荐了?|演示了?)"
    rf"(?P<p>[\u4e00-\u9fffA-Za-z0-9\-]{{1,10}}?{_PRODUCT_HEAD})(?=[，,。;；、\s]|$|\d|的|和|{_PRODUCT_END})"
)
_PRODUCT_SUBJECT = re.compile(
    rf"(?:(?<=[的说是，,。;；\s：:])|^)(?P<p>(?:(?![的说是了要想和与跟在])[\u4e00-\u9fffA-Za-z0-9\-]){{1,10}}?{_PRODUCT_HEAD})"
    r"(?=要|需要|先|准备|打算|计划|感兴趣|有兴趣)"
)


def _clean_product(p: str) -> str:
    p = re.split(r"\s(?=[\d一二两三四五六七八九十百千])", p.strip(" 的了"))[0]
    if "的" in p:
        head, _, tail = p.rpartition("的")
        # "共享实验室的租赁": the thing is before "的" when what follows is only a kind of deal
        p = head if re.fullmatch(r"租赁|采购|报价|价格|方案|安装|维修|维保|升级|续费|事|情况|问题|细节|合同|试用|演示", tail) else tail
    p = _PRODUCT_LEAD.sub("", p)
    p = re.split(r"有(?:一批|些|点|问题)|出现|故障|坏了", p)[0]
    p = _PRODUCT_TAIL.sub("", p).strip(" 的了")
    return re.sub(r"(?<=\w)\s(?i:series|range|family|product line)$", "", p)  # "the R9 series" is the R9


@lru_cache(maxsize=64)
def _variants(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(catalogue_variants(names))


def catalogue_variants(names: Sequence[str]) -> list[str]:
    """Lower-cased forms a note may use for catalogue names, longest first: the name, the name without its
    bracketed qualifier ("营销自动化模块（年订阅）" → "营销自动化模块"), and either without spaces."""
    out: set[str] = set()
    for name in names:
        base = re.sub(r"[（(【\[].*?[）)】\]]", "", name).strip()
        for v in (name, base):
            v = v.strip().lower()
            for form in (v, v.replace(" ", "")):
                if len(form) >= 3 and not form.isdigit():
                    out.add(form)
    return sorted(out, key=lambda v: (-len(v), v))


def find_product(text: str, catalogue: Sequence[str] = ()) -> str | None:
    """The product a note talks about: a name from the tenant's catalogue when one occurs in the text
    (longest first), else the span after a buying verb or a counted quantity."""
    if catalogue:
        lowered = text.lower()
        for variant in _variants(tuple(catalogue)):
            at = lowered.find(variant)
            if at >= 0:
                return text[at:at + len(variant)]
    for rx in (_QTY_PRODUCT, _PRODUCT_EN, _PRODUCT_COUNTED_EN, _PRODUCT_PACKED_EN, _PRODUCT_AFTER, _PRODUCT_OUR_EN, _PRODUCT_PLANNED,
               _PRODUCT_SUBJECT, _PRODUCT_KIND_EN):
        for m in rx.finditer(text):
            p = _clean_product(m.group("p"))
            if (p and p not in _PRODUCT_STOP and p.lower() not in _PRODUCT_STOP and not re.fullmatch(r"[\d\s]+", p)
                    and len(p) >= 2 and not _PRODUCT_REJECT.search(p)):
                return p
    return None


def extract(text: str, reference_date: date, catalogue: Sequence[str] = ()) -> Fields:
    """All fields of ``text``; ``catalogue`` is the tenant's product names, matched before the rules."""
    fields = Fields()
    fields.email = find_email(text)
    scrubbed = _EMAIL.sub(" ", text)
    fields.phone = find_phone(scrubbed)
    if fields.phone:
        scrubbed = scrubbed.replace(fields.phone, " ")
    fields.amount, fields.currency, span = find_money(scrubbed)
    if span:
        scrubbed = scrubbed[: span[0]] + "，" + scrubbed[span[1]:]
    fields.quantity, _ = find_quantity(scrubbed)
    if fields.quantity is None:
        counted = _PRODUCT_COUNTED_EN.search(scrubbed) or _PRODUCT_PACKED_EN.search(scrubbed)
        if counted and counted.group("n").replace(",", "").isdigit():
            fields.quantity = int(counted.group("n").replace(",", ""))
    fields.company_name = find_company(scrubbed)
    fields.contact_title = find_title(scrubbed.replace(fields.company_name, "，") if fields.company_name else scrubbed)
    no_title = scrubbed.replace(fields.contact_title, "，") if fields.contact_title else scrubbed
    fields.product = find_product(
        no_title.replace(fields.company_name, "，") if fields.company_name else no_title, catalogue
    )
    without_product = scrubbed.replace(fields.product, " ") if fields.product else scrubbed
    fields.contact_name = find_contact(without_product, fields.company_name, fields.contact_title)
    title = fields.contact_title
    if title and fields.contact_name and fields.contact_name.endswith(title) and len(fields.contact_name) <= len(title) + 2:
        fields.contact_title = None  # "刘主任", "钱经理": a form of address, not a stated title
    fields.next_step, fields.next_step_date = dates.find_next_step(scrubbed, reference_date, jionlp)
    return fields
