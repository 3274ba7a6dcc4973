/** The notification bell's state: pages of notifications (newest first) and the unread count, updated by
 * the live stream and by marking read without waiting for a reload. Pure functions over the query data. */
export const NOTIFICATIONS_KEY = ["notifications"] as const;

export interface Notification {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  data: Record<string, unknown>;
  priority: string;
  read_at: string | null;
  created_at: string;
}

export interface NotificationPage {
  data: Notification[];
  next_cursor: string | null;
  unread_count: number;
}

export interface Pages {
  pages: NotificationPage[];
  pageParams: unknown[];
}

export const EMPTY: Pages = { pages: [{ data: [], next_cursor: null, unread_count: 0 }], pageParams: [null] };

export function unreadCount(state: Pages | undefined): number {
  return state?.pages[0]?.unread_count ?? 0;
}

export function allItems(state: Pages | undefined): Notification[] {
  const seen = new Set<string>();
  return (state?.pages ?? []).flatMap((p) => p.data).filter((n) => (seen.has(n.id) ? false : (seen.add(n.id), true)));
}

/** Whether a stream event carries a whole notification (otherwise the list is reloaded). */
export function isNotification(value: unknown): value is Notification {
  if (!value || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === "string" && typeof v.title === "string" && typeof v.created_at === "string";
}

/** A notification that arrived on the stream goes on top; one already listed (a reconnect replays) is ignored. */
export function addIncoming(state: Pages | undefined, n: Notification): Pages {
  const base = state ?? EMPTY;
  if (allItems(base).some((x) => x.id === n.id)) return base;
  const [first, ...rest] = base.pages;
  const head = first ?? EMPTY.pages[0]!;
  return { ...base, pages: [{ ...head, data: [n, ...head.data], unread_count: head.unread_count + (n.read_at ? 0 : 1) }, ...rest] };
}

/** One notification marked read (the count drops only if it was unread). */
export function markRead(state: Pages | undefined, id: string, at: string): Pages | undefined {
  if (!state) return state;
  const wasUnread = allItems(state).some((n) => n.id === id && !n.read_at);
  return {
    ...state,
    pages: state.pages.map((p, i) => ({
      ...p,
      data: p.data.map((n) => (n.id === id && !n.read_at ? { ...n, read_at: at } : n)),
      unread_count: i === 0 && wasUnread ? Math.max(0, p.unread_count - 1) : p.unread_count,
    })),
  };
}

export function markAllRead(state: Pages | undefined, at: string): Pages | undefined {
  if (!state) return state;
  return { ...state, pages: state.pages.map((p) => ({ ...p, unread_count: 0, data: p.data.map((n) => (n.read_at ? n : { ...n, read_at: at })) })) };
}

const APP_ROUTES = new Set(["", "r", "pipeline", "calendar", "settings", "login"]);
const RECORD_PATH = /^\/(?:api\/v1\/)?([a-z_]+)\/([0-9a-f-]{36})(\/.*)?$/i;

/** The app route a notification opens. Only paths inside the app are followed (an absolute URL is not a
 * record link); a record given by its API path (`/activities/<id>`, `/api/v1/leads/<id>`) opens its record page. */
export function internalLink(link: string | null | undefined): string | null {
  if (!link || !link.startsWith("/") || link.startsWith("//")) return null;
  const first = link.split(/[/?#]/)[1] ?? "";
  if (APP_ROUTES.has(first)) return link;
  const record = RECORD_PATH.exec(link);
  return record ? `/r/${record[1]}/${record[2]}` : link;
}
