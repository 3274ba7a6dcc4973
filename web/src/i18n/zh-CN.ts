/** Simplified Chinese, the default language. en.ts must have exactly the same keys (a unit test checks). */
const zhCN = {
  app: { name: "灵犀 CRM", loading: "加载中…", retry: "重试", back: "返回", notFound: "页面不存在", notFoundHint: "链接可能已失效。", home: "返回工作台", error: "出错了", forbidden: "没有权限查看此页面" },
  nav: {
    workbench: "工作台", leads: "线索", accounts: "客户", contacts: "联系人", opportunities: "商机", pipeline: "商机看板",
    opportunityList: "商机列表", activitiesGroup: "活动与日程", activities: "活动", calendar: "日历", tickets: "工单", campaigns: "市场活动",
    salesGroup: "产品与订单", products: "产品", priceBooks: "价格表", quotes: "报价单", orders: "订单", settings: "设置", menu: "菜单",
  },
  shell: {
    search: "搜索", searchShortcut: "Ctrl K", language: "语言", logout: "退出登录", profile: "个人设置", openMenu: "打开菜单",
    loggedOut: "已退出登录", user: "当前用户",
  },
  lang: { "zh-CN": "中文", en: "English" },
  search: {
    title: "全局搜索", placeholder: "搜索客户、联系人、商机、线索、工单…", empty: "没有匹配的记录", hint: "输入关键词开始搜索",
    terms: "分词：{{terms}}", navigate: "↑↓ 选择 · Enter 打开 · Esc 关闭",
  },
  login: {
    title: "登录灵犀 CRM", subtitle: "AI 原生的客户关系管理", email: "邮箱", password: "密码", submit: "登录",
    otp: "动态验证码", otpHint: "请输入身份验证器中的 6 位验证码，或一个恢复码。", otpSubmit: "验证",
    tenant: "选择租户", tenantHint: "该邮箱属于多个租户，请选择要进入的租户。", tenantSubmit: "进入",
    back: "返回", emailRequired: "请输入邮箱", passwordRequired: "请输入密码", otpRequired: "请输入验证码",
    tenantRequired: "请选择租户",
    errors: {
      invalid_credentials: "邮箱或密码错误。", invalid_otp: "验证码错误或已过期。", account_disabled: "该账号已停用，请联系管理员。",
      account_locked: "登录失败次数过多，账号已锁定，请于 {{until}} 之后再试。", account_locked_plain: "登录失败次数过多，账号已暂时锁定。",
      rate_limited: "尝试次数过多，请 {{seconds}} 秒后再试。", generic: "登录失败：{{message}}",
      session_expired: "登录已过期，请重新登录。", session_idle_timeout: "长时间未操作，已自动退出，请重新登录。",
      session_invalid: "会话已失效，请重新登录。",
    },
  },
  common: {
    create: "新建", edit: "编辑", save: "保存", cancel: "取消", delete: "删除", confirmDelete: "确定删除这条记录？", yes: "是", no: "否",
    saved: "已保存", created: "已创建", deleted: "已删除", search: "搜索", reset: "重置", filter: "筛选", actions: "操作",
    next: "下一页", previous: "上一页", total: "共 {{count}} 条", pageSize: "每页 {{size}} 条", loadMore: "加载更多",
    empty: "暂无数据", refresh: "刷新", open: "打开", close: "关闭", more: "更多", none: "—", masked: "已隐藏", optional: "可选",
    unknownRecord: "记录 {{id}}", loadFailed: "加载失败：{{message}}", conflict: "记录已被他人修改，已重新加载最新数据。",
    saveFailed: "保存失败：{{message}}", fixFields: "请修正标记的字段。", readonly: "只读", required: "必填",
  },
  fieldErrors: {
    required: "必填项", pattern_mismatch: "格式不正确", invalid_value: "值无效", too_long: "内容过长", not_unique: "该值已存在",
    invalid_email: "邮箱格式不正确", invalid_phone: "电话格式不正确", invalid_option: "不是有效选项", not_writable: "无权修改此字段",
    unknown_field: "未知字段", invalid_reference: "关联的记录不存在", out_of_range: "超出范围",
  },
  list: {
    keyword: "关键词搜索", mine: "只看我的", newRecord: "新建{{entity}}", columns: "列", defaultColumns: "恢复默认列", kanban: "看板", list: "列表",
    noAccess: "你没有权限查看{{entity}}。", cards: "卡片",
  },
  detail: {
    details: "详细信息", related: "相关", timeline: "活动时间线", noActivities: "还没有活动记录", owner: "负责人",
    convert: "转换线索", convertedTo: "已转换", relatedEmpty: "没有相关记录", system: "系统信息",
  },
  activity: {
    log: "记录活动", subject: "主题", description: "内容", type: "类型", due: "截止时间", submit: "保存活动", logged: "活动已记录",
    types: { call: "电话", visit: "拜访", note: "备注", task: "任务", meeting: "会议", email: "邮件" },
    subjectRequired: "请填写主题", by: "{{name}} · {{time}}",
  },
  convert: {
    title: "转换线索", step1: "客户", step2: "商机", step3: "完成", newAccount: "新建客户（按线索公司名）", existingAccount: "关联已有客户",
    account: "客户", createOpportunity: "同时创建商机", opportunityName: "商机名称", amount: "金额", closeDate: "预计成交日期",
    submit: "转换", done: "线索已转换", openAccount: "打开客户", openContact: "打开联系人", openOpportunity: "打开商机",
    next: "下一步", prev: "上一步", alreadyConverted: "该线索已转换",
  },
  pipeline: {
    title: "商机看板", pipeline: "销售流程", count: "{{count}} 个", amount: "金额", partial: "（已加载部分）", moved: "已移至「{{stage}}」",
    conflict: "该商机已被他人修改，已恢复并刷新。", moveFailed: "移动失败：{{message}}", empty: "拖动商机卡片到此处",
    dragHint: "拖动卡片到其他阶段以推进商机", noPipeline: "还没有销售流程",
  },
  workbench: {
    greeting: "你好，{{name}}", today: "今日待办", events: "今日日程", myPipeline: "我的商机（按阶段）", recent: "最近更新",
    ticketsDue: "即将到期的工单", noTasks: "今天没有待办任务", noEvents: "今天没有日程", noTickets: "没有即将到期的工单",
    noOpportunities: "还没有进行中的商机", amount: "金额", count: "数量", openAmount: "在途金额",
  },
  calendar: { title: "日历", month: "月", year: "年", newEvent: "新建日程", events: "{{count}} 个日程", tasks: "{{count}} 个任务", day: "{{date}} 的安排", nothing: "这一天没有安排" },
  notifications: {
    title: "通知", bellUnread: "通知（{{count}} 条未读）", markAll: "全部已读", markRead: "标为已读", empty: "暂无通知",
    loadFailed: "通知暂时无法加载", priority: { low: "低", normal: "普通", high: "重要", urgent: "紧急" },
  },
  dataio: {
    export: "导出", exporting: "正在导出…", exportProgress: "正在导出：已处理 {{count}} 条", exported: "已导出 {{count}} 条记录",
    exportFailed: "导出失败：{{message}}", import: "导入", importTitle: "从 CSV / Excel 导入", dropFile: "点击或拖入文件",
    fileHint: "支持 .csv（UTF-8 或 GBK）和 .xlsx；第一行为列名，按字段名称或标签匹配。", onDuplicate: "遇到重复记录", dryRun: "只校验，不保存",
    duplicate: { skip: "跳过", merge: "合并更新", create: "仍然新建" }, validate: "开始校验", startImport: "开始导入", importAnother: "再导入一个文件",
    imported: "已导入 {{count}} 条记录", importFailed: "导入失败：{{message}}", dryRunDone: "校验完成，没有保存任何数据。",
    ignoredColumns: "未匹配字段而忽略的列：{{columns}}", noProblems: "每一行都没有问题", row: "行号", rowStatus: "结果", problems: "问题",
    status: { created: "新建", merged: "合并", skipped: "跳过", failed: "失败" },
  },
  bulk: {
    select: "选择", selected: "已选 {{count}} 条", edit: "批量修改", delete: "批量删除", clear: "取消选择", editTitle: "批量修改 {{count}} 条记录",
    field: "字段", value: "新值", updated: "已修改 {{count}} 条记录", deleted: "已删除 {{count}} 条记录",
    confirmDelete: "确定删除选中的 {{count}} 条记录？", deletePartly: "已删除 {{done}} 条，{{failed}} 条失败：{{message}}",
    conflict: "有记录已被他人修改，未做任何更改；已重新加载。",
  },
  views: {
    all: "全部记录", saveAs: "另存为视图…", update: "更新视图“{{name}}”", setDefault: "设为默认视图", unsetDefault: "取消默认",
    delete: "删除视图“{{name}}”", confirmDelete: "确定删除视图“{{name}}”？", name: "视图名称", openByDefault: "打开列表时默认使用",
    saved: "视图已保存", updated: "视图已更新", deleted: "视图已删除",
  },
} as const;

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type Messages = Widen<typeof zhCN>;
export default zhCN;
