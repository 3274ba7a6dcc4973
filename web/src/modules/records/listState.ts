/** The state of a list page (keyword, picklist filters, "only mine", sort) and the API filter it means. */
import type { FilterSpec } from "../../api/records";

export interface ListState {
  q: string;
  mine: boolean;
  picks: Record<string, string[]>;
  sort: string | null;
  pageSize: number;
  /** Columns the user picked, in order; null for the default columns. */
  columns: string[] | null;
}

export const INITIAL_LIST_STATE: ListState = { q: "", mine: false, picks: {}, sort: null, pageSize: 20, columns: null };

/** What a saved view stores: the list state minus nothing transient (all of it is worth keeping). */
export function viewState(state: ListState): ListState {
  return { ...state, q: state.q.trim() };
}

/** A stored view's state, trusting nothing: unknown or mistyped keys fall back to the defaults. */
export function parseViewState(raw: unknown): ListState {
  const s = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  const picks: Record<string, string[]> = {};
  if (s.picks && typeof s.picks === "object") {
    for (const [k, v] of Object.entries(s.picks as Record<string, unknown>)) {
      if (Array.isArray(v)) picks[k] = v.filter((x): x is string => typeof x === "string");
    }
  }
  return {
    q: typeof s.q === "string" ? s.q : "",
    mine: s.mine === true,
    picks,
    sort: typeof s.sort === "string" && s.sort ? s.sort : null,
    pageSize: typeof s.pageSize === "number" && [20, 50, 100].includes(s.pageSize) ? s.pageSize : 20,
    columns: Array.isArray(s.columns) ? s.columns.filter((x): x is string => typeof x === "string") : null,
  };
}

export function buildListFilter(state: ListState, userId: string | null, owned: boolean): FilterSpec {
  const filter: FilterSpec = {};
  for (const [field, values] of Object.entries(state.picks)) {
    if (values.length === 1) filter[field] = { eq: values[0] };
    else if (values.length > 1) filter[field] = { in: values };
  }
  if (state.mine && owned && userId) filter.owner_id = { eq: userId };
  return filter;
}

/** antd's sorter (column key and order) as the API's `sort` parameter. */
export function sortParam(column: string | null, order: "ascend" | "descend" | null): string | null {
  if (!column || !order) return null;
  return order === "descend" ? `-${column}` : column;
}
