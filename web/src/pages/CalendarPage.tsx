import { Badge, Button, Calendar, Card, Col, Empty, List, Row, Tag, Typography } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { records, type RecordRow } from "../api/records";

interface Item { id: string; entity: "calendar_events" | "activities"; title: string; at: Dayjs }

/** Month view of the user's events and tasks; a day's plans listed beside it. */
export default function CalendarPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [month, setMonth] = useState(() => dayjs().startOf("month"));
  const [day, setDay] = useState(() => dayjs());
  const from = month.subtract(7, "day").toISOString();
  const to = month.endOf("month").add(7, "day").toISOString();
  const events = useQuery({
    queryKey: ["records", "calendar_events", "range", from, to],
    queryFn: () => records.list("calendar_events", { filter: { start_at: { between: [from, to] } }, sort: "start_at", limit: 500, fields: ["id", "title", "start_at"] }),
  });
  const tasks = useQuery({
    queryKey: ["records", "activities", "range", from, to],
    queryFn: () => records.list("activities", { filter: { type: { eq: "task" }, due_at: { between: [from, to] } }, sort: "due_at", limit: 500, fields: ["id", "subject", "due_at"] }),
  });
  const items: Item[] = [
    ...(events.data?.data ?? []).map((e: RecordRow) => ({ id: e.id, entity: "calendar_events" as const, title: String(e.title ?? ""), at: dayjs(String(e.start_at)) })),
    ...(tasks.data?.data ?? []).map((a: RecordRow) => ({ id: a.id, entity: "activities" as const, title: String(a.subject ?? ""), at: dayjs(String(a.due_at)) })),
  ];
  const on = (date: Dayjs) => items.filter((i) => i.at.isSame(date, "day")).sort((a, b) => a.at.valueOf() - b.at.valueOf());
  const today = on(day);

  return (
    <div>
      <div className="page-header">
        <Typography.Title level={4}>{t("calendar.title")}</Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate("/r/calendar_events/new")}>{t("calendar.newEvent")}</Button>
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Card size="small">
            <Calendar
              value={day}
              onSelect={(d) => setDay(d)}
              onPanelChange={(d) => setMonth(d.startOf("month"))}
              cellRender={(date, info) => {
                if (info.type !== "date") return info.originNode;
                const list = on(date);
                return list.slice(0, 3).map((i) => <div key={i.id}><Badge status={i.entity === "activities" ? "warning" : "processing"} text={i.title} /></div>);
              }}
            />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t("calendar.day", { date: day.format("YYYY-MM-DD") })}>
            {today.length === 0 ? <Empty description={t("calendar.nothing")} image={Empty.PRESENTED_IMAGE_SIMPLE} /> : (
              <List size="small" dataSource={today} renderItem={(i) => (
                <List.Item key={i.id}>
                  <span><Tag>{i.at.format("HH:mm")}</Tag><Link to={`/r/${i.entity}/${i.id}`}>{i.title}</Link></span>
                </List.Item>
              )} />
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
