/** Strings of the admin settings panels (settings, field types, roles, org, pipelines, tokens, audit), loaded with the settings page
 * rather than with the first page. admin.en.ts must have the same keys (a unit test checks). */
const adminZh = {
  settings: {
    title: "设置", profile: "个人与安全", users: "用户", fields: "自定义字段", branding: "品牌", audit: "审计日志",
    twoFactor: "双因素认证", twoFactorOn: "已开启", twoFactorOff: "未开启", enable2fa: "开启双因素认证", disable2fa: "关闭双因素认证",
    scanHint: "在身份验证器中添加此密钥，然后输入生成的验证码：", secret: "密钥", recoveryCodes: "恢复码（只显示一次，请妥善保存）",
    changePassword: "修改密码", currentPassword: "当前密码", newPassword: "新密码", passwordChanged: "密码已修改",
    userName: "姓名", userEmail: "邮箱", userTitle: "职位", active: "启用", admin: "管理员", lastLogin: "最近登录", reset2fa: "重置双因素",
    reset2faDone: "已重置双因素认证", adminOnly: "仅管理员可用",
    entity: "对象", fieldName: "字段名", fieldNameHint: "以 cf_ 开头，小写字母、数字和下划线", fieldType: "类型", labelZh: "中文名", labelEn: "英文名",
    options: "选项", optionsHint: "每行一个选项", addField: "添加字段", fieldAdded: "字段已添加", custom: "自定义",
    tenantName: "显示名称", primaryColor: "主题色", logoUrl: "Logo 地址", brandingSaved: "品牌设置已保存",
    auditAction: "动作", auditEntity: "对象", auditTime: "时间", auditActor: "操作人",
    roles: "角色与权限", org: "团队与部门", pipelines: "销售流程", tokens: "我的 API 令牌",
  },
  fieldTypes: {
    text: "文本", long_text: "长文本", number: "数字", integer: "整数", currency: "金额", percent: "百分比", date: "日期",
    datetime: "日期时间", boolean: "是/否", picklist: "单选", multi_picklist: "多选", email: "邮箱", phone: "电话", url: "网址", lookup: "关联",
  },
  roles: {
    title: "角色", new: "新建角色", name: "角色名称", description: "说明", grants: "授权", users: "用户数", everything: "全部权限",
    summary: "{{grants}} 项操作 · {{rules}} 条字段规则", hint: "角色决定用户能对哪些对象执行哪些操作、范围多大，以及每个字段是否可见。",
    editTitle: "编辑角色：{{name}}", confirmDelete: "删除角色「{{name}}」？", inUse: "该角色仍分配给用户，先移除分配再删除。",
    exists: "已有同名角色", lastAdmin: "租户必须至少保留一位启用的管理员。", invalid: "部分权限无效，请检查标红的项",
    isAdmin: "管理员角色", isAdminHint: "管理员角色拥有全部对象的全部权限，并可进入设置。", adminGrantsAll: "管理员角色拥有全部权限，无需逐项配置。",
    matrix: "对象权限", fieldSecurity: "字段安全", matrixHint: "为每个对象的每种操作选择数据范围：本人、本团队、本部门或全部。",
    allActions: "整行设置", mixed: "不同", fieldRule: "访问方式", fieldHint: "选择对象后逐个字段设置：可编辑、只读、掩码显示或隐藏。",
    assignTo: "{{name}} 的角色",
    actions: { read: "查看", create: "新建", update: "编辑", delete: "删除", export: "导出", import: "导入" },
    scopes: { none: "无", own: "本人", team: "本团队", department: "本部门", all: "全部" },
    rules: { edit: "可编辑", readonly: "只读", masked: "掩码", hidden: "隐藏" },
  },
  org: {
    departments: "部门", teams: "团队", addDept: "新建部门", addChild: "添加下级部门", editDept: "编辑部门", deptName: "部门名称", parent: "上级部门",
    topLevel: "（顶级部门）", manager: "负责人", path: "路径", members: "成员（{{count}}）", addMember: "添加成员…", removeMember: "移除 {{name}}",
    pickDept: "在左侧选择一个部门查看成员和负责人。", noDepts: "还没有部门", confirmDeleteDept: "删除部门「{{name}}」？",
    department_in_use: "该部门还有成员，先移走成员再删除。", department_has_children: "该部门还有下级部门，先删除或移走它们。",
    deptExists: "同一上级下已有同名部门", cycle: "不能移到自己或自己的下级部门之下", teamExists: "已有同名团队",
    addTeam: "新建团队", editTeam: "编辑团队", teamName: "团队名称", lead: "组长", memberList: "成员", confirmDeleteTeam: "删除团队「{{name}}」？",
  },
  pipelines: {
    newPipeline: "新建销售流程", editPipeline: "编辑销售流程", name: "流程名称", default: "默认", confirmDelete: "删除销售流程「{{name}}」？",
    inUse: "该流程仍被商机使用，无法删除。", stageInUse: "该阶段仍被商机使用，无法删除。", duplicate: "已有同名项",
    order: "顺序", stageName: "阶段名称", probability: "赢率", closed: "状态", open: "进行中", won: "赢单", lost: "输单", maxDays: "阶段时限（天）",
    addStage: "添加阶段", editStage: "编辑阶段", isClosed: "关闭阶段（商机到此即结束）", isWon: "赢单阶段",
    confirmDeleteStage: "删除阶段「{{name}}」？", moveUp: "上移 {{name}}", moveDown: "下移 {{name}}",
    reorderConflict: "有人同时修改了阶段，已恢复原顺序并重新加载。",
  },
  tokens: {
    hint: "个人 API 令牌以你的身份调用 API（Authorization: Bearer …），权限不超过你的角色和令牌的范围。", new: "新建令牌", create: "创建",
    name: "名称", namePlaceholder: "例如：ERP 同步", prefix: "前缀", scopes: "范围", created: "创建时间", expires: "过期时间", lastUsed: "最近使用",
    never: "永不过期", expired: "已过期", revoke: "吊销", revoked: "令牌已吊销", confirmRevoke: "吊销令牌「{{name}}」？使用它的集成会立即失效。",
    none: "还没有令牌", createdTitle: "令牌「{{name}}」已创建", copyNow: "请立即复制并妥善保存：关闭后将无法再次查看。",
    expiresIn: "有效期（天）", expiresHint: "留空表示永不过期", pickScope: "至少选择一个范围", adminOnly: "只有管理员可以创建带管理范围的令牌",
    sessionOnly: "用令牌登录时不能管理令牌",
    scope: { read: "读取", write: "写入", export: "导出", import: "导入", admin: "管理" },
  },
  audit: {
    recordId: "记录 ID", changes: "变更", system: "系统",
    actions: { create: "创建", update: "修改", delete: "删除", restore: "恢复", hard_delete: "彻底删除", login: "登录", failed_login: "登录失败", token_created: "创建令牌", token_revoked: "吊销令牌", role_change: "角色变更", export: "导出", import: "导入" },
  },
} as const;

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type AdminMessages = Widen<typeof adminZh>;
export default adminZh;
