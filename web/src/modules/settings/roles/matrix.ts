/** The permission matrix and field security of a role editor, as plain immutable state. */
export const ACTIONS = ["read", "create", "update", "delete", "export", "import"] as const;
export const SCOPES = ["none", "own", "team", "department", "all"] as const;
/** "edit" is the absence of a rule: the field is visible and editable. */
export const FIELD_RULES = ["edit", "readonly", "masked", "hidden"] as const;

export type Action = (typeof ACTIONS)[number];
export type Scope = (typeof SCOPES)[number];
export type FieldRule = (typeof FIELD_RULES)[number];
export type Permissions = Record<string, Record<string, string>>;
export type FieldRules = Record<string, Record<string, string>>;

export function scopeOf(perms: Permissions, entity: string, action: string): Scope {
  const scope = perms[entity]?.[action];
  return (SCOPES as readonly string[]).includes(scope ?? "") ? (scope as Scope) : "none";
}

/** A copy of `perms` with one cell changed; "none" removes the grant (and the entity when it is empty). */
export function setScope(perms: Permissions, entity: string, action: string, scope: Scope): Permissions {
  const row = { ...(perms[entity] ?? {}) };
  if (scope === "none") delete row[action];
  else row[action] = scope;
  const next = { ...perms };
  if (Object.keys(row).length) next[entity] = row;
  else delete next[entity];
  return next;
}

/** Every action of one entity set to the same scope. */
export function setRow(perms: Permissions, entity: string, scope: Scope): Permissions {
  return ACTIONS.reduce((acc, action) => setScope(acc, entity, action, scope), perms);
}

/** One action set to the same scope on every entity listed. */
export function setColumn(perms: Permissions, entities: readonly string[], action: Action, scope: Scope): Permissions {
  return entities.reduce((acc, entity) => setScope(acc, entity, action, scope), perms);
}

/** The scope a whole row shares, or null when its actions differ. */
export function rowScope(perms: Permissions, entity: string): Scope | null {
  const scopes = new Set(ACTIONS.map((a) => scopeOf(perms, entity, a)));
  return scopes.size === 1 ? [...scopes][0] ?? null : null;
}

/** The body the API stores: only granted cells, with unknown actions or scopes dropped. */
export function cleanPermissions(perms: Permissions): Permissions {
  const out: Permissions = {};
  for (const [entity, row] of Object.entries(perms)) {
    const kept: Record<string, string> = {};
    for (const action of ACTIONS) {
      const scope = scopeOf(perms, entity, action);
      if (scope !== "none") kept[action] = scope;
    }
    if (Object.keys(kept).length && row) out[entity] = kept;
  }
  return out;
}

export function ruleOf(rules: FieldRules, entity: string, field: string): FieldRule {
  const rule = rules[entity]?.[field];
  return rule === "readonly" || rule === "masked" || rule === "hidden" ? rule : "edit";
}

/** A copy of `rules` with one field's rule changed; "edit" removes the rule. */
export function setRule(rules: FieldRules, entity: string, field: string, rule: FieldRule): FieldRules {
  const row = { ...(rules[entity] ?? {}) };
  if (rule === "edit") delete row[field];
  else row[field] = rule;
  const next = { ...rules };
  if (Object.keys(row).length) next[entity] = row;
  else delete next[entity];
  return next;
}

/** How many cells of the matrix grant something, and how many field rules are set (for the role list). */
export function summary(perms: Permissions, rules: FieldRules): { grants: number; rules: number } {
  const grants = Object.keys(perms).reduce((n, e) => n + ACTIONS.filter((a) => scopeOf(perms, e, a) !== "none").length, 0);
  const ruleCount = Object.values(rules).reduce((n, row) => n + Object.keys(row).length, 0);
  return { grants, rules: ruleCount };
}

/** The API's 422 details (`field: "permissions.contacts.read"` or `"field_rules.contacts.phone"`) by cell key. */
export function problemsByCell(details: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!Array.isArray(details)) return out;
  for (const item of details as unknown[]) {
    if (!item || typeof item !== "object") continue;
    const d = item as { field?: unknown; code?: unknown; message?: unknown };
    if (typeof d.field !== "string") continue;
    const key = d.field.replace(/^body\./, "");
    out.set(key, typeof d.code === "string" ? d.code : typeof d.message === "string" ? d.message : "invalid_value");
  }
  return out;
}
