"""The built-in decomposition methods: data, not code. A tenant reads them through the API, and an admin
edits one by saving a copy under the same key (``PlanMethod``), disables it, or adds methods of their own.

A method: ``key``, ``goal_type``, bilingual ``name``/``description``, ``examples`` and ``keywords`` (how the
offline planner recognises a goal), ``slots`` (what it needs: ``entity`` slots are looked up among the
records the user may read), ``success`` (how the outcome is compared with the goal) and ``tree``: the
phases under the goal, each a node ``{key, title, why, mode, children}``; leaves are atomic tasks
``{key, title, why, executor, tool, args, alternatives, assignee, instructions, references, due_in_hours}``.
Arguments may name slots as ``{{account.id}}`` / ``{{account.name}}`` and earlier results as
``{{tasks.<key>.output.<field>}}``; both are filled in when the task runs.
"""

from __future__ import annotations

from typing import Any

# The tool names the built-in methods call (the tool library registers them; an unknown tool turns the
# task into a person task when a plan is made, so a plan never stalls on a missing tool).
TOOLS_USED = (
    "accounts.get", "accounts.update", "activities.search", "tickets.search", "tickets.create", "opportunities.search",
    "opportunities.create", "orders.search", "leads.search", "accounts.search", "knowledge.search",
    "communication.draft_email", "calendar.create_event", "analytics.sum", "analytics.group_by",
    "email.send", "sms.send",  # outbound channels: a person sends by hand until a sending tool is registered
)


def _t(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def group(key: str, zh: str, en: str, why_zh: str, why_en: str, children: list[dict[str, Any]], mode: str = "sequence") -> dict[str, Any]:
    return {"key": key, "title": _t(zh, en), "why": _t(why_zh, why_en), "mode": mode, "children": children}


def system(key: str, zh: str, en: str, why_zh: str, why_en: str, tool: str, args: dict[str, Any], *,
           alternatives: list[dict[str, Any]] | None = None, external: bool = False) -> dict[str, Any]:
    return {"key": key, "title": _t(zh, en), "why": _t(why_zh, why_en), "executor": "external" if external else "system",
            "tool": tool, "args": args, "alternatives": alternatives or []}


def person(key: str, zh: str, en: str, why_zh: str, why_en: str, instr_zh: str, instr_en: str, *,
           assignee: str = "record_owner", due_in_hours: float = 24, references: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"key": key, "title": _t(zh, en), "why": _t(why_zh, why_en), "executor": "person", "assignee": assignee,
            "instructions": _t(instr_zh, instr_en), "due_in_hours": due_in_hours,
            "references": references or [{"kind": "record", "slot": "account"}]}


ACC = {"id": "{{account.id}}"}
BY_ACCOUNT = {"filter": {"account_id": "{{account.id}}"}, "sort": "-created_at", "limit": 20}
TO_ACCOUNT = {"entity": "accounts", "record_id": "{{account.id}}"}
ACCOUNT_SLOT = {"name": "account", "entity": "accounts", "required": True}


def _email(key: str, zh: str, en: str, why_zh: str, why_en: str, subject: str, purpose: str) -> dict[str, Any]:
    """An email with SMS as the backup channel."""
    return system(key, zh, en, why_zh, why_en, "email.send",
                  {"to_record": ACC, "subject": subject, "draft": "{{tasks.draft.output.body}}", "purpose": purpose},
                  alternatives=[{"tool": "sms.send", "args": {"to_record": ACC, "text": subject}}], external=True)


METHODS: list[dict[str, Any]] = [
    {
        "key": "win_back_churning_customer",
        "goal_type": "win_back",
        "name": _t("挽回流失风险客户", "Win back a churning customer"),
        "description": _t("诊断流失原因，由负责人亲自沟通并给出挽留方案，跟踪客户是否留下。",
                          "Diagnose why the customer is drifting away, reach out personally with a retention offer, and track whether they stay."),
        "examples": [
            "挽回流失客户华鼎科技", "客户要流失了，帮我制定挽回计划", "华鼎最近不续约了，想办法挽留", "这个老客户快跑了，怎么挽回",
            "召回沉睡客户", "客户活跃度下降，防止流失", "客户说要换供应商，留住他们",
            "win back Acme Corp", "Acme is about to churn, make a retention plan", "save the at-risk account",
            "customer is leaving us for a competitor", "re-engage a lapsed customer", "prevent churn for Globex",
        ],
        "keywords": ["挽回", "流失", "挽留", "召回", "沉睡", "不续约", "换供应商", "留住", "跑单", "churn", "win back", "win-back",
                     "retention", "retain", "at-risk", "at risk", "lapsed", "re-engage", "leaving", "save the account"],
        "slots": [ACCOUNT_SLOT],
        "success": {"task_outcomes": ["confirm_retention"]},
        "tree": [
            group("diagnose", "诊断流失原因", "Diagnose the churn", "先弄清客户为什么要走，挽留方案才对症。",
                  "A retention offer only works if it answers the real reason for leaving.", [
                group("gather", "收集客户近况", "Gather the account's history", "用数据而不是印象判断风险。", "Judge the risk on data, not impressions.", [
                    system("load_account", "读取客户档案", "Load the account", "确认客户、负责人和等级。", "Confirm the account, its owner and tier.", "accounts.get", ACC),
                    system("recent_activities", "查看近期互动", "Review recent interactions", "互动减少是流失的首要信号。", "Fewer touches are the first sign of churn.", "activities.search", BY_ACCOUNT),
                    system("open_tickets", "检查未结工单", "Check open tickets", "未解决的问题常是流失原因。", "Unresolved problems are a common reason to leave.", "tickets.search", BY_ACCOUNT),
                ], mode="parallel"),
                group("analyse", "分析原因", "Analyse the cause", "把信号归纳成可以回应的原因。", "Turn signals into a cause one can answer.", [
                    person("root_cause", "确认流失原因", "Confirm the reason for churn", "负责人最了解客户，需要亲自判断。",
                           "The owner knows the customer best and must judge.", "查看上面的互动和工单，电话或拜访关键联系人，记录客户要走的主要原因（价格/服务/产品/竞品）。",
                           "Review the interactions and tickets above, call or visit the key contact, and record the main reason (price, service, product, competitor).", due_in_hours=48),
                ]),
            ]),
            group("reach_out", "挽留沟通", "Reach out", "针对原因提出挽留方案并沟通。", "Answer the cause with an offer and talk it through.", [
                group("offer", "准备挽留方案", "Prepare the offer", "方案要有依据、可落地。", "The offer must be grounded and deliverable.", [
                    system("playbook", "检索挽留话术与案例", "Find retention playbooks", "复用成功的挽留经验。", "Reuse what won customers back before.", "knowledge.search", {"query": "客户挽留 方案 案例 retention playbook"}),
                    system("draft", "起草挽留邮件", "Draft the win-back email", "让负责人从一份草稿开始，而不是白纸。", "Give the owner a draft rather than a blank page.", "communication.draft_email", {**TO_ACCOUNT, "purpose": "win_back", "points": "{{tasks.root_cause.result.notes}}"}),
                ]),
                group("contact", "联系客户", "Contact the customer", "多渠道触达，确保客户收到。", "Reach the customer on more than one channel.", [
                    _email("send_offer", "发送挽留邮件", "Send the win-back email", "书面方案便于客户内部传阅。", "A written offer can be passed around inside the customer.", "我们为您准备了专属方案", "win_back"),
                    system("schedule_call", "预约回访会议", "Book a follow-up meeting", "面对面沟通挽留成功率最高。", "Talking in person retains best.", "calendar.create_event", {"title": "客户挽留沟通 {{account.name}}", "related_entity": "accounts", "related_id": "{{account.id}}", "start_at": "{{dates.in_3_days}}"}),
                ]),
            ]),
            group("close_loop", "确认结果", "Confirm the result", "以客户是否留下衡量成败。", "Success is the customer staying.", [
                group("verify", "确认是否留存", "Verify retention", "把结果写回 CRM，供以后的计划学习。", "Write the result back so later plans learn from it.", [
                    person("confirm_retention", "确认客户是否留下", "Confirm whether the customer stays", "只有负责人能确认客户的决定。",
                           "Only the owner can confirm the customer's decision.", "与客户确认是否续约/继续合作，填写结果：成功（留下）、部分（降级留下）或失败（流失）。",
                           "Confirm with the customer whether they renew or stay; record success (stays), partial (stays on a smaller plan) or failure (leaves).", due_in_hours=168),
                    system("mark_account", "更新客户状态", "Update the account", "让团队看到最新的风险状态。", "Let the team see the current risk.", "accounts.update",
                           {"id": "{{account.id}}", "description": "挽回计划结果 / win-back result: {{tasks.confirm_retention.result.outcome}} {{tasks.confirm_retention.result.notes}}"}),
                ]),
            ]),
        ],
    },
    {
        "key": "win_back_campaign_first",
        "goal_type": "win_back",
        "name": _t("挽回流失客户（先营销触达）", "Win back a churning customer (campaign first)"),
        "description": _t("先以优惠和内容自动触达，再由负责人跟进有回应的客户。",
                          "Reach out automatically with an offer and content first; the owner follows up when the customer responds."),
        "examples": ["用优惠券召回流失客户", "给流失客户发一轮召回营销", "win back lapsed customers with a discount offer", "send a win-back promotion"],
        "keywords": ["召回", "优惠", "折扣", "promotion", "discount", "win-back offer"],
        "slots": [ACCOUNT_SLOT],
        "success": {"task_outcomes": ["follow_up"]},
        "tree": [
            group("prepare", "准备召回内容", "Prepare the offer", "自动触达前先准备好内容。", "Prepare the content before reaching out.", [
                group("research", "了解客户", "Know the customer", "按客户历史定制优惠。", "Tailor the offer to the customer's history.", [
                    system("load_account", "读取客户档案", "Load the account", "确认客户与负责人。", "Confirm the account and owner.", "accounts.get", ACC),
                    system("orders", "查看历史订单", "Review past orders", "按购买历史选择优惠。", "Choose the offer from what they bought.", "orders.search", BY_ACCOUNT),
                ], mode="parallel"),
                group("content", "生成内容", "Write the content", "个性化内容提高回应率。", "Personal content gets more replies.", [
                    system("draft", "起草召回邮件", "Draft the win-back email", "从草稿开始更快。", "A draft is faster.", "communication.draft_email", {**TO_ACCOUNT, "purpose": "win_back_offer"}),
                ]),
            ]),
            group("outreach", "触达客户", "Reach out", "自动发送，节省人力。", "Send automatically to save effort.", [
                group("send", "发送", "Send", "邮件为主，短信备用。", "Email first, SMS as backup.", [
                    _email("send_offer", "发送召回邮件", "Send the win-back email", "触达客户。", "Reach the customer.", "老朋友专属回归优惠", "win_back_offer"),
                ]),
            ]),
            group("follow", "人工跟进", "Follow up", "有回应时由人接手。", "A person takes over when they respond.", [
                group("call", "回访", "Call back", "确认客户是否回来。", "Confirm whether they come back.", [
                    person("follow_up", "电话回访客户", "Call the customer", "人工沟通促成回归。", "A call turns interest into a return.",
                           "三天后电话回访，确认客户是否接受优惠并记录结果。", "Call after three days, confirm whether they take the offer, and record the result.", due_in_hours=96),
                ]),
            ]),
        ],
    },
    {
        "key": "quarterly_business_review",
        "goal_type": "qbr",
        "name": _t("准备季度业务回顾（QBR）", "Prepare a quarterly business review"),
        "description": _t("汇总本季度数据、成果和问题，形成回顾材料并与客户开会。",
                          "Pull the quarter's figures, results and issues into a review deck and hold the meeting with the customer."),
        "examples": [
            "准备华鼎科技的季度业务回顾", "帮我准备Q3 QBR", "下周要和客户做季度复盘", "整理本季度合作总结材料给客户汇报",
            "prepare the QBR for Acme", "get ready for the quarterly business review with Globex", "build a quarterly review deck",
            "quarterly account review next week",
        ],
        "keywords": ["季度", "qbr", "业务回顾", "复盘", "季度回顾", "汇报", "quarterly", "business review", "review deck", "q1", "q2", "q3", "q4"],
        "slots": [ACCOUNT_SLOT, {"name": "period", "kind": "text", "required": False}],
        "success": {"task_outcomes": ["hold_meeting"]},
        "tree": [
            group("collect", "收集数据", "Collect the data", "回顾要基于本季度的真实数据。", "A review stands on the quarter's real figures.", [
                group("figures", "业务数据", "Business figures", "订单、商机和服务三方面。", "Orders, deals and service.", [
                    system("load_account", "读取客户档案", "Load the account", "确认客户信息。", "Confirm the account.", "accounts.get", ACC),
                    system("orders", "汇总本季度订单", "Sum up the quarter's orders", "成交额是回顾的核心。", "Revenue is the core of the review.", "orders.search", BY_ACCOUNT),
                    system("opportunities", "列出进行中的商机", "List open opportunities", "为下季度的合作铺路。", "Sets up next quarter's business.", "opportunities.search", BY_ACCOUNT),
                    system("tickets", "统计服务工单", "Count service tickets", "服务质量是客户关心的重点。", "Service quality is what customers ask about.", "tickets.search", BY_ACCOUNT),
                ], mode="parallel"),
                group("metrics", "指标分析", "Metrics", "与上季度比较，说明变化。", "Compare with last quarter and explain the change.", [
                    system("trend", "计算季度指标", "Compute quarterly metrics", "给出同比环比。", "Give period-over-period change.", "analytics.sum",
                           {"entity": "orders", "field": "total_amount", "group_by": "order_date", "bucket": "quarter", "filter": {"account_id": "{{account.id}}"}}),
                ]),
            ]),
            group("prepare", "准备材料", "Prepare the material", "把数据变成客户看得懂的故事。", "Turn figures into a story the customer follows.", [
                group("deck", "回顾材料", "Review deck", "先草稿后人工定稿。", "Draft first, then a person finalises.", [
                    system("cases", "检索成功案例", "Find success stories", "用案例展示价值。", "Stories show value.", "knowledge.search", {"query": "季度回顾 模板 QBR template"}),
                    person("write_deck", "撰写QBR材料", "Write the QBR deck", "价值总结和下季度计划需要负责人判断。",
                           "The value summary and next quarter's plan need the owner's judgement.", "根据汇总数据写回顾材料：成果、问题、下季度目标与行动。",
                           "Write the deck from the figures: results, issues, next quarter's goals and actions.", due_in_hours=72),
                ]),
            ]),
            group("meet", "召开回顾会", "Hold the review", "与客户对齐并确认下一步。", "Align with the customer and agree next steps.", [
                group("meeting", "会议", "Meeting", "安排并召开会议，记录结论。", "Book, hold and record the meeting.", [
                    system("book", "预约回顾会议", "Book the review meeting", "提前锁定客户时间。", "Secure the customer's time early.", "calendar.create_event", {"title": "季度业务回顾 {{account.name}}", "related_entity": "accounts", "related_id": "{{account.id}}", "start_at": "{{dates.in_7_days}}"}),
                    person("hold_meeting", "召开回顾会并记录结论", "Hold the review and record the outcome", "会议结论决定下季度计划。",
                           "The meeting's conclusions set next quarter's plan.", "召开会议，记录客户反馈、认可的成果和约定的下一步。",
                           "Hold the meeting; record the customer's feedback, agreed results and next steps.", due_in_hours=192),
                ]),
            ]),
        ],
    },
    {
        "key": "handle_major_complaint",
        "goal_type": "complaint",
        "name": _t("处理重大投诉", "Handle a major complaint"),
        "description": _t("快速响应、查明原因、给出补救并回访，防止投诉升级和客户流失。",
                          "Respond fast, find the cause, make it right and follow up, so the complaint does not escalate or cost the customer."),
        "examples": [
            "处理华鼎科技的重大投诉", "客户投诉很严重，要马上处理", "客户对服务非常不满，已经投诉到老板", "紧急处理客户的质量投诉",
            "handle the major complaint from Acme", "angry customer escalated a complaint to our CEO", "resolve a serious service complaint",
            "customer is furious about the outage",
        ],
        "keywords": ["投诉", "不满", "抱怨", "差评", "愤怒", "质量问题", "事故", "维权", "complaint", "complain", "angry", "furious",
                     "escalated", "unhappy", "dissatisfied", "outage"],
        "slots": [ACCOUNT_SLOT, {"name": "ticket", "entity": "tickets", "required": False}],
        "success": {"task_outcomes": ["follow_up"]},
        "tree": [
            group("respond", "快速响应", "Respond fast", "重大投诉的第一小时决定客户的情绪。", "The first hour sets the customer's mood.", [
                group("register", "登记与确认", "Register and acknowledge", "让客户知道我们已在处理。", "Let the customer know we are on it.", [
                    system("load_account", "读取客户档案", "Load the account", "了解客户等级与负责人。", "Know the tier and the owner.", "accounts.get", ACC),
                    system("ticket", "创建投诉工单", "Open a complaint ticket", "留下可追踪的记录。", "Leave a record one can track.", "tickets.create",
                           {"subject": "重大投诉: {{account.name}}", "account_id": "{{account.id}}", "priority": "urgent", "description": "{{goal}}"}),
                    _email("acknowledge", "发送受理确认", "Send an acknowledgement", "及时回应能平复情绪。", "A quick answer calms things down.", "您的投诉我们已受理，正在紧急处理", "complaint_ack"),
                ]),
            ]),
            group("resolve", "查明并解决", "Find and fix", "找到根因，才能真正解决。", "Only the root cause fixes it for good.", [
                group("investigate", "调查", "Investigate", "结合历史工单和知识库。", "Use past tickets and the knowledge base.", [
                    system("history", "查看历史工单", "Review past tickets", "判断是否为重复问题。", "Tells a repeated problem apart.", "tickets.search", BY_ACCOUNT),
                    system("solutions", "检索解决方案", "Search for solutions", "复用已有方案。", "Reuse known fixes.", "knowledge.search", {"query": "投诉 处理 补救 方案 complaint resolution"}),
                    person("fix", "处理问题并给出补救", "Fix the problem and offer a remedy", "补救方案需要授权和判断。",
                           "A remedy needs authority and judgement.", "联系客户说明原因，落实解决措施和补偿，记录处理过程。",
                           "Call the customer, explain the cause, carry out the fix and any compensation; record what was done.", assignee="manager", due_in_hours=24),
                ]),
            ]),
            group("recover", "回访与复盘", "Follow up and learn", "确认客户满意并防止再次发生。", "Confirm satisfaction and prevent a repeat.", [
                group("check", "回访", "Follow up", "以客户满意度衡量结果。", "Measure by the customer's satisfaction.", [
                    person("follow_up", "回访客户满意度", "Check the customer's satisfaction", "只有客户能确认问题已解决。",
                           "Only the customer can confirm it is solved.", "处理完成后回访，确认客户是否满意并记录结果。",
                           "After the fix, call back, confirm whether the customer is satisfied and record it.", due_in_hours=72),
                ]),
            ]),
        ],
    },
    {
        "key": "onboard_new_customer",
        "goal_type": "onboarding",
        "name": _t("新客户上线（入职）", "Onboard a new customer"),
        "description": _t("签约后完成交接、启动会、培训和首次回访，让客户尽快用起来。",
                          "After signing: hand over, kick off, train and check in, so the customer gets value quickly."),
        "examples": [
            "给新签客户华鼎科技做上线", "新客户入职流程", "客户刚签约，安排实施交付", "帮新客户启动项目和培训",
            "onboard our new customer Acme", "kick off onboarding for Globex", "new client just signed, start onboarding", "customer onboarding and training",
        ],
        "keywords": ["新客户", "上线", "入职", "开通", "实施", "交付", "启动会", "培训", "刚签约", "新签", "onboard", "onboarding",
                     "kick off", "kickoff", "new customer", "new client", "just signed", "implementation", "training"],
        "slots": [ACCOUNT_SLOT],
        "success": {"task_outcomes": ["first_check_in"]},
        "tree": [
            group("handover", "销售交接", "Sales hand-over", "交付团队需要了解签约时的承诺。", "Delivery must know what was promised.", [
                group("context", "整理客户信息", "Gather the context", "避免重复询问客户。", "Avoid asking the customer twice.", [
                    system("load_account", "读取客户档案", "Load the account", "确认联系人与合同。", "Confirm contacts and contract.", "accounts.get", ACC),
                    system("orders", "读取签约订单", "Read the signed order", "明确交付范围。", "Pins down the scope.", "orders.search", BY_ACCOUNT),
                ], mode="parallel"),
            ]),
            group("kickoff", "启动", "Kick-off", "对齐目标、时间表和责任人。", "Agree goals, timeline and owners.", [
                group("welcome", "欢迎与启动会", "Welcome and kick-off", "良好开端提高续约率。", "A good start raises renewals.", [
                    _email("welcome", "发送欢迎邮件", "Send the welcome email", "让客户知道接下来会发生什么。", "Tell the customer what happens next.", "欢迎加入！接下来的上线安排", "onboarding_welcome"),
                    system("book_kickoff", "预约启动会", "Book the kick-off", "锁定关键人的时间。", "Secure key people's time.", "calendar.create_event", {"title": "项目启动会 {{account.name}}", "related_entity": "accounts", "related_id": "{{account.id}}", "start_at": "{{dates.in_2_days}}"}),
                    person("run_kickoff", "召开启动会", "Run the kick-off", "需要人来对齐期望。", "People align expectations.", "召开启动会，确认目标、里程碑与双方负责人，记录会议结论。",
                           "Run the kick-off; agree goals, milestones and owners on both sides; record the conclusions.", due_in_hours=72),
                ]),
            ]),
            group("adopt", "培训与首次回访", "Training and first check-in", "客户用起来才算上线成功。", "Onboarding succeeds when the customer uses it.", [
                group("enable", "赋能", "Enablement", "培训加资料。", "Training plus material.", [
                    system("guides", "检索培训资料", "Find training material", "标准资料节省时间。", "Standard material saves time.", "knowledge.search", {"query": "新客户 培训 上线 指南 onboarding guide"}),
                    person("train", "完成用户培训", "Train the users", "培训需要讲师。", "Training needs a trainer.", "按培训资料完成关键用户培训并记录参加人员。",
                           "Train the key users with the material and record who attended.", due_in_hours=168),
                    person("first_check_in", "首次使用回访", "First check-in", "确认客户已经用起来。", "Confirms the customer is using it.", "上线两周后回访，确认使用情况和问题，记录结果。",
                           "Two weeks after go-live, check usage and problems; record the result.", due_in_hours=336),
                ]),
            ]),
        ],
    },
    {
        "key": "launch_segment_campaign",
        "goal_type": "campaign",
        "name": _t("面向客群发起营销活动", "Launch a campaign to a segment"),
        "description": _t("圈定客群、准备内容、多渠道发送并跟踪转化。",
                          "Pick the segment, prepare the content, send it on several channels and track conversion."),
        "examples": [
            "给华东区制造业客户发起一场新品推广活动", "对VIP客户做一次促销营销", "策划一个面向中小企业的邮件营销活动", "给所有试用客户群发活动邀请",
            "launch a campaign to enterprise customers in the north region", "run an email campaign for the new product to SMB accounts",
            "promote our webinar to the healthcare segment", "send a marketing campaign to VIP customers",
        ],
        "keywords": ["营销", "活动", "推广", "促销", "群发", "客群", "人群", "邀请", "市场活动", "campaign", "marketing", "promote",
                     "promotion", "segment", "webinar", "newsletter", "blast", "launch"],
        "slots": [{"name": "segment", "kind": "text", "required": True}, {"name": "campaign", "entity": "campaigns", "required": False}],
        "success": {"task_outcomes": ["review_results"]},
        "tree": [
            group("audience", "圈定客群", "Define the audience", "选对人比写好内容更重要。", "The right audience matters more than the copy.", [
                group("select", "筛选客户", "Select customers", "按条件筛选并去除不宜打扰的客户。", "Filter, and drop those who must not be contacted.", [
                    system("find_segment", "按条件查询客群", "Query the segment", "得到目标名单。", "Gets the target list.", "accounts.search", {"keyword": "{{segment}}", "limit": 200, "with_total": True}),
                    person("approve_list", "审核目标名单", "Review the target list", "营销需尊重客户意愿，人工把关。",
                           "Marketing must respect consent; a person checks the list.", "检查名单，剔除已退订或正在投诉的客户，确认规模。",
                           "Check the list, remove unsubscribed customers and open complaints, confirm the size.", assignee="owner", due_in_hours=24,
                           references=[{"kind": "text", "slot": "segment"}]),
                ]),
            ]),
            group("content", "准备内容", "Prepare the content", "内容与客群匹配。", "Content fits the segment.", [
                group("write", "撰写", "Write", "先草稿后审核。", "Draft, then review.", [
                    system("material", "检索产品资料", "Find product material", "保证内容准确。", "Keeps the content accurate.", "knowledge.search", {"query": "{{segment}} 产品 卖点 product highlights"}),
                    system("draft", "生成营销内容", "Draft the campaign content", "节省写作时间。", "Saves writing time.", "communication.draft_email", {"entity": "accounts", "record_id": "{{tasks.find_segment.output.data.0.id}}", "purpose": "campaign", "points": "{{segment}}"}),
                    person("approve_content", "审核内容", "Approve the content", "对外内容需人工审核。", "Outbound content needs a human check.", "审核营销内容的准确性和合规性后批准发送。",
                           "Check the content for accuracy and compliance, then approve sending.", assignee="owner", due_in_hours=24),
                ]),
            ]),
            group("send", "发送与跟踪", "Send and track", "多渠道触达并衡量效果。", "Reach out on several channels and measure.", [
                group("deliver", "发送", "Deliver", "邮件为主，短信备用。", "Email first, SMS as backup.", [
                    system("send", "群发活动邮件", "Send the campaign email", "触达客群。", "Reaches the segment.", "email.send",
                           {"to_segment": "{{segment}}", "subject": "{{segment}} 专属活动", "draft": "{{tasks.draft.output.body}}"},
                           alternatives=[{"tool": "sms.send", "args": {"to_segment": "{{segment}}", "text": "{{segment}} 专属活动"}}], external=True),
                    system("measure", "统计打开与转化", "Measure opens and conversions", "用数据评估活动。", "Judge the campaign on data.", "analytics.group_by", {"entity": "campaign_members", "group_by": "status"}),
                    person("review_results", "复盘活动效果", "Review the results", "决定是否追加或调整。", "Decide whether to extend or change it.", "根据转化数据复盘并记录结论。",
                           "Review the conversion figures and record the conclusion.", assignee="owner", due_in_hours=168),
                ]),
            ]),
        ],
    },
    {
        "key": "renew_contract",
        "goal_type": "renewal",
        "name": _t("推动合同续约", "Secure a contract renewal"),
        "description": _t("在到期前评估健康度、准备续约方案并谈判签约。",
                          "Before expiry: check health, prepare the renewal offer, negotiate and sign."),
        "examples": [
            "华鼎科技的合同下个月到期，推动续约", "跟进客户续费", "准备续签合同", "客户年费快到期了，安排续约",
            "renew the Acme contract", "the Globex subscription expires next month, secure the renewal", "drive the renewal", "upcoming renewal for Initech",
        ],
        "keywords": ["续约", "续费", "续签", "到期", "年费", "续订", "renew", "renewal", "expires", "expiry", "subscription ends"],
        "slots": [ACCOUNT_SLOT],
        "success": {"task_outcomes": ["negotiate"]},
        "tree": [
            group("assess", "评估续约风险", "Assess the renewal", "先知道风险在哪。", "Know the risks first.", [
                group("health", "客户健康度", "Account health", "使用、服务和关系三方面。", "Usage, service and relationship.", [
                    system("load_account", "读取客户档案", "Load the account", "确认合同信息。", "Confirm the contract.", "accounts.get", ACC),
                    system("tickets", "检查服务问题", "Check service issues", "未解决问题影响续约。", "Open problems hurt renewals.", "tickets.search", BY_ACCOUNT),
                    system("activities", "查看近期互动", "Review recent interactions", "关系冷淡是风险。", "A cold relationship is a risk.", "activities.search", BY_ACCOUNT),
                ], mode="parallel"),
            ]),
            group("offer", "续约方案", "Renewal offer", "给出有吸引力的续约条件。", "Make renewing attractive.", [
                group("prepare", "准备", "Prepare", "报价与沟通。", "Quote and message.", [
                    system("opportunity", "创建续约商机", "Create a renewal opportunity", "纳入销售预测。", "Puts it into the forecast.", "opportunities.create", {"name": "续约 {{account.name}}", "account_id": "{{account.id}}"}),
                    system("draft", "起草续约邮件", "Draft the renewal email", "节省时间。", "Saves time.", "communication.draft_email", {**TO_ACCOUNT, "purpose": "renewal"}),
                    _email("send_offer", "发送续约提醒", "Send the renewal notice", "提前告知客户。", "Tell the customer early.", "您的合同即将到期，续约方案请查收", "renewal"),
                ]),
            ]),
            group("close", "谈判签约", "Negotiate and sign", "以签约为准。", "It counts when it is signed.", [
                group("negotiate_group", "谈判", "Negotiation", "由负责人推进。", "The owner drives it.", [
                    person("negotiate", "谈判并签署续约", "Negotiate and sign the renewal", "价格与条款需要人来谈。", "Price and terms need a person.",
                           "与客户谈判续约条款，记录结果：成功（签约）、部分（降级续约）或失败（不续约）。",
                           "Negotiate the terms; record success (signed), partial (downgraded) or failure (not renewed).", due_in_hours=336),
                ]),
            ]),
        ],
    },
    {
        "key": "advance_stalled_deal",
        "goal_type": "close_deal",
        "name": _t("推进商机成交", "Move a deal to close"),
        "description": _t("分析商机卡点，找到决策人，推进方案和报价直至成交。",
                          "Find what blocks the deal, reach the decision maker, and push the proposal and quote to a close."),
        "examples": [
            "推进华鼎科技的ERP商机尽快成交", "这个商机卡住了，帮我推一下", "本月要拿下这个单子", "跟进报价，争取签单",
            "close the Acme deal this quarter", "the Globex opportunity is stuck, push it forward", "help me win this deal", "move the opportunity to closed won",
        ],
        "keywords": ["商机", "成交", "签单", "拿下", "赢单", "单子", "报价", "卡住", "推进", "deal", "opportunity", "close", "closed won",
                     "win this", "stuck", "stalled", "quote", "proposal", "pipeline"],
        "slots": [ACCOUNT_SLOT, {"name": "opportunity", "entity": "opportunities", "required": False}],
        "success": {"task_outcomes": ["close"]},
        "tree": [
            group("analyse", "分析商机", "Analyse the deal", "先找到卡点。", "Find the blocker first.", [
                group("facts", "商机现状", "Where the deal stands", "阶段、金额、互动。", "Stage, amount, interactions.", [
                    system("load_account", "读取客户档案", "Load the account", "确认客户。", "Confirm the account.", "accounts.get", ACC),
                    system("opportunities", "查看商机", "Review the opportunities", "确认阶段与金额。", "Confirm stage and amount.", "opportunities.search", BY_ACCOUNT),
                    system("activities", "查看互动记录", "Review interactions", "判断停滞时长。", "Shows how long it stalled.", "activities.search", BY_ACCOUNT),
                ], mode="parallel"),
            ]),
            group("push", "推进", "Push forward", "针对卡点行动。", "Act on the blocker.", [
                group("proposal", "方案与决策人", "Proposal and decision maker", "决策人认可方案才能成交。", "The decision maker must back the proposal.", [
                    system("cases", "检索相似赢单案例", "Find similar won deals", "借鉴成功经验。", "Learn from won deals.", "knowledge.search", {"query": "赢单 案例 竞品 对比 win story"}),
                    person("meet_decider", "约见决策人", "Meet the decision maker", "关键关系需要面谈。", "Key relationships need a meeting.",
                           "约见客户决策人，演示方案、回应顾虑，记录决策标准和时间表。",
                           "Meet the decision maker, present the proposal, answer concerns; record criteria and timeline.", due_in_hours=96),
                    system("book", "预约方案演示", "Book the presentation", "锁定时间。", "Secure the time.", "calendar.create_event", {"title": "方案演示 {{account.name}}", "related_entity": "accounts", "related_id": "{{account.id}}", "start_at": "{{dates.in_5_days}}"}),
                ]),
            ]),
            group("close_group", "成交", "Close", "签约为准。", "Signed is what counts.", [
                group("sign", "签约", "Sign", "报价与合同。", "Quote and contract.", [
                    person("close", "完成报价与签约", "Send the quote and sign", "谈判需要人。", "Negotiation needs a person.", "发送最终报价并推动签约，记录结果（成功/部分/失败）。",
                           "Send the final quote and get it signed; record success, partial or failure.", due_in_hours=240),
                ]),
            ]),
        ],
    },
    {
        "key": "follow_up_new_lead",
        "goal_type": "lead_followup",
        "name": _t("跟进新线索", "Follow up a new lead"),
        "description": _t("快速联系新线索，确认需求并判断是否转为商机。",
                          "Contact a new lead quickly, qualify the need and decide whether it becomes an opportunity."),
        "examples": [
            "跟进展会上拿到的新线索华鼎科技", "有个新线索，帮我安排跟进", "官网来了个询盘，尽快联系", "把这批线索清洗并跟进",
            "follow up the new lead from the trade show", "qualify the inbound lead from Acme", "a prospect filled the web form, contact them", "nurture new leads",
        ],
        "keywords": ["线索", "询盘", "潜在客户", "展会", "咨询", "表单", "lead", "leads", "prospect", "inbound", "inquiry", "enquiry", "qualify", "nurture", "web form"],
        "slots": [{"name": "account", "entity": "accounts", "required": False}, {"name": "lead", "entity": "leads", "required": False}],
        "success": {"task_outcomes": ["qualify"]},
        "tree": [
            group("research", "了解线索", "Research the lead", "联系前先了解。", "Know them before calling.", [
                group("facts", "资料", "Facts", "查重与背景。", "Duplicates and background.", [
                    system("duplicates", "查找已有记录", "Look for existing records", "避免重复跟进。", "Avoid double follow-up.", "leads.search", {"sort": "-created_at", "limit": 20}),
                    system("material", "准备产品资料", "Prepare product material", "首次沟通需要资料。", "The first call needs material.", "knowledge.search", {"query": "产品介绍 首次沟通 intro deck"}),
                ], mode="parallel"),
            ]),
            group("contact", "首次联系", "First contact", "越快联系转化率越高。", "The sooner, the better it converts.", [
                group("reach", "触达", "Reach out", "邮件加电话。", "Email plus a call.", [
                    system("draft", "起草首封邮件", "Draft the first email", "节省时间。", "Saves time.", "communication.draft_email", {"entity": "leads", "record_id": "{{tasks.duplicates.output.data.0.id}}", "purpose": "lead_intro"}),
                    person("call", "电话联系线索", "Call the lead", "电话最能了解需求。", "A call reveals the need best.", "24小时内电话联系，了解预算、需求、决策人和时间（BANT）。",
                           "Call within 24 hours; learn budget, need, authority and timing (BANT).", assignee="owner", due_in_hours=24, references=[]),
                ]),
            ]),
            group("qualify_group", "判定", "Qualify", "决定是否投入销售资源。", "Decide whether to invest sales time.", [
                group("decide", "判定", "Decide", "记录结论。", "Record the decision.", [
                    person("qualify", "判定线索并记录", "Qualify the lead", "转商机需要人判断。", "Conversion needs judgement.", "根据沟通结果判定：合格（转商机）、培育或无效，记录结果。",
                           "Decide: qualified (convert), nurture, or disqualified; record it.", assignee="owner", due_in_hours=72, references=[]),
                ]),
            ]),
        ],
    },
    {
        "key": "expand_account_upsell",
        "goal_type": "upsell",
        "name": _t("交叉销售与增购", "Cross-sell and up-sell to an account"),
        "description": _t("从使用和订单中找出增购机会，准备方案并推进。",
                          "Find expansion opportunities in usage and orders, prepare a proposal and pursue it."),
        "examples": [
            "挖掘华鼎科技的增购机会", "给老客户做交叉销售", "推动客户升级到企业版", "看看这个客户还能卖什么",
            "upsell Acme to the enterprise plan", "find cross-sell opportunities at Globex", "expand the account with more licenses", "grow revenue from an existing customer",
        ],
        "keywords": ["增购", "交叉销售", "追加", "升级", "扩容", "加购", "还能卖", "upsell", "up-sell", "cross-sell", "cross sell", "expand", "expansion", "upgrade", "more licenses", "grow revenue"],
        "slots": [ACCOUNT_SLOT],
        "success": {"task_outcomes": ["pitch"]},
        "tree": [
            group("discover", "发现机会", "Find the opportunity", "用数据找增购点。", "Let data show where to expand.", [
                group("data", "数据", "Data", "订单与商机。", "Orders and deals.", [
                    system("load_account", "读取客户档案", "Load the account", "确认客户。", "Confirm the account.", "accounts.get", ACC),
                    system("orders", "分析历史订单", "Analyse past orders", "找出未购买的产品。", "Shows what they have not bought.", "orders.search", BY_ACCOUNT),
                    system("opportunities", "查看现有商机", "Check open opportunities", "避免重复。", "Avoid duplicates.", "opportunities.search", BY_ACCOUNT),
                ], mode="parallel"),
            ]),
            group("propose", "方案", "Proposal", "为客户的下一个需求准备方案。", "Prepare for the customer's next need.", [
                group("prepare", "准备", "Prepare", "资料与商机。", "Material and deal.", [
                    system("material", "检索产品组合资料", "Find bundle material", "让方案有依据。", "Grounds the proposal.", "knowledge.search", {"query": "增购 升级 产品组合 upsell bundle"}),
                    system("opportunity", "创建增购商机", "Create an expansion opportunity", "纳入预测。", "Into the forecast.", "opportunities.create", {"name": "增购 {{account.name}}", "account_id": "{{account.id}}"}),
                ]),
            ]),
            group("pursue", "推进", "Pursue", "由负责人沟通。", "The owner pitches it.", [
                group("meet", "沟通", "Pitch", "面谈。", "Meet.", [
                    person("pitch", "向客户介绍增购方案", "Pitch the expansion", "需要人来沟通价值。", "A person sells the value.",
                           "与客户沟通增购方案并记录结果（成功/部分/失败）。", "Present the expansion proposal and record success, partial or failure.", due_in_hours=168),
                ]),
            ]),
        ],
    },
    {
        "key": "collect_overdue_payment",
        "goal_type": "collection",
        "name": _t("催收逾期款项", "Collect an overdue payment"),
        "description": _t("核对欠款、礼貌提醒、升级沟通并确认回款。",
                          "Check what is owed, remind politely, escalate the conversation and confirm payment."),
        "examples": [
            "催收华鼎科技的逾期货款", "客户欠款三个月了，安排催款", "跟进应收账款回款", "提醒客户付尾款",
            "collect the overdue invoice from Acme", "Globex hasn't paid for 90 days, chase the payment", "follow up on accounts receivable", "remind the customer to pay",
        ],
        "keywords": ["催收", "催款", "欠款", "逾期", "回款", "应收", "尾款", "付款", "overdue", "invoice", "payment", "pay", "receivable", "collect", "chase", "unpaid", "debt"],
        "slots": [ACCOUNT_SLOT],
        "success": {"task_outcomes": ["confirm_payment"]},
        "tree": [
            group("check", "核对欠款", "Check the debt", "先核对金额与合同。", "Check amount and contract first.", [
                group("facts", "数据", "Facts", "订单与历史。", "Orders and history.", [
                    system("load_account", "读取客户档案", "Load the account", "确认联系人。", "Confirm the contact.", "accounts.get", ACC),
                    system("orders", "查询未付订单", "Find unpaid orders", "明确欠款。", "Pins down the debt.", "orders.search", BY_ACCOUNT),
                ], mode="parallel"),
            ]),
            group("remind", "提醒", "Remind", "先礼后兵。", "Polite first.", [
                group("notice", "通知", "Notice", "邮件为主，短信备用。", "Email first, SMS as backup.", [
                    _email("send_notice", "发送付款提醒", "Send a payment reminder", "书面提醒留痕。", "A written reminder leaves a trail.", "付款提醒：您有一笔款项已逾期", "collection"),
                    person("call", "电话沟通付款计划", "Call about a payment plan", "了解原因并约定时间。", "Learn why and agree a date.",
                           "电话联系客户财务，了解延迟原因并约定付款时间。", "Call the customer's finance contact; learn why and agree a payment date.", due_in_hours=48),
                ]),
            ]),
            group("confirm", "确认回款", "Confirm payment", "以到账为准。", "It counts when the money arrives.", [
                group("verify", "确认", "Verify", "记录结果。", "Record it.", [
                    person("confirm_payment", "确认回款", "Confirm the payment", "财务确认到账。", "Finance confirms receipt.", "确认款项是否到账并记录（成功/部分/失败）。",
                           "Confirm whether the money arrived; record success, partial or failure.", due_in_hours=240),
                ]),
            ]),
        ],
    },
]

GOAL_TYPES: dict[str, dict[str, str]] = {}
for _m in METHODS:
    GOAL_TYPES.setdefault(_m["goal_type"], _m["name"])

BUILTIN: dict[str, dict[str, Any]] = {m["key"]: m for m in METHODS}
