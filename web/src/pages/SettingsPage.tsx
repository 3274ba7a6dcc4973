import { Tabs, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";
import { useSession } from "../modules/auth/session";
import { AuditLog } from "../modules/settings/AuditLog";
import { BrandingSettings, CustomFields, SecuritySettings, UsersSettings } from "../modules/settings/panels";

export default function SettingsPage() {
  const { t } = useTranslation();
  const { tab = "profile" } = useParams();
  const navigate = useNavigate();
  const { me } = useSession();
  const admin = Boolean(me?.is_admin);
  const items = [
    { key: "profile", label: t("settings.profile"), children: <SecuritySettings /> },
    ...(admin
      ? [
          { key: "users", label: t("settings.users"), children: <UsersSettings /> },
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
