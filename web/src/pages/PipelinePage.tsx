import { App, Button, Card, Empty, Result, Select, Skeleton, Space, Typography } from "antd";
import { UnorderedListOutlined } from "@ant-design/icons";
import { DndContext, KeyboardSensor, PointerSensor, useDraggable, useDroppable, useSensor, useSensors, type DragEndEvent } from "@dnd-kit/core";
import { useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { records, type Page, type RecordRow } from "../api/records";
import { moveCard, stageTotals } from "../modules/pipeline/board";
import { formatNumber } from "../modules/records/FieldValue";
import { lookupTargets, useLookupTitles } from "../modules/records/lookups";
import { errorMessage, isConflict } from "../modules/records/values";

const CARD_LIMIT = 50;
const stageKey = (stageId: string) => ["records", "opportunities", "board", stageId];

export default function PipelinePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const pipelines = useQuery({ queryKey: ["records", "pipelines", "all"], queryFn: () => records.list("pipelines", { sort: "position", limit: 100 }) });
  const [chosen, setChosen] = useState<string | null>(null);
  const list = pipelines.data?.data ?? [];
  const pipelineId = chosen ?? list.find((p) => p.is_default)?.id ?? list[0]?.id ?? null;

  return (
    <div>
      <div className="page-header">
        <Typography.Title level={4}>{t("pipeline.title")}</Typography.Title>
        <Space wrap>
          {list.length > 1 ? (
            <Select aria-label={t("pipeline.pipeline")} value={pipelineId ?? undefined} onChange={setChosen} style={{ minWidth: 180 }}
              options={list.map((p) => ({ value: p.id, label: String(p.name ?? p.id) }))} />
          ) : null}
          <Button icon={<UnorderedListOutlined />} onClick={() => navigate("/r/opportunities")}>{t("list.list")}</Button>
        </Space>
      </div>
      <Typography.Paragraph type="secondary">{t("pipeline.dragHint")}</Typography.Paragraph>
      {pipelines.isLoading ? <Skeleton active /> : pipelines.isError ? (
        <Result status="error" title={t("common.loadFailed", { message: errorMessage(pipelines.error) })} />
      ) : pipelineId ? <Board pipelineId={pipelineId} /> : <Empty description={t("pipeline.noPipeline")} />}
    </div>
  );
}

function Board({ pipelineId }: { pipelineId: string }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 6 } }), useSensor(KeyboardSensor));
  const stages = useQuery({
    queryKey: ["records", "pipeline_stages", pipelineId],
    queryFn: () => records.list("pipeline_stages", { filter: { pipeline_id: { eq: pipelineId } }, sort: "position", limit: 100 }),
  });
  const stageRows = stages.data?.data ?? [];
  const pages = useQueries({
    queries: stageRows.map((stage) => ({
      queryKey: stageKey(stage.id),
      queryFn: () => records.list("opportunities", { filter: { stage_id: { eq: stage.id } }, sort: "-amount", limit: CARD_LIMIT, count: true, fields: ["id", "name", "amount", "currency", "account_id", "stage_id", "version", "close_date"] }),
    })),
  });
  const allCards = pages.flatMap((p) => p.data?.data ?? []);
  const titles = useLookupTitles(lookupTargets(allCards, [{ name: "account_id", type: "lookup", lookup: "accounts" }]));

  const onDragEnd = async ({ active, over }: DragEndEvent) => {
    if (!over) return;
    const card = active.data.current?.card as RecordRow | undefined;
    const toStage = String(over.id);
    const fromStage = card ? String(card.stage_id) : "";
    if (!card || fromStage === toStage) return;
    const fromPage = queryClient.getQueryData<Page>(stageKey(fromStage));
    const toPage = queryClient.getQueryData<Page>(stageKey(toStage));
    if (!fromPage || !toPage) return;
    await queryClient.cancelQueries({ queryKey: ["records", "opportunities", "board"] });
    const next = moveCard(fromPage, toPage, card, toStage);
    queryClient.setQueryData(stageKey(fromStage), next.from);
    queryClient.setQueryData(stageKey(toStage), next.to);
    const stageName = String(stageRows.find((s) => s.id === toStage)?.name ?? "");
    try {
      const saved = await records.update("opportunities", card.id, { stage_id: toStage }, card.version);
      queryClient.setQueryData<Page>(stageKey(toStage), (page) => page && { ...page, data: page.data.map((r) => (r.id === saved.id ? { ...r, ...saved } : r)) });
      message.success(t("pipeline.moved", { stage: stageName }));
      void queryClient.invalidateQueries({ queryKey: ["record", "opportunities", card.id] });
    } catch (error) {
      queryClient.setQueryData(stageKey(fromStage), fromPage);
      queryClient.setQueryData(stageKey(toStage), toPage);
      if (isConflict(error)) message.warning(t("pipeline.conflict"));
      else message.error(t("pipeline.moveFailed", { message: errorMessage(error) }));
      void queryClient.invalidateQueries({ queryKey: ["records", "opportunities", "board"] });
    }
  };

  if (stages.isLoading) return <Skeleton active />;
  if (stages.isError) return <Result status="error" title={t("common.loadFailed", { message: errorMessage(stages.error) })} />;
  return (
    <DndContext sensors={sensors} onDragEnd={(e) => void onDragEnd(e)}>
      <div className="kanban" data-testid="kanban">
        {stageRows.map((stage, index) => {
          const page = pages[index];
          const totals = stageTotals(page?.data);
          return (
            <Column key={stage.id} id={stage.id} title={String(stage.name ?? "")}
              summary={`${t("pipeline.count", { count: totals.count })} · ${formatNumber(totals.amount, i18n.language, 0)}${totals.partial ? t("pipeline.partial") : ""}`}>
              {page?.isLoading ? <Skeleton active paragraph={{ rows: 2 }} /> : null}
              {(page?.data?.data ?? []).map((card) => <DraggableCard key={card.id} card={card} account={titles.get(String(card.account_id ?? ""))} />)}
              {page?.data && page.data.data.length === 0 ? <Typography.Text type="secondary">{t("pipeline.empty")}</Typography.Text> : null}
            </Column>
          );
        })}
      </div>
    </DndContext>
  );
}

function Column({ id, title, summary, children }: { id: string; title: string; summary: string; children: React.ReactNode }) {
  const { setNodeRef, isOver } = useDroppable({ id });
  return (
    <section ref={setNodeRef} className={isOver ? "kanban-column over" : "kanban-column"} data-stage={title} aria-label={title}>
      <Typography.Title level={5}><span>{title}</span></Typography.Title>
      <Typography.Text type="secondary" style={{ display: "block", margin: "0 4px 8px", fontSize: 12 }}>{summary}</Typography.Text>
      {children}
    </section>
  );
}

function DraggableCard({ card, account }: { card: RecordRow; account: string | undefined }) {
  const { i18n } = useTranslation();
  const navigate = useNavigate();
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({ id: card.id, data: { card } });
  const style = transform ? { transform: `translate3d(${transform.x}px, ${transform.y}px, 0)`, zIndex: 10, position: "relative" as const } : undefined;
  return (
    <div ref={setNodeRef} style={style} {...listeners} {...attributes} data-card={String(card.name ?? "")}>
      <Card size="small" className={isDragging ? "kanban-card dragging" : "kanban-card"} onDoubleClick={() => navigate(`/r/opportunities/${card.id}`)}>
        <Typography.Link onClick={() => navigate(`/r/opportunities/${card.id}`)} onPointerDown={(e) => e.stopPropagation()} strong>{String(card.name ?? "")}</Typography.Link>
        {account ? <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{account}</Typography.Text></div> : null}
        <div style={{ fontSize: 13 }}>
          {typeof card.amount === "number" ? `${String(card.currency ?? "")} ${formatNumber(card.amount, i18n.language, 0)}` : null}
          {card.close_date ? <Typography.Text type="secondary" style={{ float: "right", fontSize: 12 }}>{String(card.close_date)}</Typography.Text> : null}
        </div>
      </Card>
    </div>
  );
}
