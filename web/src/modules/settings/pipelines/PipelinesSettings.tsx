import { App, Button, Card, Checkbox, Empty, Flex, Form, Input, InputNumber, Modal, Popconfirm, Segmented, Space, Switch, Table, Tag, Typography } from "antd";
import { ArrowDownOutlined, ArrowUpOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../../api/client";
import { records, type Page, type RecordRow } from "../../../api/records";
import { errorMessage, fieldErrors, isConflict } from "../../records/values";
import { LoadError } from "../common";
import { clampProbability, move, nextPosition, ordered, positionUpdates } from "./stages";

/** The board reads the same keys (PipelinePage), so a change here shows there without a reload. */
const PIPELINES_KEY = ["records", "pipelines", "all"];
const stagesKey = (pipelineId: string) => ["records", "pipeline_stages", pipelineId];

interface Stage { id: string; name: string; position: number; probability: number; is_closed: boolean; is_won: boolean; max_days: number | null; version?: number | null }
interface StageForm { name: string; probability: number | null; is_closed: boolean; is_won: boolean; max_days: number | null }
interface PipelineForm { name: string; is_default: boolean; description?: string }

const asStage = (r: RecordRow): Stage => ({
  id: r.id, name: String(r.name ?? ""), position: Number(r.position ?? 0), probability: Number(r.probability ?? 0),
  is_closed: Boolean(r.is_closed), is_won: Boolean(r.is_won), max_days: typeof r.max_days === "number" ? r.max_days : null, version: r.version,
});

function setErrors<T extends object>(form: ReturnType<typeof Form.useForm<T>>[0], e: unknown, names: string[], t: (k: string) => string, fallback: (m: string) => void) {
  if (e instanceof ApiError && e.status === 409 && e.code !== "version_conflict") { form.setFields([{ name: "name" as never, errors: [t("pipelines.duplicate")] }]); return; }
  const perField = fieldErrors(e, t as never, new Set(names));
  if (perField.length) form.setFields(perField.map((f) => ({ name: f.name as never, errors: f.errors })));
  else fallback(errorMessage(e));
}

/** Settings → Pipelines and stages: the tenant's pipelines, their stages with win probability, and their order. */
export default function PipelinesSettings() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const pipelines = useQuery({ queryKey: PIPELINES_KEY, queryFn: () => records.list("pipelines", { sort: "position", limit: 100 }) });
  const [chosen, setChosen] = useState<string | null>(null);
  const [editing, setEditing] = useState<RecordRow | "new" | null>(null);
  const [form] = Form.useForm<PipelineForm>();
  const list = pipelines.data?.data ?? [];
  const pipelineId = (chosen && list.some((p) => p.id === chosen) ? chosen : null) ?? list.find((p) => p.is_default)?.id ?? list[0]?.id ?? null;
  const current = list.find((p) => p.id === pipelineId);

  const save = useMutation({
    mutationFn: (v: PipelineForm) => {
      const body = { name: v.name.trim(), is_default: v.is_default, description: v.description?.trim() || null };
      return editing && editing !== "new" ? records.update("pipelines", editing.id, body, editing.version) : records.create("pipelines", { ...body, position: nextPosition(list.map((p) => ({ id: p.id, position: Number(p.position ?? 0) }))) });
    },
    onSuccess: (p) => { message.success(t("common.saved")); setEditing(null); setChosen(p.id); void queryClient.invalidateQueries({ queryKey: PIPELINES_KEY }); },
    onError: (e) => setErrors(form, e, ["name", "is_default", "description"], t, (m) => message.error(m)),
  });
  const remove = useMutation({
    mutationFn: (id: string) => records.remove("pipelines", id),
    onSuccess: () => { message.success(t("common.deleted")); setChosen(null); void queryClient.invalidateQueries({ queryKey: PIPELINES_KEY }); },
    onError: (e) => message.error(e instanceof ApiError && e.status === 409 ? t("pipelines.inUse") : errorMessage(e)),
  });
  const open = (p: RecordRow | null) => {
    form.setFieldsValue({ name: String(p?.name ?? ""), is_default: Boolean(p?.is_default ?? list.length === 0), description: String(p?.description ?? "") });
    setEditing(p ?? "new");
  };

  if (pipelines.isError) return <LoadError error={pipelines.error} />;
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }} data-testid="pipelines-settings">
      <Flex wrap gap={8} align="center" justify="space-between">
        {list.length ? (
          <Segmented value={pipelineId ?? undefined} onChange={(v) => setChosen(String(v))} aria-label={t("pipeline.pipeline")} style={{ maxWidth: "100%", overflowX: "auto" }}
            options={list.map((p) => ({ value: p.id, label: <span>{String(p.name)}{p.is_default ? <Tag color="blue" style={{ marginInline: "6px 0" }}>{t("pipelines.default")}</Tag> : null}</span> }))} />
        ) : <span />}
        <Button icon={<PlusOutlined />} onClick={() => open(null)}>{t("pipelines.newPipeline")}</Button>
      </Flex>
      {pipelines.isLoading ? <Card loading /> : current ? (
        <Card size="small" title={String(current.name)} extra={
          <Space size={0} wrap>
            <Button type="link" size="small" onClick={() => open(current)}>{t("common.edit")}</Button>
            <Popconfirm title={t("pipelines.confirmDelete", { name: String(current.name) })} onConfirm={() => remove.mutate(current.id)} okText={t("common.delete")} cancelText={t("common.cancel")}>
              <Button type="link" size="small" danger>{t("common.delete")}</Button>
            </Popconfirm>
          </Space>
        }>
          {current.description ? <Typography.Paragraph type="secondary">{String(current.description)}</Typography.Paragraph> : null}
          <Stages pipelineId={current.id} />
        </Card>
      ) : <Empty description={t("pipeline.noPipeline")} />}
      <Modal open={editing !== null} title={editing === "new" ? t("pipelines.newPipeline") : t("pipelines.editPipeline")} onCancel={() => setEditing(null)} onOk={() => form.submit()}
        confirmLoading={save.isPending} okText={t("common.save")} cancelText={t("common.cancel")} forceRender>
        <Form<PipelineForm> form={form} name="pipeline" layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item name="name" label={t("pipelines.name")} rules={[{ required: true, whitespace: true, message: t("fieldErrors.required") }]}><Input maxLength={200} /></Form.Item>
          <Form.Item name="description" label={t("roles.description")}><Input.TextArea rows={2} /></Form.Item>
          <Form.Item name="is_default" label={t("pipelines.default")} valuePropName="checked"><Switch /></Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

function Stages({ pipelineId }: { pipelineId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const key = stagesKey(pipelineId);
  const stages = useQuery({
    queryKey: key,
    queryFn: () => records.list("pipeline_stages", { filter: { pipeline_id: { eq: pipelineId } }, sort: "position", limit: 100 }),
  });
  const rows = ordered((stages.data?.data ?? []).map(asStage));
  const [editing, setEditing] = useState<Stage | "new" | null>(null);
  const [form] = Form.useForm<StageForm>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });

  const save = useMutation({
    mutationFn: (v: StageForm) => {
      const body = { name: v.name.trim(), probability: clampProbability(v.probability), is_closed: v.is_closed, is_won: Boolean(v.is_closed && v.is_won), max_days: v.max_days ?? null };
      return editing && editing !== "new"
        ? records.update("pipeline_stages", editing.id, body, editing.version)
        : records.create("pipeline_stages", { ...body, pipeline_id: pipelineId, position: nextPosition(rows) });
    },
    onSuccess: () => { message.success(t("common.saved")); setEditing(null); void refresh(); },
    onError: (e) => setErrors(form, e, ["name", "probability", "is_closed", "is_won", "max_days"], t, (m) => message.error(m)),
  });
  const remove = useMutation({
    mutationFn: (id: string) => records.remove("pipeline_stages", id),
    onSuccess: () => { message.success(t("common.deleted")); void refresh(); },
    onError: (e) => message.error(e instanceof ApiError && e.status === 409 ? t("pipelines.stageInUse") : errorMessage(e)),
  });
  // Reordering shows at once and rolls back when the server refuses (a stale version, a lost connection).
  const reorder = useMutation({
    mutationFn: async (wanted: Stage[]) => {
      for (const u of positionUpdates(wanted)) await records.update("pipeline_stages", u.id, { position: u.position }, u.version);
    },
    onMutate: async (wanted) => {
      await queryClient.cancelQueries({ queryKey: key });
      const before = queryClient.getQueryData<Page>(key);
      if (before) {
        const pos = new Map(wanted.map((s, i) => [s.id, i + 1]));
        queryClient.setQueryData<Page>(key, { ...before, data: before.data.map((r) => ({ ...r, position: pos.get(r.id) ?? Number(r.position ?? 0) })) });
      }
      return { before };
    },
    onError: (e, _w, ctx) => {
      if (ctx?.before) queryClient.setQueryData(key, ctx.before);
      message.error(isConflict(e) ? t("pipelines.reorderConflict") : t("common.saveFailed", { message: errorMessage(e) }));
    },
    onSettled: () => void refresh(),
  });
  const open = (s: Stage | null) => {
    form.setFieldsValue({ name: s?.name ?? "", probability: s?.probability ?? 10, is_closed: s?.is_closed ?? false, is_won: s?.is_won ?? false, max_days: s?.max_days ?? null });
    setEditing(s ?? "new");
  };
  const isClosed = Form.useWatch("is_closed", form);

  if (stages.isError) return <LoadError error={stages.error} />;
  return (
    <>
      <Table<Stage>
        rowKey="id" size="small" loading={stages.isLoading} dataSource={rows} pagination={false} scroll={{ x: "max-content" }} data-testid="stages-table"
        columns={[
          {
            key: "order", title: t("pipelines.order"), width: 90,
            render: (_, s, i) => (
              <Space size={0}>
                <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={i === 0 || reorder.isPending} aria-label={t("pipelines.moveUp", { name: s.name })} onClick={() => reorder.mutate(move(rows, i, i - 1))} />
                <Button type="text" size="small" icon={<ArrowDownOutlined />} disabled={i === rows.length - 1 || reorder.isPending} aria-label={t("pipelines.moveDown", { name: s.name })} onClick={() => reorder.mutate(move(rows, i, i + 1))} />
              </Space>
            ),
          },
          { key: "name", title: t("pipelines.stageName"), render: (_, s) => <span data-stage-row={s.name}>{s.name}</span> },
          { key: "probability", title: t("pipelines.probability"), render: (_, s) => `${s.probability}%` },
          { key: "closed", title: t("pipelines.closed"), render: (_, s) => (s.is_closed ? <Tag color={s.is_won ? "green" : "red"}>{s.is_won ? t("pipelines.won") : t("pipelines.lost")}</Tag> : t("pipelines.open")) },
          { key: "max_days", title: t("pipelines.maxDays"), render: (_, s) => s.max_days ?? t("common.none") },
          {
            key: "actions", title: t("common.actions"), width: 130,
            render: (_, s) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => open(s)}>{t("common.edit")}</Button>
                <Popconfirm title={t("pipelines.confirmDeleteStage", { name: s.name })} onConfirm={() => remove.mutate(s.id)} okText={t("common.delete")} cancelText={t("common.cancel")}>
                  <Button type="link" size="small" danger>{t("common.delete")}</Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <Button icon={<PlusOutlined />} style={{ marginTop: 12 }} onClick={() => open(null)} data-testid="add-stage">{t("pipelines.addStage")}</Button>
      <Modal open={editing !== null} title={editing === "new" ? t("pipelines.addStage") : t("pipelines.editStage")} onCancel={() => setEditing(null)} onOk={() => form.submit()}
        confirmLoading={save.isPending} okText={t("common.save")} cancelText={t("common.cancel")} forceRender>
        <Form<StageForm> form={form} name="stage" layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item name="name" label={t("pipelines.stageName")} rules={[{ required: true, whitespace: true, message: t("fieldErrors.required") }]}><Input maxLength={100} /></Form.Item>
          <Form.Item name="probability" label={t("pipelines.probability")}><InputNumber min={0} max={100} step={5} suffix="%" style={{ width: 140 }} /></Form.Item>
          <Form.Item name="max_days" label={t("pipelines.maxDays")}><InputNumber min={1} max={3650} precision={0} style={{ width: 140 }} /></Form.Item>
          <Form.Item name="is_closed" valuePropName="checked" style={{ marginBottom: 8 }}><Checkbox>{t("pipelines.isClosed")}</Checkbox></Form.Item>
          {isClosed ? <Form.Item name="is_won" valuePropName="checked"><Checkbox>{t("pipelines.isWon")}</Checkbox></Form.Item> : null}
        </Form>
      </Modal>
    </>
  );
}
