/** The rows of an import report worth showing: failed and skipped ones, with readable problems. */
import type { ImportReport } from "../../../api/client";

export interface ReportRow {
  row: number;
  status: "created" | "merged" | "skipped" | "failed";
  problems: string[];
}

export function reportRows(report: Pick<ImportReport, "rows">): ReportRow[] {
  return report.rows
    .filter((r) => r.status === "failed" || r.status === "skipped")
    .map((r) => ({
      row: r.row,
      status: r.status,
      problems: r.errors.length ? r.errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)) : [],
    }));
}
