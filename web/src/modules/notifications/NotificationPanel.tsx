import { App, Badge, Button, Empty, Flex, List, Tag, Typography } from "antd";
import { useMutation, useQueryClient, type InfiniteData, type UseInfiniteQueryResult } from "@tanstack/react-query";
import dayjs from "dayjs";
import relativeTime from "dayjs/plugin/relativeTime";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { request } from "../../api/client";
import { errorMessage } from "../records/values";
import { NOTIFICATIONS_KEY, allItems, internalLink, markAllRead, markRead, unreadCount, type Notification, type NotificationPage, type Pages } from "./notifications";

dayjs.extend(relativeTime);

interface Props {
  query: UseInfiniteQueryResult<InfiniteData<NotificationPage, unknown>>;
  unavailable: boolean;
  onNavigate: () => void;
}

/** The bell's dropdown: newest first, unread marked; a click marks read and opens the record. */
export default function NotificationPanel({ query, unavailable, onNavigate }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const state = query.data as Pages | undefined;
  const items = allItems(state);
  const unread = unreadCount(state);

  // Both marks show at once and roll back if the server refuses.
  const optimistic = async (change: (old: Pages | undefined) => Pages | undefined) => {
    await queryClient.cancelQueries({ queryKey: NOTIFICATIONS_KEY });
    const before = queryClient.getQueryData<Pages>(NOTIFICATIONS_KEY);
    queryClient.setQueryData<Pages | undefined>(NOTIFICATIONS_KEY, change(before));
    return { before };
  };
  const rollback = (e: unknown, _v: unknown, ctx?: { before: Pages | undefined }) => {
    if (ctx?.before) queryClient.setQueryData(NOTIFICATIONS_KEY, ctx.before);
    message.error(t("common.saveFailed", { message: errorMessage(e) }));
  };
  const readOne = useMutation({
    mutationFn: (id: string) => request<Notification>("POST", `/notifications/${encodeURIComponent(id)}/read`),
    onMutate: (id) => optimistic((old) => markRead(old, id, new Date().toISOString())),
    onError: rollback,
  });
  const readAll = useMutation({
    mutationFn: () => request<{ updated: number }>("POST", "/notifications/read-all"),
    onMutate: () => optimistic((old) => markAllRead(old, new Date().toISOString())),
    onError: rollback,
  });

  const openItem = (n: Notification) => {
    if (!n.read_at) readOne.mutate(n.id);
    const link = internalLink(n.link);
    if (link) { onNavigate(); navigate(link); }
  };

  return (
    <div data-testid="notification-panel">
      <Flex justify="space-between" align="center" style={{ padding: "10px 12px", borderBottom: "1px solid #f0f0f0" }}>
        <Typography.Text strong>{t("notifications.title")}</Typography.Text>
        <Button type="link" size="small" disabled={!unread} onClick={() => readAll.mutate()}>{t("notifications.markAll")}</Button>
      </Flex>
      {unavailable || (!query.isLoading && !items.length) ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={query.isError && !unavailable ? t("notifications.loadFailed") : t("notifications.empty")} style={{ padding: "16px 0" }} />
      ) : (
        <List<Notification>
          loading={query.isLoading} dataSource={items} style={{ maxHeight: "min(60vh, 480px)", overflowY: "auto" }}
          renderItem={(n) => (
            <List.Item
              key={n.id} onClick={() => openItem(n)} className={`notification-item${n.read_at ? "" : " unread"}`} data-testid="notification-item"
              style={{ padding: "10px 12px", cursor: "pointer", alignItems: "flex-start" }}
              actions={n.read_at ? [] : [
                <Button key="read" type="link" size="small" onClick={(e) => { e.stopPropagation(); readOne.mutate(n.id); }}>{t("notifications.markRead")}</Button>,
              ]}
            >
              <List.Item.Meta
                avatar={<Badge status={n.read_at ? "default" : "processing"} />}
                title={<span>{n.priority === "high" || n.priority === "urgent" ? <Tag color="red" style={{ marginInlineEnd: 6 }}>{t(`notifications.priority.${n.priority}`)}</Tag> : null}{n.title}</span>}
                description={
                  <>
                    {n.body ? <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ marginBottom: 2 }} type="secondary">{n.body}</Typography.Paragraph> : null}
                    <Typography.Text type="secondary" style={{ fontSize: 12 }} title={dayjs(n.created_at).format("YYYY-MM-DD HH:mm")}>{dayjs(n.created_at).fromNow()}</Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
      {query.hasNextPage ? (
        <div style={{ textAlign: "center", padding: 8, borderTop: "1px solid #f0f0f0" }}>
          <Button size="small" onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>{t("common.loadMore")}</Button>
        </div>
      ) : null}
    </div>
  );
}
