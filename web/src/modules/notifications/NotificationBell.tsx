import { Badge, Button, Grid, Popover, Spin } from "antd";
import { BellOutlined } from "@ant-design/icons";
import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, request } from "../../api/client";
import { NOTIFICATIONS_KEY, addIncoming, isNotification, unreadCount, type NotificationPage, type Pages } from "./notifications";

const NotificationPanel = lazy(() => import("./NotificationPanel"));
const PAGE = 20;
const STREAM = "/api/v1/notifications/stream";

/** The API answers 404 on servers that have no notifications yet: the bell then stays quiet. */
function missing(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.status === 405);
}

/** The bell in the shell header: unread badge, the latest notifications in a dropdown, live over SSE. */
export function NotificationBell() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const mobile = Grid.useBreakpoint().md === false;
  const [open, setOpen] = useState(false);
  const [live, setLive] = useState(false);
  const query = useInfiniteQuery({
    queryKey: NOTIFICATIONS_KEY,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => request<NotificationPage>("GET", "/notifications", { query: { limit: PAGE, cursor: pageParam }, signal }),
    getNextPageParam: (last) => last.next_cursor,
    retry: false,
    // Without the stream (or after a failure that is not "missing"), look again every minute.
    refetchInterval: (q) => (missing(q.state.error) ? false : live ? false : 60_000),
  });
  const available = query.isSuccess;

  useEffect(() => {
    if (!available || typeof EventSource === "undefined") return;
    const source = new EventSource(STREAM, { withCredentials: true });
    source.onopen = () => setLive(true);
    source.onerror = () => { if (source.readyState === EventSource.CLOSED) setLive(false); };
    source.addEventListener("notification", (event) => {
      let payload: unknown = null;
      try { payload = JSON.parse((event as MessageEvent<string>).data); } catch { payload = null; }
      if (isNotification(payload)) queryClient.setQueryData<Pages>(NOTIFICATIONS_KEY, (old) => addIncoming(old, payload));
      else void queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });
    });
    return () => { source.close(); setLive(false); };
  }, [available, queryClient]);

  const unread = unreadCount(query.data);
  const label = unread ? t("notifications.bellUnread", { count: unread }) : t("notifications.title");
  return (
    <Popover
      open={open} onOpenChange={setOpen} trigger="click" placement="bottomRight" arrow={false}
      styles={{ container: { padding: 0, width: mobile ? "calc(100vw - 16px)" : 380 } }}
      destroyOnHidden
      content={
        // The panel's code loads the first time the bell opens.
        <Suspense fallback={<div className="page-loading"><Spin /></div>}>
          <NotificationPanel query={query} unavailable={missing(query.error)} onNavigate={() => setOpen(false)} />
        </Suspense>
      }
    >
      <Button type="text" aria-label={label} title={label} data-testid="notification-bell">
        <Badge count={unread} size="small" overflowCount={99} data-testid="notification-count"><BellOutlined style={{ fontSize: 18 }} /></Badge>
      </Button>
    </Popover>
  );
}
