import { Alert, App, Button, Drawer, Form, Input, Radio, Select, Skeleton, Space, Switch, Table, Tabs, Typography } from "antd";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError, unwrap, type EntityMeta, type FieldMeta } from "../../../api/client";
import { useEntities, useFields, useLabel } from "../../records/meta";
import { errorMessage, fieldErrors } from "../../records/values";
import { LoadError, useDrawerWidth } from "../common";
import {
  ACTIONS, FIELD_RULES, SCOPES, cleanPermissions, problemsByCell, ruleOf, rowScope, scopeOf, setRow, setRule, setScope,
  type FieldRules, type Permissions, type Scope,
} from "./matrix";
import { ROLES_KEY } from "../queries";

interface Props {
  roleId: string | null;
  onClose: () => void;
}

interface RoleForm { name: string; description?: string; is_admin: boolean }

/** Create or edit a role: name, the entity × action scope matrix and per-field security. */
export function RoleEditor({ roleId, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const width = useDrawerWidth(960);
  const [form] = Form.useForm<RoleForm>();
  const isAdminRole = Form.useWatch("is_admin", form) ?? false;
  const [perms, setPerms] = useState<Permissions>({});
  const [rules, setRules] = useState<FieldRules>({});
  const [problems, setProblems] = useState<Map<string, string>>(new Map());
  const role = useQuery({
    queryKey: [...ROLES_KEY, roleId],
    queryFn: () => unwrap(api.GET("/api/v1/roles/{role_id}", { params: { path: { role_id: roleId ?? "" } } })),
    enabled: roleId !== null,
  });
  useEffect(() => {
    if (!role.data) return;
    form.setFieldsValue({ name: role.data.name, description: role.data.description ?? "", is_admin: role.data.is_admin });
    setPerms(role.data.permissions);
    setRules(role.data.field_rules);
  }, [role.data, form]);

  const save = useMutation({
    mutationFn: (v: RoleForm) => {
      const body = { name: v.name.trim(), description: v.description?.trim() || null, is_admin: v.is_admin, permissions: cleanPermissions(perms), field_rules: rules };
      return roleId
        ? unwrap(api.PATCH("/api/v1/roles/{role_id}", { params: { path: { role_id: roleId } }, body }))
        : unwrap(api.POST("/api/v1/roles", { body }));
    },
    onSuccess: () => {
      message.success(t("common.saved"));
      void queryClient.invalidateQueries({ queryKey: ROLES_KEY });
      onClose();
    },
    onError: (e) => {
      setProblems(e instanceof ApiError && e.code === "invalid_permissions" ? problemsByCell(e.details) : new Map());
      if (e instanceof ApiError && e.code === "role_exists") { form.setFields([{ name: "name", errors: [t("roles.exists")] }]); return; }
      if (e instanceof ApiError && e.code === "last_admin") { form.setFields([{ name: "is_admin", errors: [t("roles.lastAdmin")] }]); return; }
      const perField = fieldErrors(e, t, new Set(["name", "description", "is_admin"] as const));
      if (perField.length) form.setFields(perField);
      else if (!(e instanceof ApiError && e.code === "invalid_permissions")) message.error(errorMessage(e));
    },
  });

  const loading = roleId !== null && role.isLoading;
  return (
    <Drawer
      open onClose={onClose} size={width} destroyOnHidden
      title={roleId ? t("roles.editTitle", { name: role.data?.name ?? "" }) : t("roles.new")}
      extra={<Button type="primary" onClick={() => form.submit()} loading={save.isPending} disabled={loading} data-testid="role-save">{t("common.save")}</Button>}
    >
      {role.isError ? <LoadError error={role.error} /> : loading ? <Skeleton active /> : (
        <Form<RoleForm> form={form} name="role" layout="vertical" initialValues={{ name: "", description: "", is_admin: false }} onFinish={(v) => save.mutate(v)}>
          <Form.Item name="name" label={t("roles.name")} rules={[{ required: true, whitespace: true, message: t("fieldErrors.required") }]} style={{ maxWidth: 420 }}><Input maxLength={100} /></Form.Item>
          <Form.Item name="description" label={t("roles.description")} style={{ maxWidth: 640 }}><Input.TextArea rows={2} maxLength={1000} /></Form.Item>
          <Form.Item name="is_admin" label={t("roles.isAdmin")} valuePropName="checked" extra={t("roles.isAdminHint")}><Switch /></Form.Item>
          {problems.size ? <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t("roles.invalid")} description={[...problems.entries()].map(([k, v]) => `${k}: ${v}`).join("; ")} /> : null}
          {isAdminRole ? <Alert type="info" showIcon title={t("roles.adminGrantsAll")} /> : (
            <Tabs items={[
              { key: "matrix", label: t("roles.matrix"), children: <PermissionMatrix perms={perms} onChange={setPerms} problems={problems} /> },
              { key: "fields", label: t("roles.fieldSecurity"), children: <FieldSecurity rules={rules} onChange={setRules} problems={problems} /> },
            ]} />
          )}
        </Form>
      )}
    </Drawer>
  );
}

function PermissionMatrix({ perms, onChange, problems }: { perms: Permissions; onChange: (p: Permissions) => void; problems: Map<string, string> }) {
  const { t } = useTranslation();
  const label = useLabel();
  const entities = useEntities();
  if (entities.isError) return <LoadError error={entities.error} />;
  const scopeOptions = SCOPES.map((s) => ({ value: s, label: t(`roles.scopes.${s}`) }));
  return (
    <>
      <Typography.Paragraph type="secondary">{t("roles.matrixHint")}</Typography.Paragraph>
      <Table<EntityMeta>
        rowKey="name" size="small" loading={entities.isLoading} dataSource={entities.data ?? []} pagination={false} scroll={{ x: "max-content" }}
        data-testid="permission-matrix"
        columns={[
          { key: "entity", title: t("settings.entity"), fixed: "left", render: (_, e) => label(e), width: 120 },
          {
            key: "row", title: t("roles.allActions"), width: 120,
            render: (_, e) => (
              <Select<Scope> size="small" style={{ width: 110 }} value={rowScope(perms, e.name) ?? undefined} placeholder={t("roles.mixed")}
                aria-label={`${label(e)} ${t("roles.allActions")}`} options={scopeOptions} onChange={(s) => onChange(setRow(perms, e.name, s))} />
            ),
          },
          ...ACTIONS.map((action) => ({
            key: action, title: t(`roles.actions.${action}`), width: 110,
            render: (_: unknown, e: EntityMeta) => (
              <Select<Scope> size="small" style={{ width: 100 }} value={scopeOf(perms, e.name, action)} options={scopeOptions}
                status={problems.has(`permissions.${e.name}.${action}`) ? "error" : undefined}
                aria-label={`${label(e)} ${t(`roles.actions.${action}`)}`} data-testid={`scope-${e.name}-${action}`}
                onChange={(s) => onChange(setScope(perms, e.name, action, s))} />
            ),
          })),
        ]}
      />
    </>
  );
}

const NO_RULES = new Set(["id", "version", "created_at", "updated_at", "created_by_id", "updated_by_id", "deleted_at"]);

function FieldSecurity({ rules, onChange, problems }: { rules: FieldRules; onChange: (r: FieldRules) => void; problems: Map<string, string> }) {
  const { t } = useTranslation();
  const label = useLabel();
  const entities = useEntities();
  const [entity, setEntity] = useState("contacts");
  const fields = useFields(entity);
  const rows = (fields.data ?? []).filter((f) => !NO_RULES.has(f.name));
  return (
    <Space orientation="vertical" style={{ width: "100%" }}>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>{t("roles.fieldHint")}</Typography.Paragraph>
      <Select showSearch={{ optionFilterProp: "label" }} value={entity} onChange={setEntity} style={{ minWidth: 200 }} aria-label={t("settings.entity")}
        data-testid="field-security-entity"
        options={(entities.data ?? []).map((e) => {
          const count = Object.keys(rules[e.name] ?? {}).length;
          return { value: e.name, label: count ? `${label(e)} (${count})` : label(e) };
        })} />
      {fields.isError ? <LoadError error={fields.error} /> : (
        <Table<FieldMeta>
          rowKey="name" size="small" loading={fields.isLoading} dataSource={rows} pagination={false} scroll={{ x: "max-content" }}
          columns={[
            { key: "field", title: t("settings.fieldName"), render: (_, f) => <span>{label(f)} <Typography.Text type="secondary" style={{ fontSize: 12 }}>{f.name}</Typography.Text></span> },
            {
              key: "rule", title: t("roles.fieldRule"),
              render: (_, f) => (
                <Radio.Group size="small" optionType="button" value={ruleOf(rules, entity, f.name)} data-testid={`rule-${entity}-${f.name}`}
                  aria-label={`${label(f)} ${t("roles.fieldRule")}`}
                  onChange={(e) => onChange(setRule(rules, entity, f.name, e.target.value))}
                  options={FIELD_RULES.map((r) => ({ value: r, label: t(`roles.rules.${r}`) }))}
                  style={problems.has(`field_rules.${entity}.${f.name}`) ? { outline: "1px solid #ff4d4f" } : undefined} />
              ),
            },
          ]}
        />
      )}
    </Space>
  );
}
