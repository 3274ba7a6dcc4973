/** Titles of looked-up records (lookup fields hold ids), fetched in one batch per entity and cached. */
import { useQueries, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { records } from "../../api/records";
import { useEntities } from "./meta";

export interface Option {
  value: string;
  label: string;
}

export function useUsers() {
  return useQuery({
    queryKey: ["users", "directory"],
    queryFn: async () => {
      const page = await unwrap(api.GET("/api/v1/users", { params: { query: { limit: 500 } } }));
      return page.data.map((u) => ({ value: String(u.id), label: u.name }));
    },
    staleTime: 5 * 60_000,
  });
}

/** {id: title} for the ids of one looked-up entity ("users" included). */
export function useLookupTitles(targets: Record<string, string[]>): Map<string, string> {
  const entities = useEntities();
  const users = useUsers();
  const wanted = Object.entries(targets)
    .filter(([entity, ids]) => entity !== "users" && ids.length > 0)
    .map(([entity, ids]) => [entity, [...new Set(ids)].sort()] as const);
  const results = useQueries({
    queries: wanted.map(([entity, ids]) => {
      const title = entities.data?.find((e) => e.name === entity)?.title_field ?? "name";
      return {
        queryKey: ["titles", entity, ids.join(",")],
        queryFn: async () => {
          const page = await records.list(entity, { filter: { id: { in: ids } }, fields: ["id", title], limit: Math.min(ids.length, 500) });
          return page.data.map((row) => [row.id, String(row[title] ?? "")] as const);
        },
        enabled: Boolean(entities.data),
        staleTime: 60_000,
        retry: false,
      };
    }),
  });
  const map = new Map<string, string>();
  if (targets.users?.length) for (const user of users.data ?? []) map.set(user.value, user.label);
  for (const result of results) for (const [id, title] of result.data ?? []) map.set(id, title);
  return map;
}

/** Collect the ids held by lookup fields of some rows, per target entity. */
export function lookupTargets(
  rows: ReadonlyArray<Record<string, unknown>>,
  fields: ReadonlyArray<{ name: string; type: string; lookup: string | null }>,
): Record<string, string[]> {
  const targets: Record<string, string[]> = {};
  for (const field of fields) {
    if (field.type !== "lookup") continue;
    for (const row of rows) {
      const target = field.lookup ?? (typeof row.related_entity === "string" ? row.related_entity : null);
      const value = row[field.name];
      if (target && typeof value === "string" && value) (targets[target] ??= []).push(value);
    }
  }
  return targets;
}

export async function searchOptions(entity: string, titleField: string, text: string, signal?: AbortSignal): Promise<Option[]> {
  if (entity === "users") {
    const page = await unwrap(api.GET("/api/v1/users", { params: { query: { q: text || undefined, limit: 20 } }, signal }));
    return page.data.map((u) => ({ value: String(u.id), label: u.name }));
  }
  const page = await records.list(entity, { q: text || undefined, fields: ["id", titleField], limit: 20 }, signal);
  return page.data.map((row) => ({ value: row.id, label: String(row[titleField] ?? row.id) }));
}
