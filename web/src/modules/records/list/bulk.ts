/** Pure helpers of the list's bulk actions. */
import type { FieldMeta } from "../../../api/client";
import type { RecordRow, RecordValue } from "../../../api/records";

export const BULK_MAX = 200; // the API's limit per PATCH /{entity}/bulk

export function chunk<T>(items: T[], size: number = BULK_MAX): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The items of PATCH /{entity}/bulk setting one field on the selected rows, each with its version so a
 * row changed meanwhile gets a 409 instead of being overwritten. */
export function bulkUpdateItems(rows: RecordRow[], field: string, value: RecordValue): Record<string, unknown>[] {
  return rows.map((row) => ({ id: row.id, ...(row.version != null ? { version: row.version } : {}), [field]: value }));
}

const NOT_BULK = new Set(["lookup", "long_text"]);

/** Fields one may set on many records at once: writable, visible in clear, not unique, not a free text blob. */
export function bulkEditableFields(fields: FieldMeta[]): FieldMeta[] {
  return fields.filter((f) => !f.readonly && !f.masked && !f.unique && !f.is_system && !NOT_BULK.has(f.type) && f.name !== "name");
}

/** Run `work` on each item with at most `limit` at a time; returns the items that failed with their errors. */
export async function runLimited<T>(items: T[], limit: number, work: (item: T) => Promise<unknown>): Promise<{ item: T; error: unknown }[]> {
  const failed: { item: T; error: unknown }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        failed.push({ item, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return failed;
}
