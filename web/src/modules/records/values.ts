/** Converting record values between the API's JSON and antd form controls, and mapping API errors to fields. */
import dayjs, { type Dayjs } from "dayjs";
import type { TFunction } from "i18next";
import type { FieldMeta } from "../../api/client";
import { ApiError } from "../../api/client";
import type { RecordRow, RecordValue } from "../../api/records";

export type FormValue = string | number | boolean | string[] | Dayjs | null | undefined;

export function toFormValue(field: FieldMeta, value: RecordValue | undefined): FormValue {
  if (value === null || value === undefined) return undefined;
  if ((field.type === "date" || field.type === "datetime") && typeof value === "string") {
    const parsed = dayjs(value);
    return parsed.isValid() ? parsed : undefined;
  }
  if (field.type === "multi_picklist") return Array.isArray(value) ? value : [];
  if (typeof value === "object" && !Array.isArray(value)) return undefined;
  return value;
}

export function toApiValue(field: FieldMeta, value: FormValue): RecordValue {
  if (value === undefined || value === null || value === "") return field.type === "multi_picklist" ? [] : null;
  if (dayjs.isDayjs(value)) return field.type === "date" ? value.format("YYYY-MM-DD") : value.toISOString();
  if (typeof value === "string" && field.type !== "long_text") return value.trim();
  return value;
}

/** The body of a create or update: only editable fields, and on update only those that changed. */
export function buildPayload(
  fields: FieldMeta[],
  values: Record<string, FormValue>,
  original?: RecordRow,
): Record<string, RecordValue> {
  const body: Record<string, RecordValue> = {};
  for (const field of fields) {
    if (field.readonly || field.masked || !(field.name in values)) continue;
    const next = toApiValue(field, values[field.name]);
    if (original) {
      const before = original[field.name] ?? null;
      if (JSON.stringify(before) === JSON.stringify(next)) continue;
      if (field.type === "datetime" && typeof before === "string" && typeof next === "string" && dayjs(before).isSame(dayjs(next))) continue;
    } else if (next === null || (Array.isArray(next) && next.length === 0)) {
      continue;
    }
    body[field.name] = next;
  }
  return body;
}

export interface FieldError<N extends string = string> {
  name: N;
  errors: string[];
}

/** The per-field messages of a 422 (`details: [{field, code, message}]`), in the user's language where the
 * code is known and the API's own message otherwise. */
export function fieldErrors<N extends string>(error: unknown, t: TFunction, known: ReadonlySet<N>): FieldError<N>[] {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return [];
  const out = new Map<N, string[]>();
  for (const item of error.details as unknown[]) {
    if (!item || typeof item !== "object") continue;
    const detail = item as { field?: unknown; code?: unknown; message?: unknown };
    const name = typeof detail.field === "string" ? detail.field.replace(/^body\./, "") : "";
    if (!(known as ReadonlySet<string>).has(name)) continue;
    const code = typeof detail.code === "string" ? detail.code : "";
    const key = `fieldErrors.${code}`;
    const text = code && t(key) !== key ? t(key) : typeof detail.message === "string" ? detail.message : code;
    out.set(name as N, [...(out.get(name as N) ?? []), text]);
  }
  return [...out.entries()].map(([name, errors]) => ({ name, errors }));
}

/** The message to show for any failed call. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

export function isConflict(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409;
}
