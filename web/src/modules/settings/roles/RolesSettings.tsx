import { App, Button, Popconfirm, Space, Table, Tag, Typography } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError, unwrap, type Schemas } from "../../../api/client";
import { errorMessage } from "../../records/values";
import { LoadError } from "../common";
import { ROLES_KEY, useRoles } from "../queries";
import { summary } from "./matrix";
import { RoleEditor } from "./RoleEditor";

type Role = Schemas["RoleOut"];

/** Settings → Roles: the tenant's roles, each opened in the editor with its permission matrix and field rules. */
export default function RolesSettings() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const roles = useRoles();
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/v1/roles/{role_id}", { params: { path: { role_id: id } } })),
    onSuccess: () => { message.success(t("common.deleted")); void queryClient.invalidateQueries({ queryKey: ROLES_KEY }); },
    onError: (e) => message.error(e instanceof ApiError && e.code === "role_in_use" ? t("roles.inUse") : errorMessage(e)),
  });
  if (roles.isError) return <LoadError error={roles.error} />;
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }} data-testid="roles-settings">
      <Space wrap style={{ justifyContent: "space-between", width: "100%" }}>
        <Typography.Text type="secondary">{t("roles.hint")}</Typography.Text>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")}>{t("roles.new")}</Button>
      </Space>
      <Table<Role>
        rowKey="id" size="small" loading={roles.isLoading} dataSource={roles.data?.data ?? []} pagination={false} scroll={{ x: "max-content" }}
        columns={[
          {
            key: "name", title: t("roles.name"),
            render: (_, r) => <Space size={4} wrap><Typography.Link onClick={() => setEditing(r.id)}>{r.name}</Typography.Link>{r.is_admin ? <Tag color="gold">{t("settings.admin")}</Tag> : null}</Space>,
          },
          { key: "description", title: t("roles.description"), dataIndex: "description", ellipsis: true },
          {
            key: "grants", title: t("roles.grants"),
            render: (_, r) => {
              if (r.is_admin) return t("roles.everything");
              const s = summary(r.permissions, r.field_rules);
              return t("roles.summary", { grants: s.grants, rules: s.rules });
            },
          },
          { key: "users", title: t("roles.users"), dataIndex: "user_count", width: 80 },
          {
            key: "actions", title: t("common.actions"), width: 140,
            render: (_, r) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => setEditing(r.id)}>{t("common.edit")}</Button>
                <Popconfirm title={t("roles.confirmDelete", { name: r.name })} onConfirm={() => remove.mutate(r.id)} okText={t("common.delete")} cancelText={t("common.cancel")}>
                  <Button type="link" size="small" danger disabled={r.user_count > 0} title={r.user_count > 0 ? t("roles.inUse") : undefined}>{t("common.delete")}</Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      {editing ? <RoleEditor roleId={editing === "new" ? null : editing} onClose={() => setEditing(null)} /> : null}
    </Space>
  );
}
