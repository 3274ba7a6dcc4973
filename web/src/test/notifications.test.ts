import { EMPTY, addIncoming, allItems, internalLink, isNotification, markAllRead, markRead, unreadCount, type Notification, type Pages } from "../modules/notifications/notifications";

const n = (id: string, read = false): Notification => ({
  id, kind: "task.assigned", title: `T${id}`, body: "", link: `/r/leads/${id}`, data: {}, priority: "normal",
  read_at: read ? "2026-01-01T00:00:00Z" : null, created_at: "2026-01-01T00:00:00Z",
});
const state = (items: Notification[], unread: number, more: Notification[] = []): Pages => ({
  pages: [{ data: items, next_cursor: more.length ? "c" : null, unread_count: unread }, ...(more.length ? [{ data: more, next_cursor: null, unread_count: unread }] : [])],
  pageParams: [null, "c"].slice(0, more.length ? 2 : 1),
});

describe("notification state", () => {
  it("puts a live notification on top and counts it once, even when the stream replays it", () => {
    const s1 = addIncoming(state([n("1", true)], 0), n("2"));
    expect(allItems(s1).map((x) => x.id)).toEqual(["2", "1"]);
    expect(unreadCount(s1)).toBe(1);
    expect(addIncoming(s1, n("2"))).toBe(s1);
    expect(unreadCount(addIncoming(undefined, n("9")))).toBe(1);
    expect(unreadCount(addIncoming(EMPTY, n("8", true)))).toBe(0);
  });

  it("marks one read (on any page) and all read", () => {
    const s = state([n("1"), n("2", true)], 3, [n("3")]);
    const one = markRead(s, "3", "2026-02-02T00:00:00Z")!;
    expect(unreadCount(one)).toBe(2);
    expect(allItems(one).find((x) => x.id === "3")!.read_at).toBe("2026-02-02T00:00:00Z");
    expect(unreadCount(markRead(one, "3", "later"))).toBe(2);
    expect(unreadCount(markRead(one, "2", "later"))).toBe(2);
    const all = markAllRead(one, "2026-03-03T00:00:00Z")!;
    expect(unreadCount(all)).toBe(0);
    expect(allItems(all).every((x) => x.read_at)).toBe(true);
    expect(allItems(all).find((x) => x.id === "2")!.read_at).toBe("2026-01-01T00:00:00Z");
  });

  it("follows only links inside the app and recognises stream payloads", () => {
    expect(internalLink("/r/leads/1")).toBe("/r/leads/1");
    expect(internalLink("https://evil.example/")).toBeNull();
    expect(internalLink("//evil.example/")).toBeNull();
    expect(internalLink(null)).toBeNull();
    const id = "0b7c5d2e-1f3a-4b6c-9d8e-7f6a5b4c3d2e";
    expect(internalLink(`/activities/${id}`)).toBe(`/r/activities/${id}`);
    expect(internalLink(`/api/v1/leads/${id}`)).toBe(`/r/leads/${id}`);
    expect(internalLink(`/r/leads/${id}`)).toBe(`/r/leads/${id}`);
    expect(internalLink("/settings/tokens")).toBe("/settings/tokens");
    expect(isNotification(n("1"))).toBe(true);
    expect(isNotification({ id: "1" })).toBe(false);
    expect(isNotification("ping")).toBe(false);
  });
});
