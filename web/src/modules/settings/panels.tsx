import { Alert, App, Button, Card, ColorPicker, Form, Input, Select, Space, Switch, Table, Tag, Typography } from "antd";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError, unwrap } from "../../api/client";
import { BRANDING_KEY } from "../../app/branding";
import { ME_KEY, useSession } from "../auth/session";
import { useEntities, useFields, useLabel } from "../records/meta";
import { errorMessage, fieldErrors } from "../records/values";
import { ROLES_KEY, useRoles } from "./queries";

const FIELD_TYPES = ["text", "long_text", "number", "integer", "currency", "percent", "date", "datetime", "boolean", "picklist", "multi_picklist", "email", "phone", "url"] as const;

export function SecuritySettings() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { me } = useSession();
  const queryClient = useQueryClient();
  const [secret, setSecret] = useState<string | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const setup = useMutation({ mutationFn: () => unwrap(api.POST("/api/v1/auth/2fa/setup")), onSuccess: (r) => setSecret(r.secret), onError: (e) => message.error(errorMessage(e)) });
  const enable = useMutation({
    mutationFn: (otp: string) => unwrap(api.POST("/api/v1/auth/2fa/enable", { body: { otp } })),
    onSuccess: (r) => { setCodes(r.recovery_codes); setSecret(null); void queryClient.invalidateQueries({ queryKey: ME_KEY }); },
    onError: (e) => message.error(errorMessage(e)),
  });
  const password = useMutation({
    mutationFn: (v: { current_password: string; new_password: string }) => unwrap(api.POST("/api/v1/auth/password", { body: v })),
    onSuccess: () => message.success(t("settings.passwordChanged")),
    onError: (e) => message.error(errorMessage(e)),
  });
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Card size="small" title={t("settings.twoFactor")} extra={<Tag color={me?.user.totp_enabled ? "green" : undefined}>{me?.user.totp_enabled ? t("settings.twoFactorOn") : t("settings.twoFactorOff")}</Tag>}>
        {codes ? (
          <Alert type="success" title={t("settings.recoveryCodes")} description={<Typography.Paragraph copyable={{ text: codes.join("\n") }} style={{ fontFamily: "monospace" }}>{codes.join("  ")}</Typography.Paragraph>} />
        ) : secret ? (
          <Form name="enable_2fa" layout="vertical" onFinish={(v: { otp: string }) => enable.mutate(v.otp.trim())}>
            <Typography.Paragraph>{t("settings.scanHint")}</Typography.Paragraph>
            <Typography.Paragraph copyable code data-testid="totp-secret">{secret}</Typography.Paragraph>
            <Form.Item name="otp" label={t("login.otp")} rules={[{ required: true, message: t("login.otpRequired") }]}><Input inputMode="numeric" maxLength={64} /></Form.Item>
            <Button type="primary" htmlType="submit" loading={enable.isPending}>{t("settings.enable2fa")}</Button>
          </Form>
        ) : !me?.user.totp_enabled ? (
          <Button onClick={() => setup.mutate()} loading={setup.isPending}>{t("settings.enable2fa")}</Button>
        ) : null}
      </Card>
      <Card size="small" title={t("settings.changePassword")}>
        <Form name="change_password" layout="vertical" onFinish={(v: { current_password: string; new_password: string }) => password.mutate(v)} style={{ maxWidth: 400 }}>
          <Form.Item name="current_password" label={t("settings.currentPassword")} rules={[{ required: true, message: t("fieldErrors.required") }]}><Input.Password autoComplete="current-password" /></Form.Item>
          <Form.Item name="new_password" label={t("settings.newPassword")} rules={[{ required: true, message: t("fieldErrors.required") }]}><Input.Password autoComplete="new-password" /></Form.Item>
          <Button type="primary" htmlType="submit" loading={password.isPending}>{t("common.save")}</Button>
        </Form>
      </Card>
    </Space>
  );
}

export function UsersSettings() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: ["admin", "users"], queryFn: () => unwrap(api.GET("/api/v1/users", { params: { query: { limit: 500 } } })) });
  const patch = useMutation({
    mutationFn: ({ id, is_active }: { id: string; is_active: boolean }) => unwrap(api.PATCH("/api/v1/users/{user_id}", { params: { path: { user_id: id } }, body: { is_active } })),
    onSuccess: () => { message.success(t("common.saved")); void queryClient.invalidateQueries({ queryKey: ["admin", "users"] }); },
    onError: (e) => message.error(errorMessage(e)),
  });
  const reset2fa = useMutation({
    mutationFn: (id: string) => unwrap(api.POST("/api/v1/users/{user_id}/reset-2fa", { params: { path: { user_id: id } } })),
    onSuccess: () => { message.success(t("settings.reset2faDone")); void queryClient.invalidateQueries({ queryKey: ["admin", "users"] }); },
    onError: (e) => message.error(errorMessage(e)),
  });
  const roles = useRoles();
  const assign = useMutation({
    mutationFn: ({ id, role_ids }: { id: string; role_ids: string[] }) => unwrap(api.POST("/api/v1/users/{user_id}/roles", { params: { path: { user_id: id } }, body: { role_ids } })),
    onSuccess: () => { message.success(t("common.saved")); void queryClient.invalidateQueries({ queryKey: ["admin", "users"] }); void queryClient.invalidateQueries({ queryKey: ROLES_KEY }); },
    onError: (e) => { message.error(e instanceof ApiError && e.code === "last_admin" ? t("roles.lastAdmin") : errorMessage(e)); void queryClient.invalidateQueries({ queryKey: ["admin", "users"] }); },
  });
  type Row = { id: string; name: string; email: string; title?: string | null; is_active?: boolean; is_admin?: boolean; totp_enabled?: boolean; last_login_at?: string | null; role_ids?: string[] };
  const rows = (users.data?.data ?? []) as Row[];
  const roleOptions = (roles.data?.data ?? []).map((r) => ({ value: r.id, label: r.name }));
  return (
    <Table<Row>
      rowKey="id" size="small" loading={users.isLoading} dataSource={rows} pagination={false} scroll={{ x: "max-content" }}
      columns={[
        { key: "name", title: t("settings.userName"), render: (_, u) => <>{u.name} {u.is_admin ? <Tag color="gold">{t("settings.admin")}</Tag> : null}</> },
        { key: "email", title: t("settings.userEmail"), dataIndex: "email" },
        { key: "title", title: t("settings.userTitle"), dataIndex: "title" },
        {
          key: "roles", title: t("roles.title"),
          render: (_, u) => (
            <Select mode="multiple" size="small" style={{ minWidth: 180 }} value={u.role_ids ?? []} options={roleOptions} loading={roles.isLoading || assign.isPending}
              aria-label={t("roles.assignTo", { name: u.name })} data-testid={`user-roles-${u.email}`} showSearch={{ optionFilterProp: "label" }}
              onChange={(role_ids: string[]) => assign.mutate({ id: u.id, role_ids })} />
          ),
        },
        { key: "login", title: t("settings.lastLogin"), render: (_, u) => (u.last_login_at ? dayjs(u.last_login_at).format("YYYY-MM-DD HH:mm") : t("common.none")) },
        { key: "active", title: t("settings.active"), render: (_, u) => <Switch size="small" checked={Boolean(u.is_active)} onChange={(v) => patch.mutate({ id: u.id, is_active: v })} aria-label={t("settings.active")} /> },
        { key: "2fa", title: t("settings.twoFactor"), render: (_, u) => (u.totp_enabled ? <Button size="small" onClick={() => reset2fa.mutate(u.id)}>{t("settings.reset2fa")}</Button> : t("settings.twoFactorOff")) },
      ]}
    />
  );
}

interface NewField { entity: string; name: string; type: string; label_zh: string; label_en: string; required: boolean; options?: string }

export function CustomFields() {
  const { t } = useTranslation();
  const label = useLabel();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const entities = useEntities();
  const [form] = Form.useForm<NewField>();
  const entity = Form.useWatch("entity", form) ?? "accounts";
  const type = Form.useWatch("type", form);
  const fields = useFields(entity);
  const add = useMutation({
    mutationFn: (v: NewField) =>
      unwrap(api.POST("/api/v1/meta/entities/{entity}/fields", {
        params: { path: { entity: v.entity } },
        body: { name: v.name.trim(), type: v.type, label_zh: v.label_zh, label_en: v.label_en, required: v.required, unique: false, searchable: false, position: 0, options: (v.options ?? "").split("\n").map((o) => o.trim()).filter(Boolean) },
      })),
    onSuccess: () => { message.success(t("settings.fieldAdded")); form.resetFields(["name", "label_zh", "label_en", "options"]); void queryClient.invalidateQueries({ queryKey: ["meta"] }); },
    onError: (e) => {
      const perField = fieldErrors(e, t, new Set(["name", "type", "label_zh", "label_en", "options"] as const));
      if (perField.length) form.setFields(perField); else message.error(errorMessage(e));
    },
  });
  const custom = (fields.data ?? []).filter((f) => f.is_custom);
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Card size="small" title={t("settings.addField")}>
        <Form<NewField> form={form} name="custom_field" layout="vertical" initialValues={{ entity: "accounts", type: "text", required: false, name: "cf_" }} onFinish={(v) => add.mutate(v)} style={{ maxWidth: 520 }}>
          <Form.Item name="entity" label={t("settings.entity")}><Select showSearch={{ optionFilterProp: "label" }} options={(entities.data ?? []).filter((e) => !e.parent).map((e) => ({ value: e.name, label: label(e) }))} /></Form.Item>
          <Form.Item name="name" label={t("settings.fieldName")} extra={t("settings.fieldNameHint")} rules={[{ required: true, pattern: /^cf_[a-z0-9_]+$/, message: t("settings.fieldNameHint") }]}><Input /></Form.Item>
          <Form.Item name="type" label={t("settings.fieldType")}><Select options={FIELD_TYPES.map((ft) => ({ value: ft, label: t(`fieldTypes.${ft}`) }))} /></Form.Item>
          <Form.Item name="label_zh" label={t("settings.labelZh")} rules={[{ required: true, message: t("fieldErrors.required") }]}><Input /></Form.Item>
          <Form.Item name="label_en" label={t("settings.labelEn")} rules={[{ required: true, message: t("fieldErrors.required") }]}><Input /></Form.Item>
          {type === "picklist" || type === "multi_picklist" ? <Form.Item name="options" label={t("settings.options")} extra={t("settings.optionsHint")}><Input.TextArea rows={4} /></Form.Item> : null}
          <Form.Item name="required" label={t("common.required")} valuePropName="checked"><Switch /></Form.Item>
          <Button type="primary" htmlType="submit" loading={add.isPending}>{t("settings.addField")}</Button>
        </Form>
      </Card>
      <Table
        rowKey="name" size="small" loading={fields.isLoading} dataSource={custom} pagination={false}
        columns={[
          { key: "name", title: t("settings.fieldName"), dataIndex: "name" },
          { key: "label", title: t("settings.labelZh"), render: (_, f) => label(f) },
          { key: "type", title: t("settings.fieldType"), render: (_, f) => t(`fieldTypes.${f.type}`, { defaultValue: f.type }) },
          { key: "required", title: t("common.required"), render: (_, f) => (f.required ? t("common.yes") : t("common.no")) },
        ]}
      />
    </Space>
  );
}

interface BrandingForm { name?: string; primary_color?: string; logo_url?: string }

export function BrandingSettings() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<BrandingForm>();
  const settings = useQuery({ queryKey: ["admin", "tenant-settings"], queryFn: () => unwrap(api.GET("/api/v1/tenant/settings")) });
  const save = useMutation({
    mutationFn: (v: BrandingForm) => unwrap(api.PATCH("/api/v1/tenant/settings", { body: { branding: { name: v.name?.trim() || null, primary_color: v.primary_color || null, logo_url: v.logo_url?.trim() || null } } })),
    onSuccess: () => { message.success(t("settings.brandingSaved")); void queryClient.invalidateQueries({ queryKey: BRANDING_KEY }); void queryClient.invalidateQueries({ queryKey: ["admin", "tenant-settings"] }); },
    onError: (e) => {
      const perField = fieldErrors(e, t, new Set(["branding.name", "branding.primary_color", "branding.logo_url"] as const));
      if (perField.length) form.setFields(perField.map((f) => ({ errors: f.errors, name: f.name.replace("branding.", "") as keyof BrandingForm })));
      else message.error(errorMessage(e));
    },
  });
  if (!settings.data) return settings.isError ? <Alert type="error" title={errorMessage(settings.error)} /> : null;
  const b = settings.data.branding;
  return (
    <Card size="small">
      <Form<BrandingForm> form={form} name="branding" layout="vertical" style={{ maxWidth: 480 }} initialValues={{ name: b.name ?? "", primary_color: b.primary_color ?? "#1677ff", logo_url: b.logo_url ?? "" }} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="name" label={t("settings.tenantName")}><Input maxLength={100} /></Form.Item>
        <Form.Item name="primary_color" label={t("settings.primaryColor")} getValueFromEvent={(color: { toHexString: () => string }) => color.toHexString()}>
          <ColorPicker showText disabledAlpha />
        </Form.Item>
        <Form.Item name="logo_url" label={t("settings.logoUrl")}><Input type="url" placeholder="https://" /></Form.Item>
        <Button type="primary" htmlType="submit" loading={save.isPending}>{t("common.save")}</Button>
      </Form>
    </Card>
  );
}
