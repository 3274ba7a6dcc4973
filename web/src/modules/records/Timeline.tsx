import { App, Button, DatePicker, Empty, Form, Input, Segmented, Skeleton, Tag, Timeline as AntTimeline, Typography } from "antd";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { records } from "../../api/records";
import { useFields } from "./meta";
import { useUsers } from "./lookups";
import { errorMessage, fieldErrors } from "./values";

const LOG_TYPES = ["call", "visit", "note", "task"] as const;
type LogType = (typeof LOG_TYPES)[number];
const COLORS: Record<string, string> = { call: "blue", visit: "green", note: "gray", task: "orange", meeting: "purple", email: "cyan" };

interface Props {
  entity: string;
  recordId: string;
  canLog: boolean;
}

/** The activities of a record, newest first, and a form to log a call, a visit, a note or a task. */
export function Timeline({ entity, recordId, canLog }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const activityFields = useFields("activities");
  const users = useUsers();
  const [type, setType] = useState<LogType>("visit");
  const [form] = Form.useForm<{ subject: string; description?: string; due_at?: Dayjs }>();
  const key = ["records", "activities", "timeline", entity, recordId];
  const list = useQuery({
    queryKey: key,
    queryFn: () => records.related(entity, recordId, "activities", { sort: "-created_at", limit: 50 }),
  });
  const foreignKey = activityFields.data?.find((f) => f.type === "lookup" && f.lookup === entity)?.name;

  const log = useMutation({
    mutationFn: (values: { subject: string; description?: string; due_at?: Dayjs }) =>
      records.create("activities", {
        type,
        subject: values.subject.trim(),
        description: values.description?.trim() || null,
        status: type === "task" ? "planned" : "completed",
        ...(type === "task" && values.due_at ? { due_at: values.due_at.toISOString() } : {}),
        ...(type !== "task" ? { completed_at: dayjs().toISOString() } : {}),
        related_entity: entity,
        related_id: recordId,
        ...(foreignKey ? { [foreignKey]: recordId } : {}),
      }),
    onSuccess: () => {
      form.resetFields();
      message.success(t("activity.logged"));
      void queryClient.invalidateQueries({ queryKey: ["records", "activities"] });
    },
    onError: (error) => {
      const perField = fieldErrors(error, t, new Set(["subject", "description", "due_at"] as const));
      if (perField.length) form.setFields(perField);
      else message.error(t("common.saveFailed", { message: errorMessage(error) }));
    },
  });
  const userName = (id: unknown) => users.data?.find((u) => u.value === id)?.label ?? "";

  return (
    <div>
      {canLog ? (
        <div className="timeline-form">
          <Typography.Text strong>{t("activity.log")}</Typography.Text>
          <Segmented<LogType>
            style={{ margin: "8px 0", display: "flex" }}
            block
            value={type}
            onChange={setType}
            options={LOG_TYPES.map((v) => ({ value: v, label: t(`activity.types.${v}`) }))}
            aria-label={t("activity.type")}
          />
          <Form form={form} name="log_activity" layout="vertical" onFinish={(v) => log.mutate(v)} requiredMark={false}>
            <Form.Item name="subject" label={t("activity.subject")} rules={[{ required: true, whitespace: true, message: t("activity.subjectRequired") }]}>
              <Input maxLength={300} />
            </Form.Item>
            <Form.Item name="description" label={t("activity.description")}>
              <Input.TextArea rows={2} />
            </Form.Item>
            {type === "task" ? (
              <Form.Item name="due_at" label={t("activity.due")}>
                <DatePicker showTime={{ format: "HH:mm" }} style={{ width: "100%" }} />
              </Form.Item>
            ) : null}
            <Button type="primary" htmlType="submit" loading={log.isPending}>{t("activity.submit")}</Button>
          </Form>
        </div>
      ) : null}
      {list.isLoading ? (
        <Skeleton active />
      ) : list.isError ? (
        <Typography.Text type="danger">{t("common.loadFailed", { message: errorMessage(list.error) })}</Typography.Text>
      ) : (list.data?.data.length ?? 0) === 0 ? (
        <Empty description={t("detail.noActivities")} image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <AntTimeline
          data-testid="timeline"
          items={list.data?.data.map((a) => {
            const kind = String(a.type ?? "note");
            const when = String(a.completed_at ?? a.start_at ?? a.due_at ?? a.created_at ?? "");
            return {
              key: a.id,
              color: COLORS[kind] ?? "gray",
              content: (
                <div>
                  <Tag color={COLORS[kind]}>{t(`activity.types.${kind}`, { defaultValue: kind })}</Tag>
                  <Typography.Text strong>{String(a.subject ?? "")}</Typography.Text>
                  {a.description ? <Typography.Paragraph type="secondary" style={{ margin: "4px 0 0", whiteSpace: "pre-wrap" }}>{String(a.description)}</Typography.Paragraph> : null}
                  <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{t("activity.by", { name: userName(a.owner_id), time: when ? dayjs(when).format("YYYY-MM-DD HH:mm") : "" })}</Typography.Text></div>
                </div>
              ),
            };
          })}
        />
      )}
    </div>
  );
}
