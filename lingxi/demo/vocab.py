"""Word lists for the demo tenant: names, places, company parts, products and the phrases of daily sales work.

Chinese words carry their pinyin so that e-mail handles and web domains look like real ones.
"""

from __future__ import annotations

# (surname, pinyin, weight): the common surnames, weighted roughly by frequency.
SURNAMES: tuple[tuple[str, str, int], ...] = (
    ("王", "wang", 30), ("李", "li", 30), ("张", "zhang", 28), ("刘", "liu", 24), ("陈", "chen", 20),
    ("杨", "yang", 14), ("黄", "huang", 12), ("赵", "zhao", 12), ("吴", "wu", 11), ("周", "zhou", 11),
    ("徐", "xu", 8), ("孙", "sun", 8), ("马", "ma", 8), ("朱", "zhu", 7), ("胡", "hu", 7), ("郭", "guo", 6),
    ("何", "he", 6), ("高", "gao", 6), ("林", "lin", 6), ("罗", "luo", 5), ("郑", "zheng", 5), ("梁", "liang", 5),
    ("谢", "xie", 4), ("宋", "song", 4), ("唐", "tang", 4), ("许", "xu", 4), ("韩", "han", 4), ("冯", "feng", 4),
    ("邓", "deng", 4), ("曹", "cao", 4), ("彭", "peng", 3), ("曾", "zeng", 3), ("肖", "xiao", 3), ("田", "tian", 3),
    ("董", "dong", 3), ("袁", "yuan", 3), ("潘", "pan", 3), ("于", "yu", 3), ("蒋", "jiang", 3), ("蔡", "cai", 3),
    ("余", "yu", 3), ("杜", "du", 3), ("叶", "ye", 3), ("程", "cheng", 3), ("苏", "su", 3), ("魏", "wei", 3),
    ("吕", "lv", 2), ("丁", "ding", 2), ("任", "ren", 2), ("沈", "shen", 2), ("姚", "yao", 2), ("卢", "lu", 2),
    ("姜", "jiang", 2), ("崔", "cui", 2), ("钟", "zhong", 2), ("谭", "tan", 2), ("陆", "lu", 2), ("汪", "wang", 2),
    ("范", "fan", 2), ("金", "jin", 2), ("石", "shi", 2), ("廖", "liao", 2), ("贾", "jia", 2), ("夏", "xia", 2),
    ("方", "fang", 2), ("白", "bai", 2), ("邹", "zou", 2), ("孟", "meng", 2), ("熊", "xiong", 2), ("秦", "qin", 2),
    ("邱", "qiu", 2), ("江", "jiang", 2), ("尹", "yin", 2), ("薛", "xue", 2), ("段", "duan", 1), ("雷", "lei", 1),
    ("侯", "hou", 1), ("龙", "long", 1), ("史", "shi", 1), ("陶", "tao", 1), ("贺", "he", 1), ("顾", "gu", 1),
    ("毛", "mao", 1), ("郝", "hao", 1), ("龚", "gong", 1), ("邵", "shao", 1), ("钱", "qian", 1), ("严", "yan", 1),
    ("欧阳", "ouyang", 1), ("司马", "sima", 1), ("上官", "shangguan", 1),
)

GIVEN_CHARS: tuple[tuple[str, str], ...] = (
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"), ("强", "qiang"),
    ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"), ("杰", "jie"), ("娟", "juan"),
    ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("秀", "xiu"), ("霞", "xia"), ("平", "ping"), ("刚", "gang"),
    ("英", "ying"), ("华", "hua"), ("玉", "yu"), ("建", "jian"), ("国", "guo"), ("文", "wen"), ("辉", "hui"),
    ("鹏", "peng"), ("宇", "yu"), ("浩", "hao"), ("晨", "chen"), ("欣", "xin"), ("婷", "ting"), ("雪", "xue"),
    ("琳", "lin"), ("晓", "xiao"), ("志", "zhi"), ("海", "hai"), ("波", "bo"), ("斌", "bin"), ("宁", "ning"),
    ("俊", "jun"), ("峰", "feng"), ("雅", "ya"), ("思", "si"), ("佳", "jia"), ("嘉", "jia"), ("子", "zi"),
    ("涵", "han"), ("轩", "xuan"), ("博", "bo"), ("睿", "rui"), ("颖", "ying"), ("倩", "qian"), ("蕾", "lei"),
    ("凯", "kai"), ("亮", "liang"), ("飞", "fei"), ("晶", "jing"), ("慧", "hui"), ("诗", "shi"), ("雨", "yu"),
    ("萱", "xuan"), ("一", "yi"), ("天", "tian"), ("永", "yong"), ("春", "chun"), ("立", "li"), ("新", "xin"),
    ("成", "cheng"), ("德", "de"), ("红", "hong"), ("兰", "lan"), ("梅", "mei"), ("琴", "qin"), ("云", "yun"),
    ("帆", "fan"), ("然", "ran"), ("逸", "yi"), ("泽", "ze"), ("宏", "hong"), ("振", "zhen"), ("良", "liang"),
    ("松", "song"), ("丹", "dan"), ("璐", "lu"), ("瑶", "yao"), ("琪", "qi"), ("彤", "tong"), ("昊", "hao"),
    ("铭", "ming"), ("哲", "zhe"),
)

EN_FIRST = (
    "James", "Emma", "Oliver", "Sophia", "William", "Olivia", "Daniel", "Charlotte", "Michael", "Amelia", "David",
    "Grace", "Thomas", "Chloe", "Benjamin", "Lucy", "Henry", "Hannah", "Jack", "Isabella", "Ryan", "Emily",
    "Samuel", "Zoe", "Andrew", "Rachel", "Kevin", "Jessica", "Jason", "Vivian", "Priya", "Arjun", "Mei Ling", "Wei Jie",
)
EN_LAST = (
    "Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Roberts", "Walker", "Wright", "Thompson",
    "White", "Hughes", "Edwards", "Green", "Hall", "Wood", "Harris", "Clarke", "Tan", "Lim", "Lee", "Ng", "Wong",
    "Chan", "Cheng", "Chua", "Goh", "Koh", "Müller", "Schmidt", "Patel", "Nair",
)

# (brand, pinyin): the invented trade names of Chinese companies.
BRANDS: tuple[tuple[str, str], ...] = (
    ("华鼎", "huading"), ("云帆", "yunfan"), ("星辰", "xingchen"), ("启明", "qiming"), ("天拓", "tiantuo"),
    ("恒信", "hengxin"), ("博远", "boyuan"), ("瑞丰", "ruifeng"), ("汇通", "huitong"), ("远景", "yuanjing"),
    ("中科", "zhongke"), ("海纳", "haina"), ("鼎盛", "dingsheng"), ("金桥", "jinqiao"), ("银河", "yinhe"),
    ("长青", "changqing"), ("明德", "mingde"), ("宏图", "hongtu"), ("嘉禾", "jiahe"), ("锦程", "jincheng"),
    ("盛世", "shengshi"), ("万象", "wanxiang"), ("新锐", "xinrui"), ("卓越", "zhuoyue"), ("蓝海", "lanhai"),
    ("智联", "zhilian"), ("数智", "shuzhi"), ("凌云", "lingyun"), ("九州", "jiuzhou"), ("东方", "dongfang"),
    ("泰和", "taihe"), ("永安", "yongan"), ("安信", "anxin"), ("普华", "puhua"), ("青禾", "qinghe"),
    ("光合", "guanghe"), ("聚力", "juli"), ("众诚", "zhongcheng"), ("同创", "tongchuang"), ("澄明", "chengming"),
    ("碧水", "bishui"), ("华彩", "huacai"), ("鸿运", "hongyun"), ("诚泰", "chengtai"), ("润和", "runhe"),
    ("中瑞", "zhongrui"), ("天润", "tianrun"), ("思源", "siyuan"), ("新元", "xinyuan"), ("鑫达", "xinda"),
    ("旭日", "xuri"), ("磐石", "panshi"), ("立达", "lida"), ("精工", "jinggong"), ("匠心", "jiangxin"),
    ("百川", "baichuan"), ("千帆", "qianfan"), ("易达", "yida"), ("睿思", "ruisi"), ("领航", "linghang"),
    ("北辰", "beichen"), ("南山", "nanshan"), ("西岭", "xiling"), ("春晖", "chunhui"), ("晨光", "chenguang"),
    ("和信", "hexin"), ("宝丰", "baofeng"), ("齐心", "qixin"), ("远航", "yuanhang"), ("海川", "haichuan"),
    ("德润", "derun"), ("弘毅", "hongyi"), ("创源", "chuangyuan"), ("优联", "youlian"), ("信达", "xinda"),
    ("佳禾", "jiahe"), ("瀚海", "hanhai"), ("天衡", "tianheng"), ("正泰", "zhengtai"), ("禾丰", "hefeng"),
)

# industry (from the Account picklist) -> (word in the company name, token for the web domain)
INDUSTRY_WORDS: dict[str, tuple[tuple[str, str], ...]] = {
    "信息技术": (("科技", "tech"), ("信息技术", "it"), ("软件", "soft"), ("网络科技", "net"), ("数据科技", "data")),
    "制造业": (("精密机械", "machinery"), ("电子", "electronics"), ("汽车零部件", "auto"), ("新材料", "materials"), ("智能装备", "equip")),
    "金融": (("投资", "invest"), ("融资租赁", "leasing"), ("保险经纪", "insurance")),
    "零售": (("商贸", "trade"), ("电子商务", "ecom"), ("连锁超市", "mart")),
    "医疗健康": (("医疗器械", "med"), ("生物科技", "bio"), ("医药", "pharma")),
    "教育": (("教育科技", "edu"), ("职业培训", "training")),
    "能源": (("新能源", "energy"), ("光伏科技", "solar"), ("电力工程", "power")),
    "物流": (("物流", "logistics"), ("供应链管理", "scm"), ("国际货运", "freight")),
    "房地产": (("置业", "estate"), ("物业服务", "property")),
    "专业服务": (("管理咨询", "consulting"), ("人力资源", "hr"), ("知识产权代理", "ip")),
    "其他": (("文化传媒", "media"), ("餐饮管理", "catering")),
}
INDUSTRY_WEIGHTS: dict[str, int] = {
    "信息技术": 18, "制造业": 18, "金融": 8, "零售": 10, "医疗健康": 8, "教育": 5, "能源": 6, "物流": 8,
    "房地产": 4, "专业服务": 8, "政府与公共事业": 3, "其他": 4,
}
# (unit, short name, domain token) of public-sector customers: "北京市大数据管理中心"
PUBLIC_SECTOR_UNITS = (
    ("智慧城市运营中心", "智慧城市中心", "smartcity"), ("公共资源交易中心", "公共资源交易中心", "ggzy"),
    ("水务集团有限公司", "水务集团", "water"), ("大数据管理中心", "大数据中心", "dsj"), ("政务服务中心", "政务服务中心", "zwfw"),
)

# (city, province, region, area code, pinyin, districts)
CN_CITIES: tuple[tuple[str, str, str, str, str, tuple[str, ...]], ...] = (
    ("上海", "上海", "华东", "021", "shanghai", ("浦东新区", "徐汇区", "闵行区", "静安区", "长宁区")),
    ("杭州", "浙江", "华东", "0571", "hangzhou", ("西湖区", "滨江区", "余杭区")),
    ("南京", "江苏", "华东", "025", "nanjing", ("鼓楼区", "建邺区", "江宁区")),
    ("苏州", "江苏", "华东", "0512", "suzhou", ("工业园区", "高新区", "吴中区")),
    ("宁波", "浙江", "华东", "0574", "ningbo", ("鄞州区", "海曙区")),
    ("合肥", "安徽", "华东", "0551", "hefei", ("蜀山区", "包河区")),
    ("北京", "北京", "华北", "010", "beijing", ("海淀区", "朝阳区", "东城区", "丰台区")),
    ("天津", "天津", "华北", "022", "tianjin", ("滨海新区", "南开区")),
    ("济南", "山东", "华北", "0531", "jinan", ("历下区", "高新区")),
    ("青岛", "山东", "华北", "0532", "qingdao", ("市南区", "崂山区")),
    ("石家庄", "河北", "华北", "0311", "shijiazhuang", ("长安区", "裕华区")),
    ("深圳", "广东", "华南", "0755", "shenzhen", ("南山区", "福田区", "龙岗区")),
    ("广州", "广东", "华南", "020", "guangzhou", ("天河区", "海珠区", "黄埔区")),
    ("厦门", "福建", "华南", "0592", "xiamen", ("思明区", "湖里区")),
    ("成都", "四川", "西部", "028", "chengdu", ("高新区", "武侯区", "锦江区")),
    ("重庆", "重庆", "西部", "023", "chongqing", ("渝北区", "江北区")),
    ("西安", "陕西", "西部", "029", "xian", ("雁塔区", "高新区")),
    ("武汉", "湖北", "华中", "027", "wuhan", ("江汉区", "洪山区", "东湖高新区")),
    ("长沙", "湖南", "华中", "0731", "changsha", ("岳麓区", "天心区")),
    ("郑州", "河南", "华中", "0371", "zhengzhou", ("金水区", "郑东新区")),
)
CN_CITY_WEIGHTS = (16, 8, 6, 6, 3, 2, 14, 4, 3, 3, 2, 10, 8, 2, 5, 3, 3, 4, 2, 2)
ROADS = ("科技园路", "人民路", "建设大道", "金融街", "创新大道", "滨江路", "世纪大道", "中山路", "解放路", "软件园路", "高新大道", "文化路")

# (city, country, legal suffix, domain suffix, phone prefix, streets)
FOREIGN_CITIES: tuple[tuple[str, str, str, str, str, tuple[str, ...]], ...] = (
    ("Singapore", "Singapore", "Pte. Ltd.", ".com.sg", "+65 6", ("Raffles Place", "Anson Road", "Science Park Drive")),
    ("London", "United Kingdom", "Ltd.", ".co.uk", "+44 20 7", ("Old Street", "Canary Wharf", "King's Road")),
    ("Hong Kong", "中国香港", "Limited", ".com.hk", "+852 2", ("Queen's Road Central", "Nathan Road", "Harbour Road")),
    ("Sydney", "Australia", "Pty Ltd", ".com.au", "+61 2 9", ("George Street", "Pitt Street")),
    ("Frankfurt", "Germany", "GmbH", ".de", "+49 69 ", ("Mainzer Landstraße", "Taunusanlage")),
    ("New York", "United States", "Inc.", ".com", "+1 212 ", ("Park Avenue", "Broadway", "Madison Avenue")),
)
EN_COMPANY_FIRST = (
    "Northwind", "Blue Harbor", "Crescent", "Summit", "Evergreen", "Silverline", "Redwood", "Pacific Rim",
    "Oakridge", "Brightstone", "Harbourview", "Meridian", "Lighthouse", "Granite Peak", "Sterling", "Aurora",
    "Beacon", "Cobalt", "Fairfield", "Kingsway",
)
# industry -> English nouns
EN_COMPANY_NOUN: dict[str, tuple[str, ...]] = {
    "信息技术": ("Systems", "Software", "Analytics"), "制造业": ("Manufacturing", "Industries", "Components"),
    "金融": ("Capital", "Partners"), "零售": ("Trading", "Retail"), "医疗健康": ("Medical", "Life Sciences"),
    "教育": ("Learning", "Education"), "能源": ("Energy", "Power"), "物流": ("Logistics", "Freight"),
    "房地产": ("Properties",), "专业服务": ("Consulting", "Advisory"), "其他": ("Media", "Hospitality"),
}

MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "156",
    "157", "158", "159", "166", "173", "176", "177", "180", "181", "182", "183", "185", "186", "187", "188",
    "189", "191", "198", "199",
)

CN_TITLES: tuple[tuple[str, str], ...] = (
    ("总经理", "总经办"), ("副总经理", "总经办"), ("采购经理", "采购部"), ("采购专员", "采购部"), ("IT总监", "信息部"),
    ("信息化主管", "信息部"), ("财务总监", "财务部"), ("销售总监", "销售部"), ("运营经理", "运营部"), ("市场经理", "市场部"),
    ("项目经理", "项目部"), ("行政主管", "行政部"), ("首席信息官", "信息部"), ("技术负责人", "研发部"), ("客服经理", "客服中心"),
)
EN_TITLES: tuple[tuple[str, str], ...] = (
    ("Managing Director", "Management"), ("CEO", "Management"), ("Procurement Manager", "Procurement"),
    ("IT Director", "IT"), ("CFO", "Finance"), ("Head of Operations", "Operations"), ("Marketing Manager", "Marketing"),
    ("Project Manager", "PMO"), ("Head of Customer Service", "Customer Service"),
)

# (name, English name, family, unit, list price)
PRODUCTS: tuple[tuple[str, str, str, str, int], ...] = (
    ("灵犀CRM 标准版（年订阅/用户）", "Lingxi CRM Standard (annual, per user)", "订阅", "用户·年", 1200),
    ("灵犀CRM 专业版（年订阅/用户）", "Lingxi CRM Professional (annual, per user)", "订阅", "用户·年", 2400),
    ("灵犀CRM 企业版（年订阅/用户）", "Lingxi CRM Enterprise (annual, per user)", "订阅", "用户·年", 3600),
    ("智能客服坐席（年订阅）", "AI service desk seat (annual)", "订阅", "坐席·年", 4800),
    ("营销自动化模块（年订阅）", "Marketing automation (annual)", "订阅", "套·年", 36000),
    ("AI 销售助手（年订阅）", "AI sales assistant (annual)", "订阅", "用户·年", 1800),
    ("数据分析与BI模块（年订阅）", "Analytics and BI (annual)", "订阅", "套·年", 24000),
    ("企业微信集成套件", "WeCom integration kit", "软件", "套", 18000),
    ("钉钉集成套件", "DingTalk integration kit", "软件", "套", 15000),
    ("飞书集成套件", "Feishu integration kit", "软件", "套", 15000),
    ("ERP对接中间件（用友/金蝶）", "ERP connector (Yonyou/Kingdee)", "软件", "套", 45000),
    ("私有化部署许可", "On-premises licence", "软件", "套", 280000),
    ("呼叫中心软件许可", "Contact centre licence", "软件", "坐席", 6000),
    ("电子签章接口", "E-signature connector", "软件", "套", 12000),
    ("移动外勤应用", "Field sales app", "软件", "用户", 600),
    ("知识库与工单系统", "Knowledge base and ticketing", "软件", "套", 30000),
    ("服务器一体机 LX-S200", "Appliance server LX-S200", "硬件", "台", 68000),
    ("服务器一体机 LX-S500", "Appliance server LX-S500", "硬件", "台", 128000),
    ("智能工牌 X1", "Smart badge X1", "硬件", "个", 399),
    ("录音网关 G8", "Voice gateway G8", "硬件", "台", 8800),
    ("呼叫中心耳麦", "Contact centre headset", "硬件", "个", 480),
    ("门店客流摄像头", "Store traffic camera", "硬件", "台", 1500),
    ("自助服务终端", "Self-service kiosk", "硬件", "台", 22000),
    ("条码扫描枪", "Barcode scanner", "硬件", "把", 650),
    ("实施服务（人天）", "Implementation (person-day)", "服务", "人天", 2500),
    ("数据迁移服务", "Data migration", "服务", "项", 30000),
    ("定制开发（人天）", "Custom development (person-day)", "服务", "人天", 3000),
    ("驻场运维服务（月）", "On-site operations (month)", "服务", "月", 25000),
    ("系统健康检查", "System health check", "服务", "次", 8000),
    ("年度技术支持（标准）", "Annual support (standard)", "服务", "年", 20000),
    ("年度技术支持（白金）", "Annual support (platinum)", "服务", "年", 60000),
    ("安全合规评估", "Security and compliance review", "服务", "项", 40000),
    ("流程咨询服务", "Process consulting", "服务", "项", 50000),
    ("管理员认证培训", "Administrator certification", "培训", "人", 3800),
    ("销售团队赋能培训", "Sales enablement workshop", "培训", "场", 12000),
    ("客服团队培训", "Service team training", "培训", "场", 9000),
    ("开发者培训", "Developer training", "培训", "人", 5200),
    ("线上培训课程包", "Online course bundle", "培训", "套", 6800),
    ("短信通知包（10万条）", "SMS bundle (100k)", "订阅", "包", 4500),
    ("存储扩容包（1TB/年）", "Storage add-on (1 TB/yr)", "订阅", "TB·年", 3000),
)

DEAL_TOPICS_CN = ("CRM 系统建设项目", "客服中心升级", "销售数字化转型", "营销自动化项目", "CRM 二期扩容", "年度续约",
                  "渠道管理平台", "私有化部署项目", "AI 客服试点", "数据中台对接", "外勤管理项目", "服务工单系统")
DEAL_TOPICS_EN = ("CRM rollout", "Service desk upgrade", "Sales digitalisation", "Marketing automation",
                  "Renewal", "Regional expansion", "AI assistant pilot", "Contact centre refresh")
NEXT_STEPS = ("安排技术交流会", "提交正式报价", "约见采购负责人", "发送案例资料", "准备POC环境", "确认合同条款", "推动立项审批", "Arrange a demo", "Send the revised proposal")

ACTIVITY_SUBJECTS_CN: dict[str, tuple[str, ...]] = {
    "call": ("电话沟通需求细节", "回访系统使用情况", "跟进报价反馈", "确认演示时间", "续约意向沟通", "电话确认付款进度"),
    "meeting": ("方案评审会", "需求调研会议", "季度业务回顾（QBR）", "项目启动会", "商务谈判会议", "技术交流会"),
    "visit": ("拜访客户高层", "现场产品演示", "上门实施调研", "节日客户拜访", "现场验收"),
    "email": ("发送产品资料", "发送报价单", "发送合同草稿", "发送会议纪要", "发送成功案例"),
    "task": ("准备技术方案", "整理会议纪要", "申请特价审批", "更新客户档案", "准备投标文件", "安排实施排期"),
    "note": ("客户关注数据安全与私有化部署", "竞争对手报价较低，需强调服务优势", "客户预算在第四季度审批", "决策人为IT总监和财务总监", "客户希望对接企业微信"),
}
ACTIVITY_SUBJECTS_EN: dict[str, tuple[str, ...]] = {
    "call": ("Follow-up call on proposal", "Check-in call", "Discuss renewal terms"),
    "meeting": ("Kick-off meeting", "Quarterly business review", "Solution workshop"),
    "visit": ("On-site visit", "Executive visit"),
    "email": ("Sent proposal", "Sent case studies", "Sent contract draft"),
    "task": ("Prepare solution deck", "Update account plan", "Request discount approval"),
    "note": ("Budget approval expected next quarter", "Evaluating Salesforce as well", "Needs single sign-on"),
}
CHANNEL_LABELS = {
    "phone": "电话", "email": "邮件", "web": "网页表单", "chat": "在线客服", "wecom": "企业微信", "dingtalk": "钉钉",
    "feishu": "飞书", "mini_program": "小程序", "sms": "短信", "iot": "设备告警", "in_person": "现场",
}
CALL_OUTCOMES = ("客户有意向，约下周演示", "需进一步确认预算", "已确认需求，准备报价", "未接通，稍后再联系", "客户满意，同意续约")
MEETING_PLACES = ("客户会议室", "我司{city}办公室", "线上会议（腾讯会议）", "线上会议（飞书）", "客户现场")

TICKET_SUBJECTS_CN: dict[str, tuple[str, ...]] = {
    "故障": ("登录后页面空白", "数据导出失败", "移动端无法同步", "报表加载缓慢", "企业微信消息收不到", "附件上传报错"),
    "咨询": ("如何设置审批流程", "如何批量导入客户", "发票开具咨询", "如何配置权限角色"),
    "投诉": ("实施进度延误", "客服响应太慢", "升级后操作习惯改变"),
    "退换货": ("设备到货损坏申请换货", "智能工牌退货", "扫描枪无法识别条码"),
    "账单": ("续费账单金额有误", "申请开具专票", "多扣费用申请退款"),
    "安装实施": ("新增门店上线支持", "服务器一体机上架安装", "数据迁移协助"),
    "功能建议": ("希望支持企业微信消息推送", "建议增加自定义报表", "希望支持多币种报价"),
    "其他": ("培训名额咨询", "合同盖章流程确认"),
}
TICKET_SUBJECTS_EN: dict[str, tuple[str, ...]] = {
    "故障": ("Cannot log in after password reset", "Export job stuck", "Mobile app sync error"),
    "咨询": ("How to configure approval rules", "Question about API limits"),
    "投诉": ("Slow response from support",),
    "退换货": ("Damaged headset on delivery",),
    "账单": ("Invoice amount mismatch",),
    "安装实施": ("Help with SSO setup",),
    "功能建议": ("Feature request: multi-currency quotes",),
    "其他": ("Training schedule",),
}

CAMPAIGNS: tuple[tuple[str, str, int, int, int], ...] = (
    # name, type, start (days from base), length in days, budget
    ("灵犀春季新品发布会", "event", -330, 1, 180000),
    ("数字化转型白皮书邮件营销", "email", -200, 30, 20000),
    ("上海国际工业博览会", "trade_show", -120, 5, 350000),
    ("AI 客服直播研讨会", "webinar", -25, 1, 30000),
    ("Singapore CX Summit", "event", 20, 2, 120000),
)

TAGS: tuple[tuple[str, str], ...] = (
    ("重点客户", "#f5222d"), ("战略合作", "#722ed1"), ("VIP", "#faad14"), ("续约风险", "#fa541c"),
    ("高意向", "#52c41a"), ("待回访", "#1677ff"), ("Key account", "#13c2c2"), ("政府项目", "#2f54eb"),
)
