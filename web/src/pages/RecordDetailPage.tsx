import { App, Button, Card, Col, Descriptions, Drawer, Empty, Grid, Popconfirm, Result, Row, Skeleton, Space, Table, Tabs, Tag, Typography } from "antd";
import { DeleteOutlined, EditOutlined, SwapOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";
import type { EntityMeta, FieldMeta } from "../api/client";
import { records, type RecordRow } from "../api/records";
import { isEnglish } from "../i18n";
import { NotFound } from "../app/routes";
import { ConvertLead } from "../modules/records/ConvertLead";
import { FieldValue } from "../modules/records/FieldValue";
import { lookupTargets, useLookupTitles } from "../modules/records/lookups";
import { listColumns, sectionTitle, useEntities, useEntity, useFields, useLabel, useLayout } from "../modules/records/meta";
import { RecordForm } from "../modules/records/RecordForm";
import { Timeline } from "../modules/records/Timeline";
import { errorMessage } from "../modules/records/values";
import { ApiError } from "../api/client";

const SYSTEM = ["owner_id", "created_at", "updated_at", "created_by_id", "updated_by_id"];

export default function RecordDetailPage() {
  const { entity: name = "", id = "" } = useParams();
  const { entity, isLoading } = useEntity(name);
  if (isLoading) return <Skeleton active />;
  if (!entity) return <NotFound />;
  return <RecordDetail key={`${name}/${id}`} entity={entity} id={id} />;
}

function RecordDetail({ entity, id }: { entity: EntityMeta; id: string }) {
  const { t, i18n } = useTranslation();
  const label = useLabel();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const screens = Grid.useBreakpoint();
  const mobile = screens.md === false;
  const fields = useFields(entity.name);
  const layout = useLayout(entity.name);
  const entities = useEntities();
  const [editing, setEditing] = useState(false);
  const [converting, setConverting] = useState(false);
  const record = useQuery({ queryKey: ["record", entity.name, id], queryFn: () => records.get(entity.name, id) });
  const row = record.data;
  const byName = useMemo(() => new Map((fields.data ?? []).map((f) => [f.name, f])), [fields.data]);
  const titles = useLookupTitles(row ? lookupTargets([row], fields.data ?? []) : {});
  const remove = useMutation({
    mutationFn: () => records.remove(entity.name, id),
    onSuccess: () => {
      message.success(t("common.deleted"));
      void queryClient.invalidateQueries({ queryKey: ["records", entity.name] });
      navigate(`/r/${entity.name}`, { replace: true });
    },
    onError: (error) => message.error(t("common.saveFailed", { message: errorMessage(error) })),
  });

  if (record.isLoading || fields.isLoading) return <Skeleton active />;
  if (record.isError) {
    const notFound = record.error instanceof ApiError && record.error.status === 404;
    return notFound ? <NotFound /> : <Result status="error" title={t("common.loadFailed", { message: errorMessage(record.error) })} />;
  }
  if (!row) return <NotFound />;

  const can = (action: string) => Boolean(entity.permissions[action] && entity.permissions[action] !== "none");
  const title = String(row[entity.title_field] ?? t("common.unknownRecord", { id: id.slice(0, 8) }));
  const english = isEnglish(i18n.language);
  const sections = (layout.data?.sections.length ? layout.data.sections : [{ title_zh: "", title_en: "", columns: 2, fields: (fields.data ?? []).filter((f) => !f.is_system).map((f) => f.name) }]);
  const describe = (names: string[]) =>
    names.map((n) => byName.get(n)).filter((f): f is FieldMeta => f !== undefined).map((field) => ({
      key: field.name,
      label: label(field),
      children: <span data-field={field.name}><FieldValue field={field} value={row[field.name]} row={row} titles={titles} /></span>,
    }));
  // Related lists and the timeline only for objects the user may read (no 403 for what a role leaves out).
  const allowedOn = (name: string, action: string) => {
    const scope = entities.data?.find((e) => e.name === name)?.permissions[action];
    return Boolean(scope && scope !== "none");
  };
  const related = (layout.data?.related.length ? layout.data.related : entity.related).filter((r) => r !== "activities" && allowedOn(r, "read"));
  const hasTimeline = entity.name !== "activities" && allowedOn("activities", "read");
  const converted = entity.name === "leads" && (row.status === "converted" || Boolean(row.converted_at));

  const details = (
    <Card>
      {sections.map((section, index) => {
        const items = describe(section.fields);
        if (!items.length) return null;
        return <Descriptions key={index} title={sectionTitle(section, english) || undefined} column={mobile ? 1 : Math.min(section.columns, 3)} items={items} size="small" style={{ marginBottom: 16 }} />;
      })}
      <Descriptions title={t("detail.system")} column={mobile ? 1 : 3} size="small" items={describe(SYSTEM)} />
    </Card>
  );

  const tabs = [
    ...(hasTimeline ? [{ key: "timeline", label: t("detail.timeline"), children: <Card><Timeline entity={entity.name} recordId={id} canLog={allowedOn("activities", "create")} /></Card> }] : []),
    ...related.map((child) => ({ key: child, label: <RelatedLabel name={child} />, children: <RelatedList parent={entity.name} id={id} child={child} /> })),
  ];

  return (
    <div>
      <div className="page-header">
        <Space wrap>
          <Typography.Title level={4} data-testid="record-title">{title}</Typography.Title>
          <Tag>{label(entity)}</Tag>
          {converted ? <Tag color="green">{t("detail.convertedTo")}</Tag> : null}
        </Space>
        <Space wrap>
          {entity.name === "leads" && !converted && can("update") ? (
            <Button type="primary" icon={<SwapOutlined />} onClick={() => setConverting(true)}>{t("detail.convert")}</Button>
          ) : null}
          {can("update") ? <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>{t("common.edit")}</Button> : null}
          {can("delete") ? (
            <Popconfirm title={t("common.confirmDelete")} onConfirm={() => remove.mutate()} okText={t("common.delete")} cancelText={t("common.cancel")}>
              <Button danger icon={<DeleteOutlined />} aria-label={t("common.delete")}>{mobile ? null : t("common.delete")}</Button>
            </Popconfirm>
          ) : null}
        </Space>
      </div>
      <Row gutter={[mobile ? 0 : 16, 16]}>
        <Col xs={24} xl={tabs.length ? 14 : 24}>{details}</Col>
        {tabs.length ? <Col xs={24} xl={10}><Tabs items={tabs} /></Col> : null}
      </Row>
      <Drawer open={editing} onClose={() => setEditing(false)} title={`${t("common.edit")} · ${title}`} size={mobile ? "100%" : 720} destroyOnHidden>
        <RecordForm
          entity={entity.name}
          fields={fields.data ?? []}
          layout={layout.data}
          record={row}
          columns={mobile ? 1 : 2}
          onSaved={(saved) => {
            queryClient.setQueryData(["record", entity.name, id], saved);
            setEditing(false);
          }}
          onCancel={() => setEditing(false)}
        />
      </Drawer>
      {entity.name === "leads" ? <ConvertLead lead={row} open={converting} onClose={() => setConverting(false)} /> : null}
    </div>
  );
}

function RelatedLabel({ name }: { name: string }) {
  const label = useLabel();
  const entities = useEntities();
  return <>{label(entities.data?.find((e) => e.name === name), name)}</>;
}

function RelatedList({ parent, id, child }: { parent: string; id: string; child: string }) {
  const { t } = useTranslation();
  const label = useLabel();
  const navigate = useNavigate();
  const { entity } = useEntity(child);
  const fields = useFields(child);
  const list = useQuery({
    queryKey: ["records", child, "related", parent, id],
    queryFn: () => records.related(parent, id, child, { limit: 20 }),
  });
  const columnsMeta = listColumns(fields.data ?? [], undefined, entity?.title_field ?? "name", 3);
  const titles = useLookupTitles(lookupTargets(list.data?.data ?? [], columnsMeta));
  if (list.isError) return <Typography.Text type="danger">{t("common.loadFailed", { message: errorMessage(list.error) })}</Typography.Text>;
  return (
    <Card size="small">
      <Table<RecordRow>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.data ?? []}
        pagination={false}
        scroll={{ x: "max-content" }}
        locale={{ emptyText: <Empty description={t("detail.relatedEmpty")} image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
        columns={columnsMeta.map((field) => ({ key: field.name, title: label(field), render: (_: unknown, row: RecordRow) => <FieldValue field={field} value={row[field.name]} row={row} titles={titles} /> }))}
        onRow={(row) => ({ onClick: () => navigate(`/r/${child}/${row.id}`), style: { cursor: "pointer" } })}
      />
    </Card>
  );
}
