import { cleanPermissions, problemsByCell, rowScope, ruleOf, scopeOf, setColumn, setRow, setRule, setScope, summary } from "../modules/settings/roles/matrix";

describe("role permission matrix", () => {
  it("grants and withdraws single cells without touching the original", () => {
    const start = { contacts: { read: "all" } };
    const next = setScope(start, "contacts", "update", "own");
    expect(next).toEqual({ contacts: { read: "all", update: "own" } });
    expect(start).toEqual({ contacts: { read: "all" } });
    expect(setScope(next, "contacts", "read", "none")).toEqual({ contacts: { update: "own" } });
    expect(setScope({ leads: { read: "team" } }, "leads", "read", "none")).toEqual({});
  });

  it("sets a whole row or column and reports a row's shared scope", () => {
    const row = setRow({}, "accounts", "department");
    expect(Object.values(row.accounts ?? {})).toEqual(Array(6).fill("department"));
    expect(rowScope(row, "accounts")).toBe("department");
    expect(rowScope(setScope(row, "accounts", "delete", "own"), "accounts")).toBeNull();
    expect(rowScope({}, "accounts")).toBe("none");
    expect(setColumn({}, ["leads", "contacts"], "export", "all")).toEqual({ leads: { export: "all" }, contacts: { export: "all" } });
  });

  it("sends only real grants and reads unknown scopes as none", () => {
    expect(scopeOf({ leads: { read: "galaxy" } }, "leads", "read")).toBe("none");
    expect(cleanPermissions({ leads: { read: "galaxy", update: "team", fly: "all" }, tickets: {} })).toEqual({ leads: { update: "team" } });
  });

  it("keeps field rules, where 'editable' is the absence of a rule", () => {
    const rules = setRule({}, "contacts", "phone", "masked");
    expect(rules).toEqual({ contacts: { phone: "masked" } });
    expect(ruleOf(rules, "contacts", "phone")).toBe("masked");
    expect(ruleOf(rules, "contacts", "email")).toBe("edit");
    expect(setRule(rules, "contacts", "phone", "edit")).toEqual({});
    expect(summary({ leads: { read: "all", update: "own" } }, { contacts: { phone: "masked", email: "hidden" } })).toEqual({ grants: 2, rules: 2 });
  });

  it("maps the API's invalid_permissions details to cells", () => {
    const cells = problemsByCell([{ field: "permissions.leads.fly", code: "unknown_action" }, { field: "field_rules.contacts.nope", code: "unknown_field" }, "junk"]);
    expect(cells.get("permissions.leads.fly")).toBe("unknown_action");
    expect(cells.get("field_rules.contacts.nope")).toBe("unknown_field");
    expect(cells.size).toBe(2);
  });
});
