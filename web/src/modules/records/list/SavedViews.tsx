import { App, Button, Checkbox, Dropdown, Form, Input, Modal, Space } from "antd";
import { DeleteOutlined, DownOutlined, SaveOutlined, StarFilled, StarOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { views, type SavedView } from "../../../api/views";
import { parseViewState, viewState, type ListState } from "../listState";
import { errorMessage, fieldErrors } from "../values";

interface Props {
  entity: string;
  state: ListState;
  onApply: (state: ListState) => void;
}

const viewsKey = (entity: string) => ["views", entity];

/** Pick, save, update and delete the user's saved views of a list; the default view opens with the list. */
export function SavedViews({ entity, state, onApply }: Props) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const [current, setCurrent] = useState<SavedView | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ name: string; is_default: boolean }>();
  const list = useQuery({ queryKey: viewsKey(entity), queryFn: () => views.list(entity), staleTime: 60_000 });
  const appliedDefault = useRef(false);

  useEffect(() => {
    if (appliedDefault.current || !list.data) return;
    appliedDefault.current = true;
    const initial = list.data.find((v) => v.is_default);
    if (initial) {
      setCurrent(initial);
      onApply(parseViewState(initial.state));
    }
  }, [list.data, onApply]);

  const refresh = () => void queryClient.invalidateQueries({ queryKey: viewsKey(entity) });
  const create = useMutation({
    mutationFn: (v: { name: string; is_default: boolean }) => views.create({ entity, name: v.name, is_default: v.is_default, state: viewState(state) }),
    onSuccess: (view) => { setCurrent(view); setSaving(false); form.resetFields(); message.success(t("views.saved")); refresh(); },
    onError: (e) => {
      const perField = fieldErrors(e, t, new Set(["name"] as const));
      if (perField.length) form.setFields(perField);
      else form.setFields([{ name: "name", errors: [errorMessage(e)] }]);
    },
  });
  const update = useMutation({
    mutationFn: (body: { id: string; state?: unknown; is_default?: boolean }) => views.update(body.id, body),
    onSuccess: (view) => { setCurrent(view); message.success(t("views.updated")); refresh(); },
    onError: (e) => message.error(errorMessage(e)),
  });
  const remove = useMutation({
    mutationFn: (id: string) => views.remove(id),
    onSuccess: () => { setCurrent(null); message.success(t("views.deleted")); refresh(); },
    onError: (e) => message.error(errorMessage(e)),
  });

  const items = [
    { key: "__all", label: t("views.all") },
    ...(list.data ?? []).map((v) => ({ key: v.id, label: <Space size={4}>{v.name}{v.is_default ? <StarFilled style={{ color: "#faad14" }} /> : null}</Space> })),
    { type: "divider" as const },
    { key: "__save", label: t("views.saveAs"), icon: <SaveOutlined /> },
    ...(current
      ? [
          { key: "__update", label: t("views.update", { name: current.name }), icon: <SaveOutlined /> },
          { key: "__default", label: current.is_default ? t("views.unsetDefault") : t("views.setDefault"), icon: current.is_default ? <StarOutlined /> : <StarFilled /> },
          { key: "__delete", label: t("views.delete", { name: current.name }), icon: <DeleteOutlined />, danger: true },
        ]
      : []),
  ];

  const onClick = ({ key }: { key: string }) => {
    if (key === "__all") { setCurrent(null); onApply(parseViewState({ pageSize: state.pageSize })); return; }
    if (key === "__save") { setSaving(true); return; }
    if (key === "__update" && current) { update.mutate({ id: current.id, state: viewState(state) }); return; }
    if (key === "__default" && current) { update.mutate({ id: current.id, is_default: !current.is_default }); return; }
    if (key === "__delete" && current) {
      modal.confirm({ title: t("views.confirmDelete", { name: current.name }), okButtonProps: { danger: true }, onOk: () => remove.mutateAsync(current.id) });
      return;
    }
    const view = list.data?.find((v) => v.id === key);
    if (view) { setCurrent(view); onApply(parseViewState(view.state)); }
  };

  return (
    <>
      <Dropdown menu={{ items, onClick, selectable: true, selectedKeys: [current?.id ?? "__all"] }} trigger={["click"]}>
        <Button data-testid="views-button" loading={list.isLoading}>
          <Space size={4}>{current?.name ?? t("views.all")}<DownOutlined /></Space>
        </Button>
      </Dropdown>
      <Modal open={saving} title={t("views.saveAs")} onCancel={() => setSaving(false)} onOk={() => form.submit()} okText={t("common.save")} confirmLoading={create.isPending} destroyOnHidden>
        <Form form={form} name="save_view" layout="vertical" initialValues={{ name: "", is_default: false }} onFinish={(v) => create.mutate({ name: v.name.trim(), is_default: v.is_default })}>
          <Form.Item name="name" label={t("views.name")} rules={[{ required: true, whitespace: true, message: t("fieldErrors.required") }, { max: 100 }]}>
            <Input maxLength={100} autoFocus />
          </Form.Item>
          <Form.Item name="is_default" valuePropName="checked"><Checkbox>{t("views.openByDefault")}</Checkbox></Form.Item>
        </Form>
      </Modal>
    </>
  );
}
