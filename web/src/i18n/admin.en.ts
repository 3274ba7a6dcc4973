import type { AdminMessages } from "./admin.zh-CN";

const adminEn: AdminMessages = {
  settings: {
    title: "Settings", profile: "Profile & security", users: "Users", fields: "Custom fields", branding: "Branding", audit: "Audit log",
    twoFactor: "Two-factor authentication", twoFactorOn: "On", twoFactorOff: "Off", enable2fa: "Turn on two-factor", disable2fa: "Turn off two-factor",
    scanHint: "Add this key to your authenticator app, then enter the code it shows:", secret: "Key", recoveryCodes: "Recovery codes (shown once: keep them safe)",
    changePassword: "Change password", currentPassword: "Current password", newPassword: "New password", passwordChanged: "Password changed",
    userName: "Name", userEmail: "Email", userTitle: "Title", active: "Active", admin: "Administrator", lastLogin: "Last sign-in", reset2fa: "Reset two-factor",
    reset2faDone: "Two-factor reset", adminOnly: "Administrators only",
    entity: "Object", fieldName: "Field name", fieldNameHint: "Starts with cf_; lower-case letters, digits and underscores", fieldType: "Type", labelZh: "Chinese label", labelEn: "English label",
    options: "Options", optionsHint: "One option per line", addField: "Add field", fieldAdded: "Field added", custom: "Custom",
    tenantName: "Display name", primaryColor: "Primary colour", logoUrl: "Logo URL", brandingSaved: "Branding saved",
    auditAction: "Action", auditEntity: "Object", auditTime: "Time", auditActor: "By",
    roles: "Roles & permissions", org: "Teams & departments", pipelines: "Pipelines", tokens: "My API tokens",
  },
  fieldTypes: {
    text: "Text", long_text: "Long text", number: "Number", integer: "Integer", currency: "Currency", percent: "Percent", date: "Date",
    datetime: "Date and time", boolean: "Yes/No", picklist: "Picklist", multi_picklist: "Multi-select", email: "Email", phone: "Phone", url: "URL", lookup: "Lookup",
  },
  roles: {
    title: "Roles", new: "New role", name: "Role name", description: "Description", grants: "Grants", users: "Users", everything: "Everything",
    summary: "{{grants}} actions · {{rules}} field rules", hint: "A role decides which actions users may take on each object, over which records, and how each field shows.",
    editTitle: "Edit role: {{name}}", confirmDelete: "Delete the role “{{name}}”?", inUse: "The role is still assigned to users; remove it from them first.",
    exists: "A role with this name exists", lastAdmin: "The tenant must keep at least one active administrator.", invalid: "Some permissions are invalid; check the marked cells",
    isAdmin: "Administrator role", isAdminHint: "An administrator role may do everything on every object and open the settings.", adminGrantsAll: "An administrator role grants everything; nothing to set here.",
    matrix: "Object permissions", fieldSecurity: "Field security", matrixHint: "For each object and action choose whose records: own, team, department or all.",
    allActions: "Whole row", mixed: "Mixed", fieldRule: "Access", fieldHint: "Choose an object, then set each field: editable, read-only, masked or hidden.",
    assignTo: "Roles of {{name}}",
    actions: { read: "Read", create: "Create", update: "Update", delete: "Delete", export: "Export", import: "Import" },
    scopes: { none: "None", own: "Own", team: "Team", department: "Department", all: "All" },
    rules: { edit: "Editable", readonly: "Read-only", masked: "Masked", hidden: "Hidden" },
  },
  org: {
    departments: "Departments", teams: "Teams", addDept: "New department", addChild: "Add a sub-department", editDept: "Edit department", deptName: "Department name", parent: "Parent department",
    topLevel: "(top level)", manager: "Manager", path: "Path", members: "Members ({{count}})", addMember: "Add a member…", removeMember: "Remove {{name}}",
    pickDept: "Choose a department on the left to see its members and manager.", noDepts: "No departments yet", confirmDeleteDept: "Delete the department “{{name}}”?",
    department_in_use: "The department still has members; move them first.", department_has_children: "The department has sub-departments; delete or move them first.",
    deptExists: "A department with this name exists under the same parent", cycle: "A department cannot move under itself or its own sub-departments", teamExists: "A team with this name exists",
    addTeam: "New team", editTeam: "Edit team", teamName: "Team name", lead: "Team lead", memberList: "Members", confirmDeleteTeam: "Delete the team “{{name}}”?",
  },
  pipelines: {
    newPipeline: "New pipeline", editPipeline: "Edit pipeline", name: "Pipeline name", default: "Default", confirmDelete: "Delete the pipeline “{{name}}”?",
    inUse: "Opportunities still use this pipeline; it cannot be deleted.", stageInUse: "Opportunities still use this stage; it cannot be deleted.", duplicate: "This name is already used",
    order: "Order", stageName: "Stage name", probability: "Probability", closed: "Status", open: "Open", won: "Won", lost: "Lost", maxDays: "Time limit (days)",
    addStage: "Add stage", editStage: "Edit stage", isClosed: "Closing stage (an opportunity ends here)", isWon: "Won stage",
    confirmDeleteStage: "Delete the stage “{{name}}”?", moveUp: "Move {{name}} up", moveDown: "Move {{name}} down",
    reorderConflict: "Someone changed the stages at the same time; the order is restored and reloaded.",
  },
  tokens: {
    hint: "A personal API token calls the API as you (Authorization: Bearer …), limited by your roles and the token's scopes.", new: "New token", create: "Create",
    name: "Name", namePlaceholder: "e.g. ERP sync", prefix: "Prefix", scopes: "Scopes", created: "Created", expires: "Expires", lastUsed: "Last used",
    never: "Never", expired: "Expired", revoke: "Revoke", revoked: "Token revoked", confirmRevoke: "Revoke the token “{{name}}”? Integrations using it stop working at once.",
    none: "No tokens yet", createdTitle: "Token “{{name}}” created", copyNow: "Copy it now and keep it safe: it cannot be shown again.",
    expiresIn: "Valid for (days)", expiresHint: "Leave empty for a token that never expires", pickScope: "Choose at least one scope", adminOnly: "Only administrators may create tokens with the admin scope",
    sessionOnly: "Tokens cannot be managed while signed in with a token",
    scope: { read: "Read", write: "Write", export: "Export", import: "Import", admin: "Admin" },
  },
  audit: {
    recordId: "Record ID", changes: "Changes", system: "System",
    actions: { create: "Create", update: "Update", delete: "Delete", restore: "Restore", hard_delete: "Purge", login: "Sign-in", failed_login: "Failed sign-in", token_created: "Token created", token_revoked: "Token revoked", role_change: "Role change", export: "Export", import: "Import" },
  },
};
export default adminEn;
