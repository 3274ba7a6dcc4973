import { App, Button, Card, Descriptions, Empty, Flex, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Tree, TreeSelect, Typography } from "antd";
import { ApartmentOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError, unwrap, type Schemas } from "../../../api/client";
import { errorMessage, fieldErrors } from "../../records/values";
import { LoadError } from "../common";
import { USERS_KEY, useAdminUsers, type AdminUser } from "../queries";
import { buildTree, pathOf, subtreeIds, treeOptions, type Department } from "./tree";

const DEPTS_KEY = ["admin", "departments"] as const;
const TEAMS_KEY = ["admin", "teams"] as const;
type Team = Schemas["TeamOut"];

/** Settings → Teams and departments. */
export default function OrgSettings() {
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Departments />
      <Teams />
    </Space>
  );
}

function userOptions(users: AdminUser[]) {
  return users.filter((u) => u.is_active).map((u) => ({ value: u.id, label: `${u.name} (${u.email})` }));
}

/** Codes the API answers for department and team forms, shown under the field they concern. */
function codeField(code: string): { field: string; key: string } | null {
  switch (code) {
    case "department_exists": return { field: "name", key: "org.deptExists" };
    case "team_exists": return { field: "name", key: "org.teamExists" };
    case "department_cycle": return { field: "parent_id", key: "org.cycle" };
    default: return null;
  }
}

function applyError<T extends object>(form: ReturnType<typeof Form.useForm<T>>[0], e: unknown, t: (k: string) => string, names: string[], fallback: (m: string) => void) {
  const byCode = e instanceof ApiError ? codeField(e.code) : null;
  if (byCode) { form.setFields([{ name: byCode.field as never, errors: [t(byCode.key)] }]); return; }
  const perField = fieldErrors(e, t as never, new Set(names));
  if (perField.length) form.setFields(perField.map((f) => ({ name: f.name as never, errors: f.errors })));
  else fallback(errorMessage(e));
}

interface DeptForm { name: string; parent_id?: string | null; manager_id?: string | null }

function Departments() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const depts = useQuery({ queryKey: DEPTS_KEY, queryFn: () => unwrap(api.GET("/api/v1/departments", { params: { query: { limit: 500 } } })) });
  const users = useAdminUsers();
  const [selected, setSelected] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ id: string | null; parent: string | null } | null>(null);
  const [form] = Form.useForm<DeptForm>();
  const list: Department[] = useMemo(() => depts.data?.data ?? [], [depts.data]);
  const allUsers = users.data?.data ?? [];
  const counts = useMemo(() => {
    const m = new Map<string, number>();
    for (const u of allUsers) if (u.department_id) m.set(u.department_id, (m.get(u.department_id) ?? 0) + 1);
    return m;
  }, [allUsers]);
  const tree = useMemo(() => buildTree(list, counts), [list, counts]);
  const names = new Map(allUsers.map((u) => [u.id, u.name]));
  const current = list.find((d) => d.id === selected);
  const members = allUsers.filter((u) => u.department_id === selected);
  const refresh = () => { void queryClient.invalidateQueries({ queryKey: DEPTS_KEY }); void queryClient.invalidateQueries({ queryKey: USERS_KEY }); };

  const save = useMutation({
    mutationFn: (v: DeptForm) => {
      const body = { name: v.name.trim(), parent_id: v.parent_id ?? null, manager_id: v.manager_id ?? null };
      return editing?.id
        ? unwrap(api.PATCH("/api/v1/departments/{dept_id}", { params: { path: { dept_id: editing.id } }, body }))
        : unwrap(api.POST("/api/v1/departments", { body }));
    },
    onSuccess: (d) => { message.success(t("common.saved")); setEditing(null); setSelected(d.id); refresh(); },
    onError: (e) => applyError(form, e, t, ["name", "parent_id", "manager_id"], (m) => message.error(m)),
  });
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/v1/departments/{dept_id}", { params: { path: { dept_id: id } } })),
    onSuccess: () => { message.success(t("common.deleted")); setSelected(null); refresh(); },
    onError: (e) => message.error(e instanceof ApiError && (e.code === "department_in_use" || e.code === "department_has_children") ? t(`org.${e.code}`) : errorMessage(e)),
  });
  const move = useMutation({
    mutationFn: ({ userId, deptId }: { userId: string; deptId: string | null }) =>
      unwrap(api.PATCH("/api/v1/users/{user_id}", { params: { path: { user_id: userId } }, body: { department_id: deptId } })),
    onSuccess: () => { message.success(t("common.saved")); refresh(); },
    onError: (e) => message.error(errorMessage(e)),
  });

  const open = (id: string | null, parent: string | null) => {
    const d = id ? list.find((x) => x.id === id) : undefined;
    form.setFieldsValue({ name: d?.name ?? "", parent_id: d ? d.parent_id : parent, manager_id: d?.manager_id ?? null });
    setEditing({ id, parent });
  };
  if (depts.isError) return <LoadError error={depts.error} />;
  return (
    <Card size="small" title={<Space><ApartmentOutlined />{t("org.departments")}</Space>} loading={depts.isLoading}
      extra={<Button size="small" icon={<PlusOutlined />} onClick={() => open(null, null)}>{t("org.addDept")}</Button>}>
      <Flex gap={16} wrap>
        <div style={{ flex: "1 1 240px", minWidth: 0 }} data-testid="dept-tree">
          {tree.length ? (
            <Tree showLine defaultExpandAll blockNode selectedKeys={selected ? [selected] : []} onSelect={(keys) => setSelected(keys.length ? String(keys[0]) : null)}
              treeData={treeOptions(tree)} titleRender={(n) => {
                const node = n as { key: string; title: string };
                return <span>{node.title} <Typography.Text type="secondary">({counts.get(node.key) ?? 0})</Typography.Text></span>;
              }} />
          ) : <Empty description={t("org.noDepts")} />}
        </div>
        <div style={{ flex: "2 1 320px", minWidth: 0 }}>
          {current ? (
            <Space orientation="vertical" style={{ width: "100%" }}>
              <Descriptions size="small" column={1} items={[
                { key: "path", label: t("org.path"), children: pathOf(list, current.id).join(" / ") },
                { key: "manager", label: t("org.manager"), children: current.manager_id ? names.get(current.manager_id) ?? current.manager_id.slice(0, 8) : t("common.none") },
              ]} />
              <Space wrap>
                <Button size="small" onClick={() => open(current.id, current.parent_id)}>{t("common.edit")}</Button>
                <Button size="small" icon={<PlusOutlined />} onClick={() => open(null, current.id)}>{t("org.addChild")}</Button>
                <Popconfirm title={t("org.confirmDeleteDept", { name: current.name })} onConfirm={() => remove.mutate(current.id)} okText={t("common.delete")} cancelText={t("common.cancel")}>
                  <Button size="small" danger>{t("common.delete")}</Button>
                </Popconfirm>
              </Space>
              <Typography.Text strong>{t("org.members", { count: members.length })}</Typography.Text>
              <Space wrap size={[4, 4]}>
                {members.map((u) => (
                  <Tag key={u.id} closable onClose={(e) => { e.preventDefault(); move.mutate({ userId: u.id, deptId: null }); }} closeIcon={<span aria-label={t("org.removeMember", { name: u.name })}>×</span>}>
                    {u.name}{current.manager_id === u.id ? ` · ${t("org.manager")}` : ""}
                  </Tag>
                ))}
              </Space>
              <Select showSearch={{ optionFilterProp: "label" }} placeholder={t("org.addMember")} aria-label={t("org.addMember")} style={{ width: "100%", maxWidth: 360 }} value={null}
                options={userOptions(allUsers.filter((u) => u.department_id !== current.id))}
                onChange={(userId: string | null) => { if (userId) move.mutate({ userId, deptId: current.id }); }} />
            </Space>
          ) : <Typography.Text type="secondary">{t("org.pickDept")}</Typography.Text>}
        </div>
      </Flex>
      <Modal open={editing !== null} title={editing?.id ? t("org.editDept") : t("org.addDept")} onCancel={() => setEditing(null)} onOk={() => form.submit()}
        confirmLoading={save.isPending} okText={t("common.save")} cancelText={t("common.cancel")} forceRender>
        <Form<DeptForm> form={form} name="department" layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item name="name" label={t("org.deptName")} rules={[{ required: true, whitespace: true, message: t("fieldErrors.required") }]}><Input maxLength={200} /></Form.Item>
          <Form.Item name="parent_id" label={t("org.parent")}>
            <TreeSelect allowClear treeDefaultExpandAll placeholder={t("org.topLevel")}
              treeData={treeOptions(tree, editing?.id ? subtreeIds(list, editing.id) : new Set())} />
          </Form.Item>
          <Form.Item name="manager_id" label={t("org.manager")}><Select allowClear showSearch={{ optionFilterProp: "label" }} options={userOptions(allUsers)} /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

interface TeamForm { name: string; description?: string; lead_id?: string | null; member_ids: string[] }

function Teams() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const teams = useQuery({ queryKey: TEAMS_KEY, queryFn: () => unwrap(api.GET("/api/v1/teams", { params: { query: { limit: 500 } } })) });
  const users = useAdminUsers();
  const allUsers = users.data?.data ?? [];
  const names = new Map(allUsers.map((u) => [u.id, u.name]));
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const [form] = Form.useForm<TeamForm>();
  const save = useMutation({
    mutationFn: async (v: TeamForm) => {
      const body = { name: v.name.trim(), description: v.description?.trim() || null, lead_id: v.lead_id ?? null };
      const team = editing && editing !== "new"
        ? await unwrap(api.PATCH("/api/v1/teams/{team_id}", { params: { path: { team_id: editing } }, body }))
        : await unwrap(api.POST("/api/v1/teams", { body }));
      return unwrap(api.PUT("/api/v1/teams/{team_id}/members", { params: { path: { team_id: team.id } }, body: { user_ids: v.member_ids ?? [] } }));
    },
    onSuccess: () => { message.success(t("common.saved")); setEditing(null); void queryClient.invalidateQueries({ queryKey: TEAMS_KEY }); },
    onError: (e) => applyError(form, e, t, ["name", "description", "lead_id", "user_ids"], (m) => message.error(m)),
  });
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/v1/teams/{team_id}", { params: { path: { team_id: id } } })),
    onSuccess: () => { message.success(t("common.deleted")); void queryClient.invalidateQueries({ queryKey: TEAMS_KEY }); },
    onError: (e) => message.error(errorMessage(e)),
  });
  const open = (team: Team | null) => {
    form.setFieldsValue({ name: team?.name ?? "", description: team?.description ?? "", lead_id: team?.lead_id ?? null, member_ids: team?.member_ids ?? [] });
    setEditing(team?.id ?? "new");
  };
  if (teams.isError) return <LoadError error={teams.error} />;
  return (
    <Card size="small" title={t("org.teams")} extra={<Button size="small" icon={<PlusOutlined />} onClick={() => open(null)}>{t("org.addTeam")}</Button>}>
      <Table<Team>
        rowKey="id" size="small" loading={teams.isLoading} dataSource={teams.data?.data ?? []} pagination={false} scroll={{ x: "max-content" }}
        columns={[
          { key: "name", title: t("org.teamName"), render: (_, tm) => <Typography.Link onClick={() => open(tm)}>{tm.name}</Typography.Link> },
          { key: "lead", title: t("org.lead"), render: (_, tm) => (tm.lead_id ? names.get(tm.lead_id) ?? "" : t("common.none")) },
          { key: "members", title: t("org.memberList"), render: (_, tm) => <Space wrap size={[4, 4]}>{tm.member_ids.map((id) => <Tag key={id}>{names.get(id) ?? id.slice(0, 8)}</Tag>)}</Space> },
          {
            key: "actions", title: t("common.actions"), width: 130,
            render: (_, tm) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => open(tm)}>{t("common.edit")}</Button>
                <Popconfirm title={t("org.confirmDeleteTeam", { name: tm.name })} onConfirm={() => remove.mutate(tm.id)} okText={t("common.delete")} cancelText={t("common.cancel")}>
                  <Button type="link" size="small" danger>{t("common.delete")}</Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <Modal open={editing !== null} title={editing === "new" ? t("org.addTeam") : t("org.editTeam")} onCancel={() => setEditing(null)} onOk={() => form.submit()}
        confirmLoading={save.isPending} okText={t("common.save")} cancelText={t("common.cancel")} forceRender>
        <Form<TeamForm> form={form} name="team" layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item name="name" label={t("org.teamName")} rules={[{ required: true, whitespace: true, message: t("fieldErrors.required") }]}><Input maxLength={200} /></Form.Item>
          <Form.Item name="description" label={t("roles.description")}><Input.TextArea rows={2} maxLength={1000} /></Form.Item>
          <Form.Item name="lead_id" label={t("org.lead")}><Select allowClear showSearch={{ optionFilterProp: "label" }} options={userOptions(allUsers)} /></Form.Item>
          <Form.Item name="member_ids" label={t("org.memberList")}><Select mode="multiple" showSearch={{ optionFilterProp: "label" }} options={userOptions(allUsers)} /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
