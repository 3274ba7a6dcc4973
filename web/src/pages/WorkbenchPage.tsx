import { Card, Col, Empty, List, Row, Skeleton, Statistic, Tag, Typography } from "antd";
import { useQuery } from "@tanstack/react-query";
import dayjs from "dayjs";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { records, type RecordRow } from "../api/records";
import { useSession } from "../modules/auth/session";
import { formatNumber } from "../modules/records/FieldValue";
import { EChart } from "../ui/EChart";

function Section({ title, loading, empty, rows, render }: { title: string; loading: boolean; empty: string; rows: RecordRow[]; render: (row: RecordRow) => React.ReactNode }) {
  return (
    <Card title={title} size="small" style={{ height: "100%" }}>
      {loading ? <Skeleton active paragraph={{ rows: 3 }} /> : rows.length === 0 ? <Empty description={empty} image={Empty.PRESENTED_IMAGE_SIMPLE} /> : (
        <List size="small" dataSource={rows} renderItem={(row) => <List.Item key={row.id}>{render(row)}</List.Item>} />
      )}
    </Card>
  );
}

export default function WorkbenchPage() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const userId = me?.user.id ?? "";
  const start = dayjs().startOf("day").toISOString();
  const end = dayjs().endOf("day").toISOString();
  const tasks = useQuery({
    queryKey: ["records", "activities", "today", userId, start],
    queryFn: () => records.list("activities", { filter: { owner_id: { eq: userId }, type: { eq: "task" }, status: { nin: ["completed", "cancelled"] }, due_at: { lte: end } }, sort: "due_at", limit: 10 }),
  });
  const events = useQuery({
    queryKey: ["records", "calendar_events", "today", userId, start],
    queryFn: () => records.list("calendar_events", { filter: { owner_id: { eq: userId }, start_at: { between: [start, end] } }, sort: "start_at", limit: 10 }),
  });
  const tickets = useQuery({
    queryKey: ["records", "tickets", "due", userId],
    queryFn: () => records.list("tickets", { filter: { owner_id: { eq: userId }, status: { in: ["new", "open", "pending"] }, resolution_due_at: { lte: dayjs().add(2, "day").toISOString() } }, sort: "resolution_due_at", limit: 10 }),
  });
  const recent = useQuery({
    queryKey: ["records", "opportunities", "recent", userId],
    queryFn: () => records.list("opportunities", { filter: { owner_id: { eq: userId } }, sort: "-updated_at", limit: 6, fields: ["id", "name", "amount", "updated_at"] }),
  });
  const stages = useQuery({ queryKey: ["records", "pipeline_stages", "open"], queryFn: () => records.list("pipeline_stages", { filter: { is_closed: { eq: false } }, sort: "position", limit: 100 }) });
  const mine = useQuery({
    queryKey: ["records", "opportunities", "mine-open", userId, stages.data?.data.length],
    queryFn: () => records.list("opportunities", { filter: { owner_id: { eq: userId }, stage_id: { in: (stages.data?.data ?? []).map((s) => s.id) } }, fields: ["id", "stage_id", "amount"], limit: 500 }),
    enabled: Boolean(stages.data?.data.length),
  });

  const byStage = useMemo(() => {
    const rows = stages.data?.data ?? [];
    const totals = new Map(rows.map((s) => [s.id, { name: String(s.name ?? ""), amount: 0, count: 0 }]));
    for (const opp of mine.data?.data ?? []) {
      const entry = totals.get(String(opp.stage_id));
      if (entry) { entry.count += 1; entry.amount += typeof opp.amount === "number" ? opp.amount : 0; }
    }
    return [...totals.values()];
  }, [stages.data, mine.data]);
  const openAmount = byStage.reduce((s, x) => s + x.amount, 0);
  const option = useMemo(() => ({
    tooltip: { trigger: "axis" },
    grid: { left: 8, right: 8, top: 24, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: byStage.map((s) => s.name), axisLabel: { interval: 0, rotate: byStage.length > 5 ? 30 : 0 } },
    yAxis: [{ type: "value", name: t("workbench.amount") }, { type: "value", name: t("workbench.count"), splitLine: { show: false } }],
    series: [
      { name: t("workbench.amount"), type: "bar", data: byStage.map((s) => Math.round(s.amount)) },
      { name: t("workbench.count"), type: "bar", yAxisIndex: 1, data: byStage.map((s) => s.count) },
    ],
  }), [byStage, t]);

  return (
    <div>
      <div className="page-header"><Typography.Title level={4}>{t("workbench.greeting", { name: me?.user.name ?? "" })}</Typography.Title></div>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Card title={t("workbench.myPipeline")} size="small" extra={<Statistic value={formatNumber(openAmount, i18n.language, 0)} title={t("workbench.openAmount")} styles={{ content: { fontSize: 16 } }} />}>
            {mine.isLoading || stages.isLoading ? <Skeleton active /> : byStage.every((s) => s.count === 0) ? <Empty description={t("workbench.noOpportunities")} /> : <EChart option={option} label={t("workbench.myPipeline")} />}
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Section title={t("workbench.recent")} loading={recent.isLoading} empty={t("workbench.noOpportunities")} rows={recent.data?.data ?? []}
            render={(row) => <><Link to={`/r/opportunities/${row.id}`}>{String(row.name ?? "")}</Link><Typography.Text type="secondary">{typeof row.amount === "number" ? formatNumber(row.amount, i18n.language, 0) : ""}</Typography.Text></>} />
        </Col>
        <Col xs={24} md={8}>
          <Section title={t("workbench.today")} loading={tasks.isLoading} empty={t("workbench.noTasks")} rows={tasks.data?.data ?? []}
            render={(row) => <><Link to={`/r/activities/${row.id}`}>{String(row.subject ?? "")}</Link><Typography.Text type="secondary">{row.due_at ? dayjs(String(row.due_at)).format("MM-DD HH:mm") : ""}</Typography.Text></>} />
        </Col>
        <Col xs={24} md={8}>
          <Section title={t("workbench.events")} loading={events.isLoading} empty={t("workbench.noEvents")} rows={events.data?.data ?? []}
            render={(row) => <><Link to={`/r/calendar_events/${row.id}`}>{String(row.title ?? "")}</Link><Typography.Text type="secondary">{dayjs(String(row.start_at)).format("HH:mm")}</Typography.Text></>} />
        </Col>
        <Col xs={24} md={8}>
          <Section title={t("workbench.ticketsDue")} loading={tickets.isLoading} empty={t("workbench.noTickets")} rows={tickets.data?.data ?? []}
            render={(row) => <><Link to={`/r/tickets/${row.id}`}>{String(row.subject ?? "")}</Link><Tag>{String(row.priority ?? "")}</Tag></>} />
        </Col>
      </Row>
    </div>
  );
}
