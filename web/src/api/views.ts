/** The signed-in user's saved list views (/api/v1/views). */
import { request } from "./client";

export interface SavedView {
  id: string;
  entity: string;
  name: string;
  state: Record<string, unknown>;
  is_default: boolean;
}

export const views = {
  list: (entity: string) => request<SavedView[]>("GET", "/views", { query: { entity } }),
  create: (body: { entity: string; name: string; state: unknown; is_default?: boolean }) => request<SavedView>("POST", "/views", { body }),
  update: (id: string, body: { name?: string; state?: unknown; is_default?: boolean }) => request<SavedView>("PATCH", `/views/${id}`, { body }),
  remove: (id: string) => request<void>("DELETE", `/views/${id}`),
};
