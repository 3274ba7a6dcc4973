import dayjs from "dayjs";
import i18n from "../i18n";
import { ApiError, readCookie } from "../api/client";
import { listQuery } from "../api/records";
import type { FieldMeta } from "../api/client";
import { buildPayload, fieldErrors, toApiValue, toFormValue } from "../modules/records/values";
import { buildListFilter, sortParam } from "../modules/records/listState";
import { formFields, listColumns } from "../modules/records/meta";

function field(name: string, type: string, extra: Partial<FieldMeta> = {}): FieldMeta {
  return { name, type, label_zh: name, label_en: name, required: false, unique: false, pattern: null, options: [], lookup: null, searchable: false, readonly: false, masked: false, max_length: null, is_custom: false, is_system: false, ...extra };
}

describe("record values", () => {
  it("converts dates both ways", () => {
    const date = field("close_date", "date");
    const value = toFormValue(date, "2027-03-04");
    expect(dayjs.isDayjs(value)).toBe(true);
    expect(toApiValue(date, value)).toBe("2027-03-04");
    expect(toApiValue(date, undefined)).toBeNull();
    expect(toApiValue(field("tags", "multi_picklist"), undefined)).toEqual([]);
  });

  it("sends only editable, changed fields on update and non-empty ones on create", () => {
    const fields = [field("name", "text"), field("phone", "phone", { masked: true }), field("rating", "picklist", { readonly: true }), field("amount", "currency")];
    const original = { id: "1", name: "Acme", phone: "138****0000", rating: "hot", amount: 10 };
    expect(buildPayload(fields, { name: "Acme ", phone: "x", rating: "cold", amount: 12 }, original)).toEqual({ amount: 12 });
    expect(buildPayload(fields, { name: "New", amount: undefined })).toEqual({ name: "New" });
  });

  it("maps typed 422 details onto known fields, in the user's language", async () => {
    await i18n.changeLanguage("en");
    const error = new ApiError(422, "validation_error", "some fields are invalid", [
      { field: "name", code: "required", message: "is required" },
      { field: "currency", code: "pattern_mismatch", message: "does not match" },
      { field: "cf_x", code: "weird_code", message: "api text" },
      { field: "unknown", code: "required", message: "ignored" },
    ]);
    const out = fieldErrors(error, i18n.t, new Set(["name", "currency", "cf_x"]));
    expect(out).toEqual([
      { name: "name", errors: ["Required"] },
      { name: "currency", errors: ["Wrong format"] },
      { name: "cf_x", errors: ["api text"] },
    ]);
    expect(fieldErrors(new Error("x"), i18n.t, new Set(["name"]))).toEqual([]);
  });

  it("parses the error body and falls back on odd bodies", () => {
    const e = ApiError.fromBody(409, { error: { code: "version_conflict", message: "stale", details: null } });
    expect([e.status, e.code, e.message]).toEqual([409, "version_conflict", "stale"]);
    expect(ApiError.fromBody(502, "<html>").code).toBe("http_error");
  });

  it("reads the CSRF cookie", () => {
    expect(readCookie("lingxi_csrf", "a=1; lingxi_csrf=abc%3D; b=2")).toBe("abc=");
    expect(readCookie("lingxi_csrf", "a=1")).toBeNull();
  });
});

describe("list state", () => {
  it("builds the API filter from picklists and 'only mine'", () => {
    const state = { q: "", mine: true, picks: { status: ["new"], rating: ["hot", "warm"], industry: [] }, sort: null, pageSize: 20, columns: null };
    expect(buildListFilter(state, "u1", true)).toEqual({ status: { eq: "new" }, rating: { in: ["hot", "warm"] }, owner_id: { eq: "u1" } });
    expect(buildListFilter(state, "u1", false)).toEqual({ status: { eq: "new" }, rating: { in: ["hot", "warm"] } });
  });

  it("turns antd sorters into the sort parameter", () => {
    expect(sortParam("amount", "descend")).toBe("-amount");
    expect(sortParam("name", "ascend")).toBe("name");
    expect(sortParam("name", null)).toBeNull();
  });

  it("leaves empty parameters out of the query", () => {
    expect(listQuery({ filter: {}, q: "  ", limit: 20 })).toEqual({ filter: undefined, sort: undefined, cursor: undefined, limit: 20, q: undefined, fields: undefined, count: undefined });
    expect(listQuery({ filter: { a: { eq: 1 } }, fields: ["id", "name"], count: true }).filter).toBe('{"a":{"eq":1}}');
  });
});

describe("metadata helpers", () => {
  const fields = [
    field("id", "text", { readonly: true, is_system: true }),
    field("owner_id", "lookup", { lookup: "users", is_system: true }),
    field("created_at", "datetime", { readonly: true, is_system: true }),
    field("name", "text"), field("notes", "long_text"), field("phone", "phone"), field("cf_tier", "picklist", { is_custom: true }),
  ];
  it("orders form fields by layout and leaves out system read-only ones", () => {
    const layout = { entity: "accounts", name: "default", sections: [{ title_zh: "", title_en: "", columns: 2, fields: ["phone", "name"] }], related: [], list_columns: [], is_default: true };
    expect(formFields(fields, layout).map((f) => f.name)).toEqual(["phone", "name", "owner_id", "notes", "cf_tier"]);
  });
  it("fills list columns after the title and the layout's columns, custom fields first", () => {
    expect(listColumns(fields, undefined, "name", 4).map((f) => f.name)).toEqual(["name", "cf_tier", "phone"]);
  });
});
