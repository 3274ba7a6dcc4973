import { App, Button, Col, Form, Row, Space, Typography } from "antd";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { FieldMeta, LayoutMeta } from "../../api/client";
import { records, type RecordRow } from "../../api/records";
import { isEnglish } from "../../i18n";
import { FieldInput } from "./FieldInput";
import { formFields, sectionTitle, useLabel } from "./meta";
import { buildPayload, errorMessage, fieldErrors, isConflict, toFormValue, type FormValue } from "./values";

interface Props {
  entity: string;
  fields: FieldMeta[];
  layout: LayoutMeta | undefined;
  record?: RecordRow;
  initialValues?: Record<string, unknown>;
  onSaved: (row: RecordRow) => void;
  onCancel?: () => void;
  columns?: number;
}

/** The create/edit form of any entity, built from its field metadata and layout. Read-only and masked
 * fields are shown disabled; the API's per-field errors appear under their fields. */
export function RecordForm({ entity, fields, layout, record, initialValues, onSaved, onCancel, columns = 2 }: Props) {
  const { t, i18n } = useTranslation();
  const label = useLabel();
  const { message } = App.useApp();
  const [form] = Form.useForm<Record<string, FormValue>>();
  const queryClient = useQueryClient();
  const editable = useMemo(() => formFields(fields, layout), [fields, layout]);
  const known = useMemo(() => new Set(editable.map((f) => f.name)), [editable]);

  const initial = useMemo(() => {
    const values: Record<string, FormValue> = {};
    for (const field of editable) {
      const raw = record ? record[field.name] : (initialValues?.[field.name] as never);
      values[field.name] = toFormValue(field, raw);
    }
    return values;
  }, [editable, record, initialValues]);

  const save = useMutation({
    mutationFn: (values: Record<string, FormValue>) => {
      const body = buildPayload(editable, values, record);
      return record ? records.update(entity, record.id, body, record.version) : records.create(entity, body);
    },
    onSuccess: (row) => {
      void queryClient.invalidateQueries({ queryKey: ["records", entity] });
      message.success(record ? t("common.saved") : t("common.created"));
      onSaved(row);
    },
    onError: (error) => {
      const perField = fieldErrors(error, t, known);
      if (perField.length) {
        form.setFields(perField);
        message.error(t("common.fixFields"));
      } else if (isConflict(error) && record) {
        void queryClient.invalidateQueries({ queryKey: ["record", entity, record.id] });
        message.warning(t("common.conflict"));
      } else {
        message.error(t("common.saveFailed", { message: errorMessage(error) }));
      }
    },
  });

  const sections = layout?.sections.length ? layout.sections : [{ title_zh: "", title_en: "", columns, fields: editable.map((f) => f.name) }];
  const placed = new Set<string>();
  const english = isEnglish(i18n.language);
  const span = 24 / Math.max(1, Math.min(columns, 4));

  const item = (field: FieldMeta) => {
    placed.add(field.name);
    const locked = field.readonly || field.masked;
    return (
      <Col xs={24} md={field.type === "long_text" ? 24 : span} key={field.name}>
        <Form.Item
          name={field.name}
          label={label(field)}
          tooltip={locked ? t("common.readonly") : undefined}
          rules={field.required && !locked ? [{ required: true, message: t("fieldErrors.required") }] : undefined}
          valuePropName={field.type === "boolean" ? "value" : undefined}
        >
          <FieldInput field={field} disabled={locked} />
        </Form.Item>
      </Col>
    );
  };
  const byName = new Map(editable.map((f) => [f.name, f]));

  return (
    <Form
      form={form}
      name={`record_${entity}`}
      layout="vertical"
      initialValues={initial}
      onFinish={(values) => save.mutate(values)}
      onValuesChange={(changed) => form.setFields(Object.keys(changed).map((name) => ({ name, errors: [] })))}
      scrollToFirstError
    >
      {sections.map((section, index) => {
        const items = section.fields.map((n) => byName.get(n)).filter((f): f is FieldMeta => f !== undefined && !placed.has(f.name));
        if (!items.length) return null;
        const title = sectionTitle(section, english);
        return (
          <div key={`${title}-${index}`}>
            {title ? <Typography.Title level={5}>{title}</Typography.Title> : null}
            <Row gutter={columns > 1 ? 16 : 0}>{items.map(item)}</Row>
          </div>
        );
      })}
      {(() => {
        const rest = editable.filter((f) => !placed.has(f.name));
        return rest.length ? <Row gutter={columns > 1 ? 16 : 0}>{rest.map(item)}</Row> : null;
      })()}
      <Space>
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t("common.save")}
        </Button>
        {onCancel ? <Button onClick={onCancel}>{t("common.cancel")}</Button> : null}
      </Space>
    </Form>
  );
}
