/** Entity and field metadata from /api/v1/meta, cached for the session: every record page reads it. */
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, unwrap, type EntityMeta, type FieldMeta, type LayoutMeta } from "../../api/client";
import { isEnglish } from "../../i18n";

const META_STALE = 5 * 60_000;

export function useEntities() {
  return useQuery({
    queryKey: ["meta", "entities"],
    queryFn: () => unwrap(api.GET("/api/v1/meta/entities")),
    staleTime: META_STALE,
  });
}

export function useEntity(name: string | undefined): { entity: EntityMeta | undefined; isLoading: boolean; error: unknown } {
  const query = useEntities();
  return { entity: query.data?.find((e) => e.name === name), isLoading: query.isLoading, error: query.error };
}

export function useFields(entity: string | undefined) {
  return useQuery({
    queryKey: ["meta", "fields", entity],
    queryFn: () => unwrap(api.GET("/api/v1/meta/entities/{entity}/fields", { params: { path: { entity: entity ?? "" } } })),
    enabled: Boolean(entity),
    staleTime: META_STALE,
  });
}

export function useLayout(entity: string | undefined) {
  return useQuery({
    queryKey: ["meta", "layout", entity],
    queryFn: () =>
      unwrap(api.GET("/api/v1/meta/entities/{entity}/layouts/{name}", { params: { path: { entity: entity ?? "", name: "default" } } })),
    enabled: Boolean(entity),
    staleTime: META_STALE,
  });
}

/** The label of an entity or a field in the current language. */
export function useLabel(): (item: { label_zh: string; label_en: string } | undefined, fallback?: string) => string {
  const { i18n } = useTranslation();
  const english = isEnglish(i18n.language);
  return (item, fallback = "") => (item ? (english ? item.label_en : item.label_zh) : fallback);
}

export function sectionTitle(section: LayoutMeta["sections"][number], english: boolean): string {
  return english ? section.title_en : section.title_zh;
}

const HIDDEN_IN_FORMS = new Set(["id", "version", "created_at", "updated_at", "created_by_id", "updated_by_id"]);

/** Fields shown in a create/edit form, in layout order; fields the caller may not see are absent from
 * the metadata already, so they never show. */
export function formFields(fields: FieldMeta[], layout: LayoutMeta | undefined): FieldMeta[] {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const ordered: FieldMeta[] = [];
  const seen = new Set<string>();
  for (const section of layout?.sections ?? []) {
    for (const name of section.fields) {
      const field = byName.get(name);
      if (field && !seen.has(name)) {
        ordered.push(field);
        seen.add(name);
      }
    }
  }
  for (const field of fields) if (!seen.has(field.name)) ordered.push(field);
  return ordered.filter((f) => !HIDDEN_IN_FORMS.has(f.name) && !(f.readonly && f.is_system));
}

/** Columns of a list: the layout's list columns, then custom fields, filled up to `max` with the entity's
 * first plain fields. */
export function listColumns(fields: FieldMeta[], layout: LayoutMeta | undefined, titleField: string, max = 6): FieldMeta[] {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const names: string[] = [];
  const add = (name: string) => {
    if (byName.has(name) && !names.includes(name)) names.push(name);
  };
  add(titleField);
  for (const name of layout?.list_columns ?? []) add(name);
  // Fields an admin added are what the team wants to see: they come before the entity's other fields.
  for (const field of fields) {
    if (names.length >= max) break;
    if (field.is_custom && field.type !== "long_text" && field.type !== "multi_picklist") add(field.name);
  }
  for (const field of fields) {
    if (names.length >= max) break;
    if (field.is_system || field.type === "long_text" || field.type === "multi_picklist") continue;
    add(field.name);
  }
  return names.map((n) => byName.get(n)).filter((f): f is FieldMeta => f !== undefined);
}

/** The columns a user chose (in their order), or the default ones when they chose none. */
export function chosenColumns(fields: FieldMeta[], chosen: string[] | null, fallback: FieldMeta[]): FieldMeta[] {
  if (!chosen?.length) return fallback;
  const byName = new Map(fields.map((f) => [f.name, f]));
  const picked = chosen.map((n) => byName.get(n)).filter((f): f is FieldMeta => f !== undefined);
  return picked.length ? picked : fallback;
}
