"""Companies, contact names and job titles in Chinese and English CRM notes."""

from __future__ import annotations

import re
import threading

import jieba.posseg as pseg

_pos_lock = threading.Lock()

_ORG_SUFFIX = (
    r"(?:股份有限公司|有限责任公司|有限公司|集团公司|集团|公司|科技|技术|网络|信息|软件|物流|医疗|医药|制造|电子|实业|"
    r"贸易|能源|新能源|银行|证券|保险|基金|信托|投资|资本|控股|医院|诊所|药业|制药|药房|生物|健康|大学|学院|学校|中学|小学|幼儿园|"
    r"研究院|研究所|事务所|工作室|酒店|商贸|传媒|文化|教育|电器|电气|机械|精工|重工|汽车|地产|置业|物业|食品|乳业|酒业|饮料|化工|"
    r"设计院|农业|茶业|机电|数字|牧业|渔业|矿业|材料|新材料|水泥|钢铁|建材|建设|建工|家居|家具|智家|仪器|仪表|光电|半导体|通信|电力|燃气|水务|环保|"
    r"航空|航运|运输|快递|供应链|超市|百货|商场|餐饮|服饰|纺织|印刷|包装|咨询|出版社|电视台|进出口|外贸|电商|游戏|影业|体育|旅游|"
    r"医疗器械|器械|软件园|产业园|科技园|工业园|园区|连锁|合作社|供电局|税务局|公安局|教育局|交通局|管理局|卫健委|管委会|电网|"
    r"(?:五金|电子|服装|制衣|纺织|机械|食品|化工|塑料|塑胶|模具|家具|印刷|包装|钢|水泥|药|酒|造纸|玻璃|陶瓷|铸造|加工|电器|汽配|配件|饲料|啤酒|乳品|制品)厂)"
)
# stacked suffixes ("文化传媒", "酒店管理", "科技有限公司") and affiliated units ("中山大学附属第三医院", "…分公司")
_ORG_TAIL = (
    rf"(?:{_ORG_SUFFIX}|管理|国际|中国|园区|园|厂|社|城|医学院|[\u4e00-\u9fff]{{2}}医院|[\u4e00-\u9fff]{{2,4}}?供电局|分公司|分院|分行|支行|分厂|"
    r"附属(?:第[一二三四五六七八九十]+|[\u4e00-\u9fff]{0,2}?)(?:人民)?(?:医院|中学|小学|学校|幼儿园))*"
)
_ORG_CN = re.compile(rf"(?P<org>[\u4e00-\u9fffA-Za-z0-9（）()]{{2,18}}?{_ORG_SUFFIX}{_ORG_TAIL})")
_ORG_EN = re.compile(
    r"\b(?P<org>(?:[A-Z][\w&'’-]*\s){0,3}[A-Z][\w&'’-]*\s(?:Inc|Ltd|LLC|LLP|PLC|Corp|Corporation|Co|Company|Group|"
    r"Technologies|Technology|Tech|Systems|Solutions|Industries|Enterprises|Holdings|Labs|Logistics|Software|Networks|Partners|"
    r"Bank|GmbH|AG|AB|SA|SAS|SRL|BV|NV|Oy|Pty|KK|Limited|Analytics|Health|Healthcare|Medical|Pharma|Foods|Cosmetics|Studio|"
    r"Studios|Media|Consulting|Capital|Ventures|Motors|Energy|Electronics|Robotics|Dynamics|Retail|Insurance|Hotels|Airlines|"
    r"Clinic|Hospital|Hotel|Hotels|Hospitality|Traders|Realty|Properties|Grocers|Markets|Wines|Bakery|Pharmacy|Dental|"
    r"Associates|Agency|Farms|Brewery|Roasters|Apparel|Fitness|Freight|Shipping|Transport|Construction|Builders|"
    r"Engineering|Architects|Estates|Outfitters|Supplies|Textiles|Steel|Metals|Plastics|Packaging|Printing|Publishing|"
    r"Entertainment|Academy|University|College|Institute|Foundation|Lda|SpA|Srl|Sarl|Pvt|Bhd|Sdn|Manufacturing|Maschinenbau|Instruments|Materials|Pharmaceuticals|Biotech|Security|Digital|Cloud|Data|Interactive|"
    r"International|Global|Trading|Supply|Brands|Works)\b\.?(?:,?\s(?:Ltd|Inc|LLC|Limited)\b\.?)?)(?!\s[A-Z])"
)
_EN_AT = re.compile(r"\b(?:at|from|with|for|visited|called)\s+(?P<org>[A-Z][\w&'’-]+(?:\s[A-Z][\w&'’-]+){0,2})")
# "Initech's IT Director", "Globex wants 15 seats": a capitalised name before a possessive or a buying verb
_EN_POSSESSIVE = re.compile(r"\b(?P<org>[A-Z][\w&-]+(?:\s[A-Z][\w&-]+){0,2})['’]s\s")
_EN_SUBJECT = re.compile(
    r"(?:^|[:.;]\s+)(?P<org>[A-Z][\w&-]+(?:\s[A-Z][\w&-]+){0,2})\s+(?:wants?|needs?|signed|ordered|orders|asked|agreed|"
    r"is interested|plans?|would like|will (?:buy|order|sign|renew)|renewed|bought|purchased)\b"
)
_LEFT_STOP = re.compile(
    r"^(?:.*(?:拜访了|拜访|联系了|联系|见了|去了|来自|代表|跟|和|与|同|给|向|为|从|在|是|对|了|的|把|约了|约|见|找|客户|新客户|客户是|公司是|叫做|叫|名为|一家|这家|那家|今天|昨天|刚才|刚刚|上午|下午|打电话给|电话|签了|签约))"
)
_TITLES = (
    r"(?:首席执行官|首席技术官|首席财务官|首席运营官|首席信息官|董事长|副董事长|总裁|副总裁|总经理|副总经理|执行董事|合伙人|创始人|"
    r"(?:采购|销售|技术|市场|财务|人事|人力资源|行政|运营|产品|研发|IT|信息|质量|项目|客服|商务|渠道|区域|大客户|法务|供应链|工程|生产)"
    r"(?:部)?(?:总监|经理|主管|负责人|专员|主任|总|副总|工程师|部长|VP)|总监|经理|主管|主任|部长|院长|校长|厂长|店长|局长|处长|科长|工程师|架构师|顾问|助理|秘书)"
)
_TITLE_CN = re.compile(_TITLES)
_ROLE_CN = (
    r"(?:(?:总经理|总监|经理|总裁|董事长|院长|校长)(?:助理|秘书)|副主任医师|主任医师|主治医师|医师|护士长|"
    r"高级经理|高级总监|资深经理|高级工程师|高级顾问|"
    r"首席执行官|首席技术官|首席财务官|首席运营官|首席信息官|首席营销官|副董事长|董事长|执行董事|董事|执行总裁|副总裁|总裁|副总经理|总经理|"
    r"联合创始人|创始人|合伙人|老板娘|老板|理事长|秘书长|会长|社长|站长|所长|行长|副总监|总监|副经理|经理|主管|负责人|专员|主任|副部长|部长|科长|处长|院长|校长|园长|厂长|店长|局长|"
    r"总工程师|工程师|架构师|顾问|助理|秘书|副总|专责|干事|(?:HR)?BP(?![A-Za-z])|"
    r"(?<![\u4e00-\u9fff])(?:CEO|CTO|CFO|COO|CIO|CMO|VP)(?![A-Za-z]))"
)
# the department or function in front of a role ("采购", "信息技术部", "设备科", "华东区销售")
_DEPT_WORD = (
    r"(?:采购|销售|技术|信息技术|信息|市场|营销|品牌|公关|财务|人事|人力资源|行政|总务|后勤|运营|产品|研发|IT|质量|质检|品质|项目|客服|客户成功|"
    r"商务|渠道|区域|大客户|法务|风控|合规|审计|供应链|物流|仓储|工程|生产|设备|安全|教务|前厅|科技|数据|数字化|业务|战略|投资|外贸|国际|"
    r"华东区?|华南区?|华北区?|西南区?|华中区?|东北区?|西北区?|亚太区?|海外|全国|电商|零售|门店|护理|医务|药剂|信息科|网络)"
)
_DEPT = rf"(?:{_DEPT_WORD}(?:部|科|处|中心|办|组)?)+"
_TITLE_FULL_CN = re.compile(rf"(?P<dept>{_DEPT})?(?P<role>{_ROLE_CN})")
_TITLE_EN = re.compile(
    r"(?<![A-Za-z])(?P<t>(?:Chief \w+ Officer|CEO|CTO|CFO|COO|CIO|CMO|CPO|GM|Founder|Co-founder|President|Owner|Partner|"
    r"(?:Senior |Sr\.? |Junior |Regional |General |Deputy )?(?:VP|Vice President|Director|Head|Manager|Lead|Engineer|Buyer|Specialist|Coordinator|Officer)"
    r"(?: of [A-Z][\w&]+(?: [A-Z&][\w&]*)?| [A-Z][a-z]+ Manager|(?<=VP) (?:Engineering|Sales|Marketing|Operations|Finance|Product|IT|HR))?|(?:Procurement|Purchasing|Sales|Marketing|IT|Finance|Operations|Product|Engineering|HR|Account|Project|Office) "
    r"(?:Manager|Director|Lead|Head|Specialist|Officer|Engineer|Coordinator)))(?![A-Za-z])"
)
_TITLE_EN_GENERIC = re.compile(
    r"(?<![A-Za-z])(?P<t>(?i:head|director|vp|vice president|manager) of (?i:procurement|purchasing|sales|marketing|"
    r"operations|finance|it|engineering|product|hr|people|logistics|supply chain|facilities|security|customer success|"
    r"support|technology|digital|strategy|business development)|(?:[A-Z][a-z]+|IT|HR|QA)\s(?:Manager|Director|Lead|Head|Officer|Engineer|Coordinator|Specialist|Buyer)|"
    r"(?i:co-founder|founder|owner|(?:procurement|purchasing|sales|marketing|finance|operations|product|engineering|account|"
    r"project|office|research|fleet|it|hr|medical|clinical|technical|commercial|regional|managing|creative|facilities|"
    r"logistics|supply chain|quality|security|legal|data|store|plant|warehouse|clinic|branch|practice|general)\s(?:manager|director|lead|head|officer|engineer|coordinator|specialist|buyer)))(?![A-Za-z])"
)
_HONORIFIC = re.compile(
    r"(?P<name>[王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高梁郑罗宋谢唐韩曹许邓萧冯曾程蔡彭潘袁于董余苏叶吕魏蒋田杜丁沈姜范江傅钟卢汪戴崔任陆廖姚方金邱夏谭韦贾邹石熊孟秦阎薛侯雷白龙段郝孔邵史毛常万顾赖武康贺严尹钱施牛洪龚欧上司诸][\u4e00-\u9fff]{0,1}?)"
    r"(?P<h>总经理|总监|经理|总|工|老师|主任|博士|先生|女士|小姐|董|部长|院长|老板|教授|律师|医生|科长|处长)"
)
_CN_LABEL = re.compile(r"(?:联系人|对接人|负责人|姓名|联络人)\s?[:：是为叫]?\s?(?P<name>[\u4e00-\u9fff]{2,3})(?=[，,。\s（(]|$|[A-Za-z0-9]|电话|手机|邮箱|职位|是|，)")
_EN_NAME = re.compile(r"\b(?:Mr\.?|Ms\.?|Mrs\.?|Dr\.?)\s(?P<name>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)|\b(?P<full>[A-Z][a-z]+\s[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")
_EN_NOT_NAME = re.compile(
    r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|June|July|August|September|"
    r"October|November|December|Next|Please|The|Our|We|Sales|Vice|Chief|Head|General|Senior|Product|Enterprise|Pro|Team|Call|Meet|Send|Met|Spoke|Talked|Had|Follow|"
    r"Quick|Note|Notes|Contact|Lunch|Dinner|Email|Inbound|Lead|Leads|Dear|Hi|Hello|Thanks|Regards|Best|Customer|Client|Account|Deal|"
    r"Demo|Quote|Kickoff|Decision|Budget|Signed|Trial|Update|Today|Tomorrow|Yesterday|They|He|She|Wants|Asked|Visited|Called|"
    r"Emailed|Phoned|Messaged|Texted|Pinged|Contacted|Reached|Introduced|Joined|Recap|Webinar|Intro)\b"
)


_LEFT_WORDS = re.compile(
    r"拜访了|拜访|联系了|联系|见了|去了趟|去趟|去了|来自|代表|跟|和|与|同|给|向|为|从|在|是|对|了|的|把|约了|约|见|找|新客户|老客户|客户是|客户|公司是|"
    r"前往|去|到|晚上|早上|中午|傍晚|刚接到|接到|收到|见到|碰到|遇到|约见|会见|拜会|致电|走访|回访|刚|"
    r"叫做|叫|名为|一家|这家|那家|今天|昨天|刚才|刚刚|上午|下午|打电话给|电话|签了|签约"
)


def _trim_left(org: str) -> str:
    """Drop the words before the name ("拜访了华鼎科技" → "华鼎科技"), but never down to a bare suffix ("美的集团",
    "北京协和医院" keep their "的" and "和")."""
    # one-character words ("为", "和", "在") cut only at the very start: inside a name they are part of it (华为, 协和)
    starts = {0} | {m.end() for m in _LEFT_WORDS.finditer(org) if len(m.group(0)) > 1}
    ends = set()
    for end in starts:
        while (m := _LEFT_WORDS.match(org, end)) is not None:
            end = m.end()
        ends.add(end)
    for end in sorted(ends - {0}, reverse=True):
        rest = org[end:]
        if len(rest) >= 2 and not re.fullmatch(rf"{_ORG_SUFFIX}{_ORG_TAIL}", rest):
            return rest
    return org


_SURNAMES = (
    "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高梁郑罗宋谢唐韩曹许邓萧冯曾程蔡彭潘袁于董余苏叶吕魏蒋田杜丁沈姜范江傅钟卢汪戴崔任陆廖"
    "姚方金邱夏谭韦贾邹石熊孟秦阎薛侯雷白龙段郝孔邵史毛常万顾赖武康贺严尹钱施牛洪龚欧上司诸葛文乔伍庞樊殷翟安倪严黎易常武甘覃柳"
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "慕容", "令狐", "长孙", "宇文", "尉迟", "夏侯", "公孙")
# "华鼎科技的采购经理", "海尔智家采购专员": the words before a department and role name the employer
_ORG_BEFORE_TITLE = re.compile(
    rf"(?P<org>[\u4e00-\u9fffA-Za-z0-9]{{2,12}}?)\s?(?:那边|这边)?\s?的?\s?(?={_DEPT}?{_ROLE_CN}|{_DEPT}\s)"
)
# companies named by structure rather than by suffix: a label ("客户：远景"), a visit ("拜访了华鼎，"), or an owner of a
# person ("腾讯云的王磊", "顺丰速运的陈经理", "Acme的John")
_ORG_LABEL = re.compile(r"(?:客户名称|客户|公司名称|公司|单位名称|单位|企业|account|company|customer)\s?[:：]\s?(?P<org>[^\s，,。;；:：（(]{2,30})", re.I)
_ORG_VISITED = re.compile(r"(?:拜访了?|去了趟|去了|走访了?|回访了?|到访了?)\s?(?P<org>[\u4e00-\u9fffA-Za-z0-9]{2,10}?)(?=[，,。;；\s]|$)")
_ORG_VISITED_EN = re.compile(r"\b(?:[Vv]isited|[Mm]et with the team at|[Ss]topped by)\s+(?P<org>[A-Z][\w&'’-]+(?:\s[A-Z][\w&'’-]+){0,2})")
_ORG_OF_PERSON = re.compile(
    rf"(?P<org>[\u4e00-\u9fffA-Za-z0-9]{{2,10}}?)\s?(?:那边|这边)?的\s?(?=[{_SURNAMES}](?:总|经理|工|主任|老师|医生|博士|先生|女士|小姐|董|老板)|"
    rf"[{_SURNAMES}][\u4e00-\u9fff]{{1,2}}(?:说|来电|表示|反馈|提到|问|希望|想|要|回复|确认|，|,|\s|$)|HR|[A-Z][a-z]+)"
)
_PRONOUN_ORG = re.compile(r"^(?:我们|你们|他们|她们|咱们|我司|贵司|对方|本|该|这家|那家|这个|那个|哪家|什么)")
_NOT_ORG = re.compile(r"^(?:客户|对方|他们|我们|你们|公司|老客户|新客户|这家|那家|一家|其中|工作|今天|昨天|上午|下午)$")


def find_company(text: str) -> str | None:
    for m in _ORG_EN.finditer(text):
        words = m.group("org").split()
        while len(words) > 1 and _EN_NOT_NAME.fullmatch(words[0]):
            words = words[1:]  # "Visited Redwood Clinic" → "Redwood Clinic"
        if _TITLE_EN.fullmatch(" ".join(words)):
            continue  # "VP Engineering" is a role
        if len(words) > 1 or not _EN_NOT_NAME.fullmatch(words[0]):
            return " ".join(words).rstrip(".,")
    for m in _ORG_CN.finditer(text):
        org = _trim_left(m.group("org"))
        if re.match(_ROLE_CN, text[m.end():]) and re.search(rf"的?(?:{_DEPT_WORD})+$", org):
            # "深圳大疆创新的供应链总监": the function before a role is not part of the company name
            org = re.sub(rf"的?(?:{_DEPT_WORD})+$", "", org) or org
        if text[m.end():m.end() + 1] in ("部", "科", "处", "室", "组") or text[m.end():m.end() + 2] == "中心":
            # "华泰证券信息技术部": the department is not part of the company name
            org = re.sub(rf"(?:{_DEPT_WORD})+$", "", org) or org
        if (len(org) >= 3 and not re.fullmatch(rf"{_ORG_SUFFIX}{_ORG_TAIL}", org) and not re.search(r"\d|[月号日]前", org)
                and not _PRONOUN_ORG.match(org)
                and not re.search(r"(?:我们|你们|咱们|我司|贵司|本公司)的?\s?$", text[:text.find(org)])):  # "我们的…软件" is ours
            return org
    m = _ORG_LABEL.search(text)
    if m and not _HONORIFIC.fullmatch(m.group("org")):
        return m.group("org")
    if re.search(r"[\u4e00-\u9fff]", text):
        for m in _ORG_BEFORE_TITLE.finditer(text):
            org = _trim_left(m.group("org"))
            if (2 <= len(org) <= 10 and not _NOT_ORG.match(org) and not re.search(r"[，。,.;；:：\s\d]", org)
                    and not re.fullmatch(rf"{_ORG_SUFFIX}{_ORG_TAIL}", org)):
                if not (len(org) <= 3 and org[0] in _SURNAMES):
                    return org
    if re.search(r"[\u4e00-\u9fff]", text):
        for rx in (_ORG_OF_PERSON, _ORG_VISITED):
            for m in rx.finditer(text):
                org = _trim_left(m.group("org"))
                org = re.sub(rf"(?:{_DEPT_WORD})+(?:部|科|处|中心)$", "", org) or org
                if (2 <= len(org) <= 10 and not _NOT_ORG.match(org) and not _PRONOUN_ORG.match(org)
                        and not _HONORIFIC.fullmatch(org) and not re.search(r"\d|[，。,.;；:：\s]", org)
                        and not (len(org) <= 3 and org[0] in _SURNAMES and rx is _ORG_VISITED)):
                    return org
    with _pos_lock:
        tagged = [(p.word, p.flag) for p in pseg.lcut(text)]
    for word, flag in tagged:
        if flag == "nt" and len(word) >= 3:
            return word
    m = _ORG_VISITED_EN.search(text)
    if m and not _EN_NOT_NAME.fullmatch(m.group("org").split()[0]) and not _EN_FULL_NAME.fullmatch(m.group("org")):
        return m.group("org")
    for m in [*_TITLE_EN.finditer(text), *_TITLE_EN_GENERIC.finditer(text)]:
        # "CTO of Falcon Freight", "Operations Manager at Northwind Traders", "owner of Osei Coffee Roasters"
        after = re.match(r"\s?,?\s?(?:at|of|from|@)\s+(?P<org>[A-Z][\w&'’-]+(?:\s[A-Z][\w&'’-]+){0,3})", text[m.end():])
        if after is None and "(" in text[max(0, m.start() - 40):m.start()]:
            after = re.match(r",\s?(?P<org>[A-Z][\w&'’-]+(?:\s[A-Z][\w&'’-]+){0,3})\s?\)", text[m.end():])
        if after and not _EN_NOT_NAME.fullmatch(after.group("org").split()[0]):
            return after.group("org")
    for rx in (_EN_POSSESSIVE, _EN_SUBJECT):
        m = rx.search(text)
        if m and not _EN_NOT_NAME.fullmatch(m.group("org").split()[0]) and not _EN_FULL_NAME.fullmatch(m.group("org")):
            return m.group("org")
    for m in _EN_AT.finditer(text):
        candidate = m.group("org")
        if _EN_NOT_NAME.fullmatch(candidate.split()[0]) or _TITLE_EN.fullmatch(candidate):
            continue
        if not _EN_FULL_NAME.fullmatch(candidate) or len(candidate.split()) == 1:
            return candidate
    return None


_EN_FULL_NAME = re.compile(r"[A-Z][^\W\d_]+(?:['’][A-Z][^\W\d_]+)?\s[A-Z][^\W\d_]+(?:['’-][A-Z][^\W\d_]+)?")
_EN_PAIR = re.compile(
    r"(?<![\w'’])(?=(?P<full>[A-Z][^\W\d_]+[ \t](?:O['’])?[A-Z][^\W\d_]+(?:-[A-Z][^\W\d_]+)?)(?![\w'’]))"
)


def _name_after(text: str) -> str | None:
    """A Chinese personal name at the start of ``text`` (2-3 characters, from a surname)."""
    head = text[:4]
    if not head or head[0] not in _SURNAMES and head[:2] not in _COMPOUND_SURNAMES:
        return None
    with _pos_lock:
        words = [w for w in pseg.lcut(text[:8])]
    first = words[0].word if words else ""
    if 2 <= len(first) <= 3 and re.fullmatch(r"[\u4e00-\u9fff]+", first) and not _TITLE_CN.search(first):
        return first
    if len(first) == 1 and len(words) > 1 and 1 <= len(words[1].word) <= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", words[1].word):
        if words[1].flag not in ("v", "p", "c", "d", "u", "uj", "ul", "r") and not _TITLE_CN.search(words[1].word):
            return first + words[1].word
    # jieba splits names it does not know ("钱|立新", "宋|佳说"): a surname and one or two characters up to a pause or
    # a verb of speaking is a name
    m = _NAME_BEFORE_PAUSE.match(text)
    if m and not _TITLE_CN.search(m.group(1)):
        return m.group(1)
    return None


_NAME_BEFORE_PAUSE = re.compile(r"([\u4e00-\u9fff]{2,3}?)(?=[，,。;；\s（(：:]|说|来电|表示|反馈|提到|想|要|希望|称|讲|回复|确认|$)")


def find_contact(text: str, company: str | None, title: str | None = None) -> str | None:
    scrubbed = text.replace(company, " ") if company else text
    m = _CN_LABEL.search(scrubbed)
    if m and not _TITLE_CN.fullmatch(m.group("name")):
        return m.group("name")
    if title and re.search(r"[\u4e00-\u9fff]", scrubbed):
        # the name right after the title ("采购总监张伟") or right before it ("张伟，采购总监", "顾明（生产经理）")
        spread = re.search(r"\s*".join(map(re.escape, title)), scrubbed)  # "信息部 部长" for "信息部部长"
        at, end = (spread.start(), spread.end()) if spread else (-1, -1)
        if at >= 0:
            after = re.sub(r"^[\s:：,，]+", "", scrubbed[end:])
            name = _name_after(after)
            if name:
                return name
            before = re.search(r"([\u4e00-\u9fff]{2,3})\s?[,，(（\s]\s?$", scrubbed[:at])
            if before and _name_after(before.group(1)) == before.group(1):
                return before.group(1)
    with _pos_lock:
        tagged = [(p.word, p.flag) for p in pseg.lcut(scrubbed)]
    for i, (word, flag) in enumerate(tagged):
        if flag == "nr" and 2 <= len(word) <= 4 and re.fullmatch(r"[\u4e00-\u9fff]+", word):
            nxt = tagged[i + 1][0] if i + 1 < len(tagged) else ""
            if word[-1] in "总工" and len(word) == 2:
                return word
            if not re.fullmatch(_ORG_SUFFIX, nxt) and not (title and word in title):
                return word
    m = _HONORIFIC.search(scrubbed)
    if m:
        return m.group(0) if m.group("h") not in ("总经理", "总监", "经理") else m.group("name") + m.group("h")
    m = _EN_NAME.search(scrubbed)
    if m and m.group("name"):
        return m.group("name")
    english = scrubbed.replace(title, " , ") if title else scrubbed
    for m in _EN_PAIR.finditer(english):
        pair = m.group("full")
        if not _EN_NOT_NAME.search(pair) and not _TITLE_EN.search(pair) and not _TITLE_EN_GENERIC.search(pair):
            return pair
    m = _EN_FIRST_NAME_FROM.search(english)
    if m and not _EN_NOT_NAME.fullmatch(m.group("name")):
        return m.group("name")
    return None


# "Jenny from Oakridge Realty", "met Tom at Globex": a first name alone, placed by its organisation
_EN_FIRST_NAME_FROM = re.compile(
    r"(?:^|[.;:!?]\s+|\b(?:with|met|called|emailed|phoned)\s+)(?P<name>[A-Z][a-z]{2,})\s+(?:from|at|of)\b"
)


# any department named right after a boundary ("…的运维部经理", "（教务处处长）")
_TITLE_ANY_DEPT = re.compile(
    rf"(?:(?<=[的是了，,。;；\s（(：:、])|^)(?P<dept>(?:(?![的了是和跟与在说要想我你他她们这那个位一])[\u4e00-\u9fff]){{2,6}}?(?:事业部|部|科|处|中心|办公室))(?P<role>{_ROLE_CN})"
)
# "江苏恒力化纤 信息部 部长 蒋文华", "市场部 陈思思 经理": a department, then the role a space or a name later
_TITLE_DEPT_APART = re.compile(
    rf"(?:(?<=[\s，,：:])|^)(?P<dept>(?:(?![的了是和跟与在说要想我你他她们这那个位一])[\u4e00-\u9fff]){{1,6}}?(?:部|科|处|中心))\s+"
    rf"(?:[\u4e00-\u9fff]{{2,3}}\s+)?(?P<role>{_ROLE_CN})(?=[\s，,。;；（(]|$|[\u4e00-\u9fff]{{2,3}}(?:[\s，,。]|$))"
)
_NOT_DEPT = re.compile(r"[的了是和跟与在说要想我你他她们这那个位一]|^(?:全部|内部|外部|总部|局部|本部|大部|下部|上部|东部|西部|南部|北部|中部)")


_TITLE_LABEL = re.compile(r"(?:职位|职务|头衔)\s?[:：]\s?(?P<t>[^\s，,。;；、]{2,14})")


def find_title(text: str) -> str | None:
    labelled = _TITLE_LABEL.search(text)
    if labelled:
        return labelled.group("t")
    # English: the most specific title ("Research Director" over "Director", "Marketing Director" over a bare "Lead")
    found = [(m.start(), m.group("t")) for m in _TITLE_EN.finditer(text)]
    found += [
        (m.start(), m.group("t")) for m in _TITLE_EN_GENERIC.finditer(text)
        if not _EN_NOT_NAME.fullmatch(m.group("t").split()[0]) or m.group("t").split()[0] in ("Sales", "Product")
    ]
    if found:
        return max(found, key=lambda f: (len(f[1].split()), len(f[1]), -f[0]))[1]
    apart = _TITLE_DEPT_APART.search(text)
    if apart:
        return apart.group("dept") + apart.group("role")
    m = _TITLE_FULL_CN.search(text)
    wide = _TITLE_ANY_DEPT.search(text)
    if wide and (m is None or (wide.end() == m.end() and wide.start() < m.start())) and not _NOT_DEPT.search(wide.group("dept")):
        return wide.group(0)  # "招商部部长", "院线事业部经理": a department the word list does not know
    if m:
        return m.group(0)
    m = _TITLE_CN.search(text)
    if m:
        title = m.group(0)
        if title == "总":
            return None
        return title
    return None
