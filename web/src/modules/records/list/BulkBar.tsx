import { Alert, App, Button, Form, Modal, Popconfirm, Select, Space, Typography } from "antd";
import { DeleteOutlined, EditOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { FieldMeta } from "../../../api/client";
import { request } from "../../../api/client";
import { records, type RecordRow } from "../../../api/records";
import { FieldInput } from "../FieldInput";
import { useLabel } from "../meta";
import { errorMessage, isConflict, toApiValue, type FormValue } from "../values";
import { bulkEditableFields, bulkUpdateItems, chunk, runLimited } from "./bulk";

interface Props {
  entity: string;
  fields: FieldMeta[];
  selected: RecordRow[];
  canEdit: boolean;
  canDelete: boolean;
  onDone: () => void;
}

/** The bar over a list with rows selected: set one field on all of them, or delete them. */
export function BulkBar({ entity, fields, selected, canEdit, canDelete, onDone }: Props) {
  const { t } = useTranslation();
  const label = useLabel();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [form] = Form.useForm<{ field?: string; value?: FormValue }>();
  const fieldName = Form.useWatch("field", form);
  const editable = useMemo(() => bulkEditableFields(fields), [fields]);
  const field = editable.find((f) => f.name === fieldName);

  const refresh = () => void queryClient.invalidateQueries({ queryKey: ["records", entity] });

  const update = useMutation({
    mutationFn: async (v: { field: string; value?: FormValue }) => {
      const target = editable.find((f) => f.name === v.field);
      if (!target) return 0;
      const value = toApiValue(target, v.value);
      for (const part of chunk(selected)) {
        await request("PATCH", `/${entity}/bulk`, { body: bulkUpdateItems(part, target.name, value) });
      }
      return selected.length;
    },
    onSuccess: (count) => {
      message.success(t("bulk.updated", { count }));
      setEditing(false);
      form.resetFields();
      refresh();
      onDone();
    },
    onError: (error) => {
      message.error(isConflict(error) ? t("bulk.conflict") : t("common.saveFailed", { message: errorMessage(error) }));
      refresh();
    },
  });

  const remove = useMutation({
    mutationFn: () => runLimited(selected, 4, (row) => records.remove(entity, row.id)),
    onSuccess: (failed) => {
      const done = selected.length - failed.length;
      if (failed.length) message.warning(t("bulk.deletePartly", { done, failed: failed.length, message: errorMessage(failed[0]?.error) }));
      else message.success(t("bulk.deleted", { count: done }));
      refresh();
      onDone();
    },
  });

  return (
    <>
    <Alert
      type="info"
      style={{ marginBottom: 12 }}
      data-testid="bulk-bar"
      title={
        <Space wrap>
          <Typography.Text>{t("bulk.selected", { count: selected.length })}</Typography.Text>
          {canEdit && editable.length ? <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(true)}>{t("bulk.edit")}</Button> : null}
          {canDelete ? (
            <Popconfirm title={t("bulk.confirmDelete", { count: selected.length })} onConfirm={() => remove.mutate()} okButtonProps={{ danger: true }}>
              <Button size="small" danger icon={<DeleteOutlined />} loading={remove.isPending}>{t("bulk.delete")}</Button>
            </Popconfirm>
          ) : null}
          <Button size="small" type="link" onClick={onDone}>{t("bulk.clear")}</Button>
        </Space>
      }
    />
      <Modal
        open={editing}
        title={t("bulk.editTitle", { count: selected.length })}
        onCancel={() => setEditing(false)}
        onOk={() => form.submit()}
        okText={t("common.save")}
        confirmLoading={update.isPending}
        destroyOnHidden
      >
        <Form form={form} name="bulk_edit" layout="vertical" onFinish={(v) => v.field && update.mutate({ field: v.field, value: v.value })}>
          <Form.Item name="field" label={t("bulk.field")} rules={[{ required: true, message: t("fieldErrors.required") }]}>
            <Select
              showSearch={{ optionFilterProp: "label" }}
              options={editable.map((f) => ({ value: f.name, label: label(f) }))}
              onChange={() => form.setFieldValue("value", undefined)}
            />
          </Form.Item>
          {field ? (
            <Form.Item name="value" label={t("bulk.value")} rules={field.required ? [{ required: true, message: t("fieldErrors.required") }] : []}>
              <FieldInput field={field} />
            </Form.Item>
          ) : null}
        </Form>
      </Modal>
    </>
  );
}
