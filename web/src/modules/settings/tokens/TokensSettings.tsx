import { Alert, App, Button, Checkbox, Form, Input, InputNumber, Modal, Popconfirm, Space, Table, Tag, Typography } from "antd";
import { KeyOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError, unwrap, type Schemas } from "../../../api/client";
import { useSession } from "../../auth/session";
import { errorMessage, fieldErrors } from "../../records/values";
import { LoadError } from "../common";

type Token = Schemas["TokenOut"];
type Scope = Schemas["TokenCreate"]["scopes"][number];
const SCOPES: Scope[] = ["read", "write", "export", "import", "admin"];
const TOKENS_KEY = ["auth", "tokens"] as const;

interface TokenForm { name: string; scopes: Scope[]; expires_in_days?: number | null }

/** Settings → My API tokens: personal tokens for integrations; the secret is shown once, when created. */
export default function TokensSettings() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { me } = useSession();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<TokenForm>();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<Schemas["TokenCreated"] | null>(null);
  const tokens = useQuery({ queryKey: TOKENS_KEY, queryFn: () => unwrap(api.GET("/api/v1/auth/tokens")) });
  const byToken = me?.auth_method === "token";
  const create = useMutation({
    mutationFn: (v: TokenForm) => unwrap(api.POST("/api/v1/auth/tokens", { body: { name: v.name.trim(), scopes: v.scopes, expires_in_days: v.expires_in_days ?? null } })),
    onSuccess: (created) => { setCreating(false); setSecret(created); form.resetFields(); void queryClient.invalidateQueries({ queryKey: TOKENS_KEY }); },
    onError: (e) => {
      if (e instanceof ApiError && e.code === "scope_not_allowed") { form.setFields([{ name: "scopes", errors: [t("tokens.adminOnly")] }]); return; }
      const perField = fieldErrors(e, t, new Set(["name", "scopes", "expires_in_days"] as const));
      if (perField.length) form.setFields(perField); else message.error(errorMessage(e));
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/v1/auth/tokens/{token_id}", { params: { path: { token_id: id } } })),
    onSuccess: () => { message.success(t("tokens.revoked")); void queryClient.invalidateQueries({ queryKey: TOKENS_KEY }); },
    onError: (e) => message.error(errorMessage(e)),
  });
  const scopes = SCOPES.filter((s) => s !== "admin" || me?.is_admin);
  const when = (v: string | null) => (v ? dayjs(v).format("YYYY-MM-DD HH:mm") : t("common.none"));

  if (tokens.isError) return <LoadError error={tokens.error} />;
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }} data-testid="tokens-settings">
      <Space wrap style={{ justifyContent: "space-between", width: "100%" }}>
        <Typography.Text type="secondary">{t("tokens.hint")}</Typography.Text>
        <Button type="primary" icon={<PlusOutlined />} disabled={byToken} title={byToken ? t("tokens.sessionOnly") : undefined} onClick={() => { form.setFieldsValue({ name: "", scopes: ["read"], expires_in_days: 90 }); setCreating(true); }}>{t("tokens.new")}</Button>
      </Space>
      {secret ? (
        <Alert
          type="success" showIcon closable={{ onClose: () => setSecret(null) }} icon={<KeyOutlined />} title={t("tokens.createdTitle", { name: secret.name })}
          description={
            <>
              <Typography.Paragraph style={{ marginBottom: 4 }}>{t("tokens.copyNow")}</Typography.Paragraph>
              <Typography.Paragraph copyable={{ text: secret.token }} code data-testid="token-secret" style={{ wordBreak: "break-all", marginBottom: 0 }}>{secret.token}</Typography.Paragraph>
            </>
          }
        />
      ) : null}
      <Table<Token>
        rowKey="id" size="small" loading={tokens.isLoading} dataSource={tokens.data ?? []} pagination={false} scroll={{ x: "max-content" }}
        locale={{ emptyText: t("tokens.none") }}
        columns={[
          { key: "name", title: t("tokens.name"), dataIndex: "name" },
          { key: "prefix", title: t("tokens.prefix"), render: (_, tk) => <Typography.Text code>{tk.prefix}…</Typography.Text> },
          { key: "scopes", title: t("tokens.scopes"), render: (_, tk) => <Space size={[4, 4]} wrap>{tk.scopes.map((s) => <Tag key={s}>{t(`tokens.scope.${s}`, { defaultValue: s })}</Tag>)}</Space> },
          { key: "created", title: t("tokens.created"), render: (_, tk) => when(tk.created_at) },
          {
            key: "expires", title: t("tokens.expires"),
            render: (_, tk) => (tk.expires_at && dayjs(tk.expires_at).isBefore(dayjs()) ? <Tag color="red">{t("tokens.expired")}</Tag> : tk.expires_at ? when(tk.expires_at) : t("tokens.never")),
          },
          { key: "used", title: t("tokens.lastUsed"), render: (_, tk) => when(tk.last_used_at) },
          {
            key: "actions", title: t("common.actions"), width: 90,
            render: (_, tk) => (
              <Popconfirm title={t("tokens.confirmRevoke", { name: tk.name })} onConfirm={() => revoke.mutate(tk.id)} okText={t("tokens.revoke")} cancelText={t("common.cancel")} okButtonProps={{ danger: true }}>
                <Button type="link" size="small" danger disabled={byToken}>{t("tokens.revoke")}</Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <Modal open={creating} title={t("tokens.new")} onCancel={() => setCreating(false)} onOk={() => form.submit()} confirmLoading={create.isPending}
        okText={t("tokens.create")} cancelText={t("common.cancel")} forceRender>
        <Form<TokenForm> form={form} name="api_token" layout="vertical" onFinish={(v) => create.mutate(v)}>
          <Form.Item name="name" label={t("tokens.name")} rules={[{ required: true, whitespace: true, message: t("fieldErrors.required") }]}><Input maxLength={200} placeholder={t("tokens.namePlaceholder")} /></Form.Item>
          <Form.Item name="scopes" label={t("tokens.scopes")} rules={[{ required: true, type: "array", min: 1, message: t("tokens.pickScope") }]}>
            <Checkbox.Group options={scopes.map((s) => ({ value: s, label: t(`tokens.scope.${s}`) }))} />
          </Form.Item>
          <Form.Item name="expires_in_days" label={t("tokens.expiresIn")} extra={t("tokens.expiresHint")}><InputNumber min={1} max={3650} precision={0} style={{ width: 160 }} /></Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
