import { App, Button, DatePicker, Form, Input, InputNumber, Modal, Radio, Result, Space, Steps, Switch } from "antd";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { api, unwrap } from "../../api/client";
import type { RecordRow } from "../../api/records";
import { LookupSelect } from "./LookupSelect";
import { errorMessage } from "./values";

interface Props {
  lead: RecordRow;
  open: boolean;
  onClose: () => void;
}

interface Values {
  accountMode: "new" | "existing";
  account_id?: string | null;
  create_opportunity: boolean;
  opportunity_name?: string;
  amount?: number | null;
  close_date?: Dayjs | null;
}

/** The lead conversion wizard: account (new or existing), then the opportunity, then links to the results. */
export function ConvertLead({ lead, open, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [step, setStep] = useState(0);
  const [form] = Form.useForm<Values>();
  const accountMode = Form.useWatch("accountMode", form);
  const createOpportunity = Form.useWatch("create_opportunity", form);

  const convert = useMutation({
    mutationFn: (v: Values) =>
      unwrap(
        api.POST("/api/v1/leads/{lead_id}/convert", {
          params: { path: { lead_id: lead.id } },
          body: {
            account_id: v.accountMode === "existing" ? (v.account_id ?? null) : null,
            create_opportunity: v.create_opportunity,
            opportunity_name: v.create_opportunity ? v.opportunity_name?.trim() || null : null,
            amount: v.create_opportunity ? (v.amount ?? null) : null,
            close_date: v.create_opportunity && v.close_date ? v.close_date.format("YYYY-MM-DD") : null,
          },
        }),
      ),
    onSuccess: () => {
      setStep(2);
      void queryClient.invalidateQueries({ queryKey: ["records"] });
      void queryClient.invalidateQueries({ queryKey: ["record", "leads", lead.id] });
    },
    onError: (error) => message.error(t("common.saveFailed", { message: errorMessage(error) })),
  });
  const result = convert.data;
  const go = (path: string) => { onClose(); navigate(path); };

  return (
    <Modal open={open} onCancel={onClose} title={t("convert.title")} footer={null} destroyOnHidden width={560}>
      <Steps size="small" current={step} style={{ marginBottom: 16 }} items={[{ title: t("convert.step1") }, { title: t("convert.step2") }, { title: t("convert.step3") }]} />
      <Form<Values>
        form={form}
        name="convert_lead"
        layout="vertical"
        initialValues={{ accountMode: "new", create_opportunity: true, opportunity_name: String(lead.company ?? lead.name ?? "") }}
        onFinish={(v) => convert.mutate(v)}
        preserve
      >
        <div style={{ display: step === 0 ? "block" : "none" }}>
          <Form.Item name="accountMode">
            <Radio.Group orientation="vertical" options={[{ value: "new", label: t("convert.newAccount") }, { value: "existing", label: t("convert.existingAccount") }]} />
          </Form.Item>
          {accountMode === "existing" ? (
            <Form.Item name="account_id" label={t("convert.account")} rules={[{ required: true, message: t("fieldErrors.required") }]}>
              <LookupSelect entity="accounts" />
            </Form.Item>
          ) : null}
          <Button type="primary" onClick={() => void form.validateFields(["account_id"]).then(() => setStep(1))}>{t("convert.next")}</Button>
        </div>
        <div style={{ display: step === 1 ? "block" : "none" }}>
          <Form.Item name="create_opportunity" label={t("convert.createOpportunity")} valuePropName="checked">
            <Switch />
          </Form.Item>
          {createOpportunity ? (
            <>
              <Form.Item name="opportunity_name" label={t("convert.opportunityName")}>
                <Input maxLength={200} />
              </Form.Item>
              <Form.Item name="amount" label={t("convert.amount")}>
                <InputNumber min={0} style={{ width: "100%" }} />
              </Form.Item>
              <Form.Item name="close_date" label={t("convert.closeDate")}>
                <DatePicker style={{ width: "100%" }} />
              </Form.Item>
            </>
          ) : null}
          <Space>
            <Button onClick={() => setStep(0)}>{t("convert.prev")}</Button>
            <Button type="primary" htmlType="submit" loading={convert.isPending}>{t("convert.submit")}</Button>
          </Space>
        </div>
      </Form>
      {step === 2 && result ? (
        <Result
          status="success"
          title={t("convert.done")}
          extra={
            <Space wrap>
              <Button onClick={() => go(`/r/accounts/${result.account_id}`)}>{t("convert.openAccount")}</Button>
              <Button onClick={() => go(`/r/contacts/${result.contact_id}`)}>{t("convert.openContact")}</Button>
              {result.opportunity_id ? <Button type="primary" onClick={() => go(`/r/opportunities/${result.opportunity_id}`)}>{t("convert.openOpportunity")}</Button> : null}
            </Space>
          }
        />
      ) : null}
    </Modal>
  );
}
