/** The generic record API every entity shares: list with filter/sort/cursor, get, create, update, delete. */
import { request, type Query } from "./client";

export type RecordValue = string | number | boolean | null | string[] | Record<string, unknown>;
export type RecordRow = { id: string; version?: number | null } & Record<string, RecordValue | undefined>;

export interface Page {
  data: RecordRow[];
  next_cursor: string | null;
  total: number | null;
}

export type FilterOp = "eq" | "ne" | "in" | "nin" | "contains" | "starts_with" | "gt" | "gte" | "lt" | "lte" | "between" | "is_null";
export type FilterSpec = Record<string, Partial<Record<FilterOp, unknown>>>;

export interface ListParams {
  filter?: FilterSpec;
  sort?: string;
  cursor?: string | null;
  limit?: number;
  q?: string;
  fields?: string[];
  count?: boolean;
}

/** The query string of a list call; empty filters are left out so the URL stays stable for caching. */
export function listQuery(params: ListParams): Query {
  const filter = params.filter && Object.keys(params.filter).length ? JSON.stringify(params.filter) : undefined;
  return {
    filter,
    sort: params.sort || undefined,
    cursor: params.cursor ?? undefined,
    limit: params.limit,
    q: params.q?.trim() || undefined,
    fields: params.fields?.length ? params.fields.join(",") : undefined,
    count: params.count ? true : undefined,
  };
}

export const records = {
  list: (entity: string, params: ListParams = {}, signal?: AbortSignal) =>
    request<Page>("GET", `/${entity}`, { query: listQuery(params), signal }),
  get: (entity: string, id: string) => request<RecordRow>("GET", `/${entity}/${id}`),
  create: (entity: string, body: Record<string, unknown>) => request<RecordRow>("POST", `/${entity}`, { body }),
  update: (entity: string, id: string, body: Record<string, unknown>, version?: number | null) =>
    request<RecordRow>("PATCH", `/${entity}/${id}`, {
      body,
      headers: version != null ? { "if-match": `"${version}"` } : undefined,
    }),
  remove: (entity: string, id: string) => request<void>("DELETE", `/${entity}/${id}`),
  related: (entity: string, id: string, related: string, params: ListParams = {}) =>
    request<Page>("GET", `/${entity}/${id}/${related}`, { query: listQuery(params) }),
};
