import { Alert, Button, DatePicker, Input, Select, Space, Table, Tag, Typography } from "antd";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap, type Schemas } from "../../api/client";
import { useEntities, useLabel } from "../records/meta";
import { errorMessage } from "../records/values";
import { auditQuery, changeLines, type AuditFilters } from "./audit";

type Entry = Schemas["AuditEntryOut"];
const ACTIONS = ["create", "update", "delete", "restore", "hard_delete", "login", "failed_login", "token_created", "token_revoked", "role_change", "export", "import"] as const;

/** The tenant's audit trail with filters (action, object, record, user, time range), newest first. */
export function AuditLog() {
  const { t } = useTranslation();
  const label = useLabel();
  const entities = useEntities();
  const [filters, setFilters] = useState<AuditFilters>({});
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const users = useQuery({ queryKey: ["admin", "users"], queryFn: () => unwrap(api.GET("/api/v1/users", { params: { query: { limit: 500 } } })) });
  const names = new Map(((users.data?.data ?? []) as { id: string; name: string }[]).map((u) => [u.id, u.name]));
  const logs = useInfiniteQuery({
    queryKey: ["admin", "audit", filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => unwrap(api.GET("/api/v1/audit/logs", { params: { query: auditQuery(filters, pageParam) } })),
    getNextPageParam: (last) => last.next_cursor,
  });
  const rows = logs.data?.pages.flatMap((p) => p.items) ?? [];
  const set = (next: Partial<AuditFilters>) => setFilters((f) => ({ ...f, ...next }));

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }} data-testid="audit-log">
      <Space wrap>
        <Select allowClear placeholder={t("settings.auditAction")} aria-label={t("settings.auditAction")} style={{ minWidth: 150 }} value={filters.action}
          onChange={(action?: string) => set({ action })} options={ACTIONS.map((a) => ({ value: a, label: t(`audit.actions.${a}`) }))} />
        <Select allowClear showSearch={{ optionFilterProp: "label" }} placeholder={t("settings.auditEntity")} aria-label={t("settings.auditEntity")} style={{ minWidth: 150 }}
          value={filters.entity} onChange={(entity?: string) => set({ entity })} options={(entities.data ?? []).map((e) => ({ value: e.name, label: label(e) }))} />
        <Select allowClear showSearch={{ optionFilterProp: "label" }} placeholder={t("settings.auditActor")} aria-label={t("settings.auditActor")} style={{ minWidth: 150 }}
          value={filters.actorId} onChange={(actorId?: string) => set({ actorId })} options={[...names.entries()].map(([value, name]) => ({ value, label: name }))} />
        <Input.Search allowClear placeholder={t("audit.recordId")} aria-label={t("audit.recordId")} style={{ width: 220 }} onSearch={(v) => set({ recordId: v.trim() || undefined })} />
        <DatePicker.RangePicker value={range} aria-label={t("settings.auditTime")}
          onChange={(v) => { setRange(v as [Dayjs | null, Dayjs | null] | null); set({ from: v?.[0]?.startOf("day").toISOString(), to: v?.[1]?.endOf("day").toISOString() }); }} />
      </Space>
      {logs.isError ? <Alert type="error" title={t("common.loadFailed", { message: errorMessage(logs.error) })} /> : null}
      <Table<Entry>
        rowKey="id" size="small" loading={logs.isLoading} dataSource={rows} pagination={false} scroll={{ x: "max-content" }}
        columns={[
          { key: "at", title: t("settings.auditTime"), render: (_, e) => dayjs(e.at).format("YYYY-MM-DD HH:mm:ss"), width: 170 },
          { key: "actor", title: t("settings.auditActor"), render: (_, e) => (e.actor_id ? names.get(e.actor_id) ?? e.actor_id.slice(0, 8) : t("audit.system")) },
          { key: "action", title: t("settings.auditAction"), render: (_, e) => <Tag>{t(`audit.actions.${e.action}`, { defaultValue: e.action })}</Tag> },
          { key: "entity", title: t("settings.auditEntity"), render: (_, e) => (e.entity ? label(entities.data?.find((x) => x.name === e.entity), e.entity) : t("common.none")) },
          { key: "record", title: t("audit.recordId"), render: (_, e) => (e.record_id ? <Typography.Text code>{e.record_id.slice(0, 8)}</Typography.Text> : t("common.none")) },
          { key: "changes", title: t("audit.changes"), render: (_, e) => changeLines(e.changes).map((line) => <div key={line} style={{ fontSize: 12 }}>{line}</div>) },
          { key: "ip", title: "IP", dataIndex: "ip" },
        ]}
      />
      {logs.hasNextPage ? <Button onClick={() => void logs.fetchNextPage()} loading={logs.isFetchingNextPage}>{t("common.loadMore")}</Button> : null}
    </Space>
  );
}
