import { Spin, Tabs, Typography } from "antd";
import { lazy, Suspense, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";
import "../i18n/admin";
import { useSession } from "../modules/auth/session";
import { AuditLog } from "../modules/settings/AuditLog";
import { BrandingSettings, CustomFields, SecuritySettings, UsersSettings } from "../modules/settings/panels";

// The newer panels are chunks of their own: opening settings loads only the tab shown.
const RolesSettings = lazy(() => import("../modules/settings/roles/RolesSettings"));
const OrgSettings = lazy(() => import("../modules/settings/org/OrgSettings"));
const PipelinesSettings = lazy(() => import("../modules/settings/pipelines/PipelinesSettings"));
const TokensSettings = lazy(() => import("../modules/settings/tokens/TokensSettings"));

const later = (node: ReactNode) => <Suspense fallback={<div className="page-loading"><Spin /></div>}>{node}</Suspense>;

export default function SettingsPage() {
  const { t } = useTranslation();
  const { tab = "profile" } = useParams();
  const navigate = useNavigate();
  const { me } = useSession();
  const admin = Boolean(me?.is_admin);
  const items = [
    { key: "profile", label: t("settings.profile"), children: <SecuritySettings /> },
    { key: "tokens", label: t("settings.tokens"), children: later(<TokensSettings />) },
    ...(admin
      ? [
          { key: "users", label: t("settings.users"), children: <UsersSettings /> },
          { key: "roles", label: t("settings.roles"), children: later(<RolesSettings />) },
          { key: "org", label: t("settings.org"), children: later(<OrgSettings />) },
          { key: "pipelines", label: t("settings.pipelines"), children: later(<PipelinesSettings />) },
          { key: "fields", label: t("settings.fields"), children: <CustomFields /> },
          { key: "branding", label: t("settings.branding"), children: <BrandingSettings /> },
          { key: "audit", label: t("settings.audit"), children: <AuditLog /> },
        ]
      : []),
  ];
  return (
    <div>
      <div className="page-header"><Typography.Title level={4}>{t("settings.title")}</Typography.Title></div>
      <Tabs activeKey={items.some((i) => i.key === tab) ? tab : "profile"} items={items} onChange={(key) => navigate(`/settings/${key}`)} />
    </div>
  );
}
