import { Button, Card, Checkbox, Empty, Grid, Input, Result, Select, Skeleton, Space, Switch, Table, Typography, type TableProps } from "antd";
import { AppstoreOutlined, PlusOutlined, ReloadOutlined, UploadOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";
import type { FieldMeta } from "../api/client";
import { records, type FilterSpec, type RecordRow } from "../api/records";
import { useSession } from "../modules/auth/session";
import { FieldValue } from "../modules/records/FieldValue";
import { lookupTargets, useLookupTitles } from "../modules/records/lookups";
import { chosenColumns, listColumns, useEntity, useFields, useLabel, useLayout } from "../modules/records/meta";
import { errorMessage } from "../modules/records/values";
import { buildListFilter, INITIAL_LIST_STATE, sortParam, type ListState } from "../modules/records/listState";
import { BulkBar } from "../modules/records/list/BulkBar";
import { ColumnPicker } from "../modules/records/list/ColumnPicker";
import { ExportButton } from "../modules/records/list/ExportButton";
import { ImportDialog } from "../modules/records/list/ImportDialog";
import { SavedViews } from "../modules/records/list/SavedViews";
import { NotFound } from "../app/routes";

const PAGE_SIZES = [20, 50, 100];

export default function RecordListPage() {
  const { entity: name = "" } = useParams();
  const { entity, isLoading } = useEntity(name);
  if (isLoading) return <Skeleton active />;
  if (!entity) return <NotFound />;
  return <RecordList key={name} entityName={name} />;
}

function RecordList({ entityName }: { entityName: string }) {
  const { t } = useTranslation();
  const label = useLabel();
  const navigate = useNavigate();
  const { me } = useSession();
  const screens = Grid.useBreakpoint();
  const mobile = screens.md === false;
  const { entity } = useEntity(entityName);
  const fields = useFields(entityName);
  const layout = useLayout(entityName);
  const [state, setState] = useState<ListState>(INITIAL_LIST_STATE);
  const [keyword, setKeyword] = useState("");
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [selected, setSelected] = useState<RecordRow[]>([]);
  const [importing, setImporting] = useState(false);
  const cursor = cursors[cursors.length - 1] ?? null;
  const titleField = entity?.title_field ?? "name";
  const defaultColumns = useMemo(() => listColumns(fields.data ?? [], layout.data, titleField, mobile ? 4 : 6), [fields.data, layout.data, titleField, mobile]);
  const columnsMeta = useMemo(() => chosenColumns(fields.data ?? [], mobile ? null : state.columns, defaultColumns), [fields.data, state.columns, defaultColumns, mobile]);
  const filter: FilterSpec = buildListFilter(state, me?.user.id ?? null, Boolean(entity?.owned));
  const sort = state.sort ?? entity?.default_sort.join(",") ?? "-created_at";
  const readable = Boolean(entity && entity.permissions.read && entity.permissions.read !== "none");

  const page = useQuery({
    queryKey: ["records", entityName, "list", filter, sort, state.q, cursor, state.pageSize],
    queryFn: ({ signal }) =>
      records.list(entityName, { filter, sort, q: state.q, cursor, limit: state.pageSize, count: cursor === null }, signal),
    enabled: readable && fields.isSuccess,
    placeholderData: keepPreviousData,
  });
  const [total, setTotal] = useState<number | null>(null);
  const firstTotal = cursor === null ? page.data?.total : undefined;
  useEffect(() => {
    if (firstTotal !== undefined && firstTotal !== null) setTotal(firstTotal);
  }, [firstTotal]);
  const rows = page.data?.data ?? [];
  const titles = useLookupTitles(lookupTargets(rows, columnsMeta));

  const reset = (next: Partial<ListState>) => {
    setState((s) => ({ ...s, ...next }));
    setCursors([null]);
    setSelected([]);
  };
  const applyView = useCallback((next: ListState) => {
    setState(next);
    setKeyword(next.q);
    setCursors([null]);
    setSelected([]);
  }, []);
  const turnPage = (next: (string | null)[]) => {
    setCursors(next);
    setSelected([]);
  };
  const picklists = (fields.data ?? []).filter((f) => f.type === "picklist" && f.options.length > 0 && f.options.length <= 30).slice(0, 3);
  const entityLabel = label(entity, entityName);
  const allowed = (action: string) => Boolean(entity?.permissions[action] && entity.permissions[action] !== "none");
  const canCreate = allowed("create");
  const canEdit = allowed("update");
  const canDelete = allowed("delete");
  const canImport = canCreate && allowed("import") && Boolean(entity?.importable);
  const canExport = allowed("export");

  if (!readable) return <Result status="403" title={t("list.noAccess", { entity: entityLabel })} />;

  const columns: TableProps<RecordRow>["columns"] = columnsMeta.map((field: FieldMeta) => ({
    key: field.name,
    dataIndex: field.name,
    title: label(field),
    sorter: field.type !== "multi_picklist" && field.type !== "long_text",
    sortOrder: state.sort === field.name ? "ascend" : state.sort === `-${field.name}` ? "descend" : null,
    ellipsis: true,
    render: (_: unknown, row: RecordRow) => <FieldValue field={field} value={row[field.name]} row={row} titles={titles} />,
  }));

  return (
    <div>
      <div className="page-header">
        <Typography.Title level={4}>{entityLabel}</Typography.Title>
        <Space wrap>
          {entityName === "opportunities" ? <Button icon={<AppstoreOutlined />} onClick={() => navigate("/pipeline")}>{t("list.kanban")}</Button> : null}
          <SavedViews entity={entityName} state={state} onApply={applyView} />
          {!mobile ? <ColumnPicker fields={fields.data ?? []} shown={columnsMeta.map((f) => f.name)} onChange={(columns) => setState((s) => ({ ...s, columns }))} /> : null}
          {canImport ? <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>{t("dataio.import")}</Button> : null}
          {canExport ? <ExportButton entity={entityName} filter={filter} sort={sort} /> : null}
          <Button icon={<ReloadOutlined />} aria-label={t("common.refresh")} onClick={() => void page.refetch()} />
          {canCreate ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate(`/r/${entityName}/new`)}>
              {t("list.newRecord", { entity: entityLabel })}
            </Button>
          ) : null}
        </Space>
      </div>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t("list.keyword")}
          aria-label={t("list.keyword")}
          value={keyword}
          onChange={(e) => setKeyword(e.target.value)}
          onSearch={(value) => reset({ q: value })}
          style={{ width: mobile ? "100%" : 260 }}
        />
        {picklists.map((field) => (
          <Select
            key={field.name}
            allowClear
            mode="multiple"
            maxTagCount="responsive"
            placeholder={label(field)}
            aria-label={label(field)}
            style={{ minWidth: 160 }}
            value={state.picks[field.name] ?? []}
            onChange={(values: string[]) => reset({ picks: { ...state.picks, [field.name]: values } })}
            options={field.options.map((o) => ({ value: o, label: o }))}
          />
        ))}
        {entity?.owned ? (
          <Space size={4}>
            <Switch size="small" checked={state.mine} onChange={(mine) => reset({ mine })} aria-label={t("list.mine")} />
            <Typography.Text>{t("list.mine")}</Typography.Text>
          </Space>
        ) : null}
      </Space>
      {selected.length > 0 ? (
        <BulkBar entity={entityName} fields={fields.data ?? []} selected={selected} canEdit={canEdit} canDelete={canDelete} onDone={() => setSelected([])} />
      ) : null}
      {importing ? <ImportDialog entity={entityName} open={importing} onClose={() => setImporting(false)} /> : null}
      {page.isError ? (
        <Result status="error" title={t("common.loadFailed", { message: errorMessage(page.error) })} extra={<Button onClick={() => void page.refetch()}>{t("app.retry")}</Button>} />
      ) : mobile ? (
        <div data-testid="record-cards">
          {page.isLoading ? <Skeleton active /> : rows.length === 0 ? <Empty description={t("common.empty")} /> : null}
          {rows.map((row) => {
            const [head, ...rest] = columnsMeta;
            return (
              <Card key={row.id} className="record-card" size="small" onClick={() => navigate(`/r/${entityName}/${row.id}`)}>
                {canEdit || canDelete ? (
                  // On a phone the cards carry the selection the table's first column gives on a desktop.
                  <Checkbox
                    className="record-card-check" checked={selected.some((r) => r.id === row.id)} aria-label={t("bulk.select")}
                    onClick={(e) => e.stopPropagation()}
                    onChange={(e) => setSelected((prev) => (e.target.checked ? [...prev, row] : prev.filter((r) => r.id !== row.id)))}
                  />
                ) : null}
                {head ? <Typography.Text strong>{<FieldValue field={head} value={row[head.name]} row={row} titles={titles} />}</Typography.Text> : null}
                {rest.slice(0, 3).map((field) => (
                  <div key={field.name} style={{ fontSize: 13 }}>
                    <Typography.Text type="secondary">{label(field)}：</Typography.Text>
                    <FieldValue field={field} value={row[field.name]} row={row} titles={titles} />
                  </div>
                ))}
              </Card>
            );
          })}
        </div>
      ) : (
        <Table<RecordRow>
          rowKey="id"
          size="middle"
          loading={page.isFetching}
          columns={columns}
          dataSource={rows}
          pagination={false}
          scroll={{ x: "max-content" }}
          rowSelection={canEdit || canDelete ? {
            selectedRowKeys: selected.map((r) => r.id),
            onChange: (_keys, chosen) => setSelected(chosen),
            columnWidth: 40,
          } : undefined}
          locale={{ emptyText: <Empty description={t("common.empty")} /> }}
          onChange={(_p, _f, sorter) => {
            const one = Array.isArray(sorter) ? sorter[0] : sorter;
            reset({ sort: sortParam(one?.columnKey ? String(one.columnKey) : null, one?.order ?? null) });
          }}
          onRow={(row) => ({
            onClick: (e) => {
              if ((e.target as HTMLElement).closest(".ant-table-selection-column")) return; // ticking a row is not opening it
              navigate(`/r/${entityName}/${row.id}`);
            },
            style: { cursor: "pointer" },
          })}
        />
      )}
      <Space style={{ marginTop: 12, justifyContent: "space-between", width: "100%" }} wrap>
        <Typography.Text type="secondary">{total !== null ? t("common.total", { count: total }) : null}</Typography.Text>
        <Space wrap>
          <Select
            size="small"
            value={state.pageSize}
            aria-label={t("common.pageSize", { size: state.pageSize })}
            onChange={(pageSize: number) => reset({ pageSize })}
            options={PAGE_SIZES.map((size) => ({ value: size, label: t("common.pageSize", { size }) }))}
          />
          <Button size="small" disabled={cursors.length <= 1} onClick={() => turnPage(cursors.slice(0, -1))}>{t("common.previous")}</Button>
          <Button size="small" disabled={!page.data?.next_cursor} onClick={() => page.data?.next_cursor && turnPage([...cursors, page.data.next_cursor])}>{t("common.next")}</Button>
        </Space>
      </Space>
    </div>
  );
}
