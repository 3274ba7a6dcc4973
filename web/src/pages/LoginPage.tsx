import { Alert, Button, Card, Form, Input, Radio, Space, Typography } from "antd";
import { LockOutlined, MailOutlined, SafetyOutlined } from "@ant-design/icons";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useLocation, useNavigate } from "react-router";
import { api, unwrap } from "../api/client";
import { nextStep, type LoginStep } from "../modules/auth/loginFlow";
import { useSession } from "../modules/auth/session";
import { LanguageSwitch } from "../app/LanguageSwitch";

interface Credentials {
  email: string;
  password: string;
}

export default function LoginPage() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [step, setStep] = useState<LoginStep>({ kind: "credentials" });
  const [credentials, setCredentials] = useState<Credentials | null>(null);
  const [tenant, setTenant] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const from = (location.state as { from?: string } | null)?.from ?? "/";

  if (session.me) return <Navigate to={from} replace />;

  const attempt = async (creds: Credentials, extra: { tenant?: string; otp?: string }) => {
    setBusy(true);
    setError(null);
    try {
      await unwrap(api.POST("/api/v1/auth/login", { body: { email: creds.email, password: creds.password, tenant: extra.tenant ?? null, otp: extra.otp ?? null } }));
      await session.refresh();
      navigate(from, { replace: true });
    } catch (failure) {
      const outcome = nextStep(failure, step, t, (iso) => dayjs(iso).format("YYYY-MM-DD HH:mm"));
      setStep(outcome.step);
      setError(outcome.error);
    } finally {
      setBusy(false);
    }
  };

  const sessionNotice = !error && session.endedBecause ? t(`login.errors.${session.endedBecause}`, { defaultValue: t("login.errors.session_invalid") }) : null;

  return (
    <div className="login-page">
      <div className="login-lang"><LanguageSwitch /></div>
      <Card className="login-card">
        <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
          <div>
            <Typography.Title level={3} style={{ marginBottom: 4 }}>{t("login.title")}</Typography.Title>
            <Typography.Text type="secondary">{t("login.subtitle")}</Typography.Text>
          </div>
          {sessionNotice ? <Alert type="warning" showIcon title={sessionNotice} /> : null}
          {error ? <Alert type="error" showIcon title={error} role="alert" /> : null}
          {step.kind === "credentials" ? (
            <Form<Credentials>
              name="login"
              layout="vertical"
              requiredMark={false}
              initialValues={credentials ?? undefined}
              onFinish={(values) => {
                setCredentials(values);
                void attempt(values, { tenant });
              }}
            >
              <Form.Item name="email" label={t("login.email")} rules={[{ required: true, message: t("login.emailRequired") }]}>
                <Input prefix={<MailOutlined />} autoComplete="username" type="email" autoFocus />
              </Form.Item>
              <Form.Item name="password" label={t("login.password")} rules={[{ required: true, message: t("login.passwordRequired") }]}>
                <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
              </Form.Item>
              <Button type="primary" htmlType="submit" block loading={busy}>{t("login.submit")}</Button>
            </Form>
          ) : null}
          {step.kind === "otp" && credentials ? (
            <Form<{ otp: string }> name="otp" layout="vertical" requiredMark={false} onFinish={(v) => void attempt(credentials, { tenant, otp: v.otp.trim() })}>
              <Typography.Paragraph type="secondary">{t("login.otpHint")}</Typography.Paragraph>
              <Form.Item name="otp" label={t("login.otp")} rules={[{ required: true, message: t("login.otpRequired") }]}>
                <Input prefix={<SafetyOutlined />} autoComplete="one-time-code" inputMode="numeric" autoFocus maxLength={64} />
              </Form.Item>
              <Space>
                <Button type="primary" htmlType="submit" loading={busy}>{t("login.otpSubmit")}</Button>
                <Button onClick={() => { setStep({ kind: "credentials" }); setError(null); }}>{t("login.back")}</Button>
              </Space>
            </Form>
          ) : null}
          {step.kind === "tenant" && credentials ? (
            <Form<{ tenant: string }> name="tenant" layout="vertical" requiredMark={false} onFinish={(v) => { setTenant(v.tenant); void attempt(credentials, { tenant: v.tenant }); }}>
              <Typography.Paragraph type="secondary">{t("login.tenantHint")}</Typography.Paragraph>
              <Form.Item name="tenant" label={t("login.tenant")} rules={[{ required: true, message: t("login.tenantRequired") }]}>
                <Radio.Group options={step.tenants.map((x) => ({ value: x.slug, label: `${x.name} (${x.slug})` }))} />
              </Form.Item>
              <Space>
                <Button type="primary" htmlType="submit" loading={busy}>{t("login.tenantSubmit")}</Button>
                <Button onClick={() => { setStep({ kind: "credentials" }); setTenant(undefined); setError(null); }}>{t("login.back")}</Button>
              </Space>
            </Form>
          ) : null}
        </Space>
      </Card>
    </div>
  );
}
