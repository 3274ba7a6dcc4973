import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { App as AntApp } from "antd";
import { createMemoryRouter, RouterProvider } from "react-router";
import i18n from "../i18n";
import { NotificationBell } from "../modules/notifications/NotificationBell";

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** A stand-in EventSource the test can push `notification` events through. */
class FakeSource {
  static last: FakeSource | null = null;
  static CLOSED = 2;
  readyState = 1;
  url: string;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  private listeners: ((e: MessageEvent) => void)[] = [];
  constructor(url: string) { this.url = url; FakeSource.last = this; }
  addEventListener(_type: string, fn: (e: MessageEvent) => void) { this.listeners.push(fn); }
  close() { this.readyState = 2; }
  push(data: unknown) { for (const fn of this.listeners) fn(new MessageEvent("notification", { data: JSON.stringify(data) })); }
}

const item = (id: string, read: boolean) => ({
  id, kind: "task.assigned", title: `Task ${id}`, body: "Call the customer", link: `/r/leads/${id}`, data: {}, priority: "normal",
  read_at: read ? "2026-01-01T00:00:00Z" : null, created_at: "2026-01-01T00:00:00Z",
});

function renderBell() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const router = createMemoryRouter([
    { path: "/", element: <NotificationBell /> },
    { path: "/r/leads/:id", element: <p>lead page</p> },
  ], { initialEntries: ["/"] });
  render(<QueryClientProvider client={client}><AntApp><RouterProvider router={router} /></AntApp></QueryClientProvider>);
}

describe("NotificationBell", () => {
  beforeAll(() => {
    Object.defineProperty(window, "matchMedia", {
      writable: true,
      value: (query: string) => ({ matches: false, media: query, onchange: null, addListener: () => {}, removeListener: () => {}, addEventListener: () => {}, removeEventListener: () => {}, dispatchEvent: () => false }),
    });
  });
  beforeEach(async () => {
    await i18n.changeLanguage("en");
    FakeSource.last = null;
    vi.stubGlobal("EventSource", FakeSource);
    vi.stubGlobal("ResizeObserver", class { observe() {} unobserve() {} disconnect() {} });
  });
  afterEach(() => vi.unstubAllGlobals());

  it("stays quiet when the server has no notifications API", async () => {
    const fetchMock = vi.fn(async () => json(404, { error: { code: "not_found", message: "Not Found", details: null } }));
    vi.stubGlobal("fetch", fetchMock);
    renderBell();
    await waitFor(() => expect(fetchMock).toHaveBeenCalled());
    await act(async () => { await new Promise((r) => setTimeout(r, 50)); });
    expect(screen.getByRole("button", { name: "Notifications" })).toBeInTheDocument();
    expect(document.querySelector(".ant-scroll-number")).toBeNull();
    expect(FakeSource.last).toBeNull();
    expect(fetchMock).toHaveBeenCalledTimes(1);
    await userEvent.setup().click(screen.getByRole("button", { name: "Notifications" }));
    expect(await screen.findByText("No notifications", undefined, { timeout: 15_000 })).toBeInTheDocument();
    expect(screen.queryByRole("alert")).toBeNull();
  }, 30_000);

  it("counts unread, adds live events, and marks read on open", async () => {
    const posts: string[] = [];
    vi.stubGlobal("fetch", vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      if (init?.method === "POST") { posts.push(url); return json(200, url.endsWith("read-all") ? { updated: 2 } : item("1", true)); }
      return json(200, { data: [item("1", false), item("2", true)], next_cursor: null, unread_count: 1 });
    }));
    renderBell();
    expect(await screen.findByRole("button", { name: "Notifications (1 unread)" })).toBeInTheDocument();
    await waitFor(() => expect(FakeSource.last?.url).toBe("/api/v1/notifications/stream"));
    act(() => FakeSource.last!.push(item("3", false)));
    expect(await screen.findByRole("button", { name: "Notifications (2 unread)" })).toBeInTheDocument();
    act(() => FakeSource.last!.push(item("3", false))); // a replay after a reconnect counts once
    expect(screen.getByRole("button", { name: "Notifications (2 unread)" })).toBeInTheDocument();

    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Notifications (2 unread)" }));
    await user.click(await screen.findByText("Task 1", undefined, { timeout: 15_000 }));
    expect(await screen.findByText("lead page")).toBeInTheDocument();
    expect(posts).toEqual(["/api/v1/notifications/1/read"]);
  }, 30_000);
});
