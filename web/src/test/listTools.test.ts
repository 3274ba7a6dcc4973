import { filenameFrom } from "../api/client";
import { isFinished, waitForJob } from "../api/jobs";
import type { JobOut } from "../api/client";
import { bulkEditableFields, bulkUpdateItems, chunk, runLimited } from "../modules/records/list/bulk";
import { reportRows } from "../modules/records/list/importReport";
import { INITIAL_LIST_STATE, parseViewState, viewState } from "../modules/records/listState";
import { chosenColumns } from "../modules/records/meta";
import type { FieldMeta } from "../api/client";

const field = (name: string, type = "text", extra: Partial<FieldMeta> = {}): FieldMeta => ({
  name, type, label_zh: name, label_en: name, required: false, unique: false, pattern: null, options: [], lookup: null,
  searchable: false, readonly: false, masked: false, max_length: null, is_custom: false, is_system: false, ...extra,
} as FieldMeta);

const job = (status: JobOut["status"], progress = 0): JobOut => ({ id: "j", kind: "export", status, entity: "leads", params: {}, progress, total: null, result: {}, error: null, attempts: 1, created_by_id: null, created_at: "", started_at: null, finished_at: null });

describe("jobs", () => {
  it("polls until the job finishes, backing off, and reports progress", async () => {
    const answers = [job("queued"), job("running", 10), job("succeeded", 20)];
    const slept: number[] = [];
    const seen: number[] = [];
    const out = await waitForJob(async () => answers.shift() ?? job("failed"), { intervalMs: 100, sleep: async (ms) => { slept.push(ms); }, onProgress: (j) => seen.push(j.progress) });
    expect(out.status).toBe("succeeded");
    expect(slept).toEqual([100, 150]);
    expect(seen).toEqual([0, 10, 20]);
    expect(isFinished(job("cancelled"))).toBe(true);
  });
  it("gives up after the timeout", async () => {
    await expect(waitForJob(async () => job("running"), { intervalMs: 100, timeoutMs: 250, sleep: async () => undefined })).rejects.toThrow("job_timeout");
  });
  it("reads the download name, preferring the UTF-8 form", () => {
    expect(filenameFrom(`attachment; filename="export.csv"; filename*=UTF-8''%E7%BA%BF%E7%B4%A2-1.csv`)).toBe("线索-1.csv");
    expect(filenameFrom(`attachment; filename="export.xlsx"`)).toBe("export.xlsx");
    expect(filenameFrom(null)).toBeNull();
  });
});

describe("bulk actions", () => {
  it("sends each row's version with the one changed field, in chunks the API accepts", () => {
    expect(bulkUpdateItems([{ id: "a", version: 3 }, { id: "b" }], "status", "won")).toEqual([{ id: "a", version: 3, status: "won" }, { id: "b", status: "won" }]);
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk(Array.from({ length: 450 }, (_, i) => i)).map((c) => c.length)).toEqual([200, 200, 50]);
  });
  it("offers only fields that are safe to set on many records", () => {
    const fields = [field("name"), field("status", "picklist"), field("email", "email", { unique: true }), field("phone", "phone", { masked: true }),
      field("notes", "long_text"), field("account_id", "lookup"), field("created_at", "datetime", { is_system: true, readonly: true }), field("cf_tier", "text", { is_custom: true })];
    expect(bulkEditableFields(fields).map((f) => f.name)).toEqual(["status", "cf_tier"]);
  });
  it("runs deletes a few at a time and collects the failures", async () => {
    let running = 0;
    let peak = 0;
    const failed = await runLimited([1, 2, 3, 4, 5, 6], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 1));
      running--;
      if (n % 3 === 0) throw new Error(`no ${n}`);
    });
    expect(peak).toBe(2);
    expect(failed.map((f) => f.item).sort()).toEqual([3, 6]);
  });
});

describe("import report", () => {
  it("lists failed and skipped rows with their problems", () => {
    const rows = reportRows({ rows: [
      { row: 2, status: "created", record_id: "x", errors: [] },
      { row: 3, status: "failed", record_id: null, errors: [{ field: "email", code: "invalid_email", message: "not an email" }] },
      { row: 4, status: "skipped", record_id: null, errors: [{ field: null, code: "duplicate", message: "duplicate of x" }] },
    ] });
    expect(rows).toEqual([
      { row: 3, status: "failed", problems: ["email: not an email"] },
      { row: 4, status: "skipped", problems: ["duplicate of x"] },
    ]);
  });
});

describe("saved views", () => {
  it("round-trips a list state and distrusts stored junk", () => {
    const state = { ...INITIAL_LIST_STATE, q: " 华鼎 ", sort: "-amount", picks: { stage: ["won"] }, columns: ["name", "cf_tier"], pageSize: 50 };
    expect(parseViewState(viewState(state))).toEqual({ ...state, q: "华鼎" });
    expect(parseViewState({ pageSize: 7, picks: { a: [1, "x"] }, columns: "name", mine: "yes" })).toEqual({ ...INITIAL_LIST_STATE, picks: { a: ["x"] } });
    expect(parseViewState(null)).toEqual(INITIAL_LIST_STATE);
  });
  it("shows the chosen columns in order, or the defaults", () => {
    const fields = [field("name"), field("phone"), field("cf_tier")];
    const fallback = [fields[0] as FieldMeta];
    expect(chosenColumns(fields, ["cf_tier", "gone", "name"], fallback).map((f) => f.name)).toEqual(["cf_tier", "name"]);
    expect(chosenColumns(fields, null, fallback)).toBe(fallback);
    expect(chosenColumns(fields, ["gone"], fallback)).toBe(fallback);
  });
});

describe("audit log", () => {
  it("builds the query from the filters, leaving empty ones out", async () => {
    const { auditQuery } = await import("../modules/settings/audit");
    expect(auditQuery({ action: "update", entity: "", recordId: "r1" }, "c1", 20)).toEqual({
      action: "update", entity: undefined, record_id: "r1", actor_id: undefined, from: undefined, to: undefined, cursor: "c1", limit: 20,
    });
  });
  it("shows changes as before → after lines, capped", async () => {
    const { changeLines } = await import("../modules/settings/audit");
    expect(changeLines({ amount: [100, 200], stage: [null, "won"], rows: 3 })).toEqual(["amount: 100 → 200", "stage: ∅ → won", "rows: 3"]);
    expect(changeLines({ a: 1, b: 2, c: 3 }, 2)).toEqual(["a: 1", "b: 2", "… +1"]);
  });
});
