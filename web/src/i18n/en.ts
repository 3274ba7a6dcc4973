import type { Messages } from "./zh-CN";

const en: Messages = {
  app: { name: "Lingxi CRM", loading: "Loading…", retry: "Retry", back: "Back", notFound: "Page not found", notFoundHint: "The link may be out of date.", home: "Back to the workbench", error: "Something went wrong", forbidden: "You may not see this page" },
  nav: {
    workbench: "Workbench", leads: "Leads", accounts: "Accounts", contacts: "Contacts", opportunities: "Opportunities", pipeline: "Pipeline board",
    opportunityList: "Opportunity list", activitiesGroup: "Activities & calendar", activities: "Activities", calendar: "Calendar", tickets: "Tickets", campaigns: "Campaigns",
    salesGroup: "Products & orders", products: "Products", priceBooks: "Price books", quotes: "Quotes", orders: "Orders", settings: "Settings", menu: "Menu",
  },
  shell: {
    search: "Search", searchShortcut: "Ctrl K", language: "Language", logout: "Sign out", profile: "My settings", openMenu: "Open the menu",
    loggedOut: "Signed out", user: "Current user",
  },
  lang: { "zh-CN": "中文", en: "English" },
  search: {
    title: "Search everything", placeholder: "Search accounts, contacts, opportunities, leads, tickets…", empty: "No matching records", hint: "Type to search",
    terms: "Terms: {{terms}}", navigate: "↑↓ to choose · Enter to open · Esc to close",
  },
  login: {
    title: "Sign in to Lingxi CRM", subtitle: "The AI-native CRM", email: "Email", password: "Password", submit: "Sign in",
    otp: "Verification code", otpHint: "Enter the 6-digit code from your authenticator app, or a recovery code.", otpSubmit: "Verify",
    tenant: "Choose a tenant", tenantHint: "This email belongs to several tenants; choose the one to enter.", tenantSubmit: "Continue",
    back: "Back", emailRequired: "Enter your email", passwordRequired: "Enter your password", otpRequired: "Enter the code",
    tenantRequired: "Choose a tenant",
    errors: {
      invalid_credentials: "The email or the password is wrong.", invalid_otp: "The code is wrong or has expired.", account_disabled: "This account is disabled; ask an administrator.",
      account_locked: "Too many failed sign-ins: the account is locked until {{until}}.", account_locked_plain: "Too many failed sign-ins: the account is locked for a while.",
      rate_limited: "Too many attempts; try again in {{seconds}} seconds.", generic: "Sign-in failed: {{message}}",
      session_expired: "Your session has expired; sign in again.", session_idle_timeout: "You were signed out after a period of inactivity; sign in again.",
      session_invalid: "Your session has ended; sign in again.",
    },
  },
  common: {
    create: "New", edit: "Edit", save: "Save", cancel: "Cancel", delete: "Delete", confirmDelete: "Delete this record?", yes: "Yes", no: "No",
    saved: "Saved", created: "Created", deleted: "Deleted", search: "Search", reset: "Reset", filter: "Filter", actions: "Actions",
    next: "Next", previous: "Previous", total: "{{count}} in all", pageSize: "{{size}} per page", loadMore: "Load more",
    empty: "No data", refresh: "Refresh", open: "Open", close: "Close", more: "More", none: "—", masked: "Hidden", optional: "Optional",
    unknownRecord: "Record {{id}}", loadFailed: "Could not load: {{message}}", conflict: "Someone else changed this record; the latest version is loaded.",
    saveFailed: "Could not save: {{message}}", fixFields: "Fix the marked fields.", readonly: "Read-only", required: "Required",
  },
  fieldErrors: {
    required: "Required", pattern_mismatch: "Wrong format", invalid_value: "Invalid value", too_long: "Too long", not_unique: "This value already exists",
    invalid_email: "Not a valid email", invalid_phone: "Not a valid phone number", invalid_option: "Not one of the options", not_writable: "You may not change this field",
    unknown_field: "Unknown field", invalid_reference: "The linked record does not exist", out_of_range: "Out of range",
  },
  list: {
    keyword: "Search by keyword", mine: "Only mine", newRecord: "New {{entity}}", columns: "Columns", defaultColumns: "Default columns", kanban: "Board", list: "List",
    noAccess: "You may not see {{entity}}.", cards: "Cards",
  },
  detail: {
    details: "Details", related: "Related", timeline: "Activity timeline", noActivities: "No activities yet", owner: "Owner",
    convert: "Convert lead", convertedTo: "Converted", relatedEmpty: "No related records", system: "System information",
  },
  activity: {
    log: "Log an activity", subject: "Subject", description: "Notes", type: "Type", due: "Due", submit: "Save activity", logged: "Activity logged",
    types: { call: "Call", visit: "Visit", note: "Note", task: "Task", meeting: "Meeting", email: "Email" },
    subjectRequired: "Enter a subject", by: "{{name}} · {{time}}",
  },
  convert: {
    title: "Convert lead", step1: "Account", step2: "Opportunity", step3: "Done", newAccount: "New account (from the lead's company)", existingAccount: "Link to an existing account",
    account: "Account", createOpportunity: "Also create an opportunity", opportunityName: "Opportunity name", amount: "Amount", closeDate: "Close date",
    submit: "Convert", done: "The lead is converted", openAccount: "Open the account", openContact: "Open the contact", openOpportunity: "Open the opportunity",
    next: "Next", prev: "Back", alreadyConverted: "This lead is already converted",
  },
  pipeline: {
    title: "Pipeline board", pipeline: "Pipeline", count: "{{count}}", amount: "Amount", partial: " (loaded part)", moved: "Moved to “{{stage}}”",
    conflict: "Someone else changed this opportunity; it is back where it was and reloaded.", moveFailed: "Could not move: {{message}}", empty: "Drop opportunities here",
    dragHint: "Drag a card to another stage to move the opportunity on", noPipeline: "No pipeline yet",
  },
  workbench: {
    greeting: "Hello, {{name}}", today: "Today's tasks", events: "Today's events", myPipeline: "My pipeline by stage", recent: "Recently updated",
    ticketsDue: "Tickets due soon", noTasks: "No tasks for today", noEvents: "No events today", noTickets: "No tickets due soon",
    noOpportunities: "No open opportunities yet", amount: "Amount", count: "Count", openAmount: "Open amount",
  },
  calendar: { title: "Calendar", month: "Month", year: "Year", newEvent: "New event", events: "{{count}} events", tasks: "{{count}} tasks", day: "Plans for {{date}}", nothing: "Nothing planned on this day" },
  notifications: {
    title: "Notifications", bellUnread: "Notifications ({{count}} unread)", markAll: "Mark all read", markRead: "Mark read", empty: "No notifications",
    loadFailed: "Notifications cannot be loaded right now", priority: { low: "Low", normal: "Normal", high: "Important", urgent: "Urgent" },
  },
  dataio: {
    export: "Export", exporting: "Exporting…", exportProgress: "Exporting: {{count}} rows so far", exported: "Exported {{count}} records",
    exportFailed: "Export failed: {{message}}", import: "Import", importTitle: "Import from CSV / Excel", dropFile: "Click or drop a file here",
    fileHint: ".csv (UTF-8 or GBK) or .xlsx; the first row holds the column names, matched to field names or labels.", onDuplicate: "On duplicates", dryRun: "Validate only, save nothing",
    duplicate: { skip: "Skip", merge: "Merge", create: "Create anyway" }, validate: "Validate", startImport: "Import", importAnother: "Import another file",
    imported: "Imported {{count}} records", importFailed: "Import failed: {{message}}", dryRunDone: "Validation finished; nothing was saved.",
    ignoredColumns: "Columns ignored (no matching field): {{columns}}", noProblems: "No row has a problem", row: "Row", rowStatus: "Result", problems: "Problems",
    status: { created: "Created", merged: "Merged", skipped: "Skipped", failed: "Failed" },
  },
  bulk: {
    select: "Select", selected: "{{count}} selected", edit: "Edit field", delete: "Delete", clear: "Clear selection", editTitle: "Change {{count}} records",
    field: "Field", value: "New value", updated: "Changed {{count}} records", deleted: "Deleted {{count}} records",
    confirmDelete: "Delete the {{count}} selected records?", deletePartly: "Deleted {{done}}; {{failed}} failed: {{message}}",
    conflict: "Someone else changed one of the records; nothing was changed and the list is reloaded.",
  },
  views: {
    all: "All records", saveAs: "Save as view…", update: "Update view “{{name}}”", setDefault: "Make default", unsetDefault: "Stop using as default",
    delete: "Delete view “{{name}}”", confirmDelete: "Delete the view “{{name}}”?", name: "View name", openByDefault: "Open the list with this view",
    saved: "View saved", updated: "View updated", deleted: "View deleted",
  },
};
export default en;
