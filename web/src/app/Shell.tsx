import { Avatar, Button, Drawer, Dropdown, Grid, Layout, Menu, Space, Spin, Typography, type MenuProps } from "antd";
import { BellOutlined, LogoutOutlined, MenuOutlined, SearchOutlined, SettingOutlined, UserOutlined } from "@ant-design/icons";
import { lazy, Suspense, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Outlet, useLocation, useNavigate } from "react-router";
import { useSession } from "../modules/auth/session";
import { GlobalSearch } from "./GlobalSearch";
import { LanguageSwitch } from "./LanguageSwitch";
import { NAVIGATION, findItem, parentKeys, selectedKey, type NavItem } from "./navigation";
import { useBranding } from "./branding";

// The bell (badge, popover, live stream) is its own chunk; until it arrives a plain bell holds its place.
const NotificationBell = lazy(() => import("../modules/notifications/NotificationBell").then((m) => ({ default: m.NotificationBell })));

export function Shell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const session = useSession();
  const branding = useBranding();
  const screens = Grid.useBreakpoint();
  const mobile = screens.md === false;
  const [drawer, setDrawer] = useState(false);
  const [searchOpen, setSearchOpen] = useState(false);
  const selected = selectedKey(location.pathname);
  const [openKeys, setOpenKeys] = useState<string[]>(parentKeys(selected));

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "k") {
        e.preventDefault();
        setSearchOpen(true);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  useEffect(() => setDrawer(false), [location.pathname]);

  const items = useMemo<MenuProps["items"]>(() => {
    const toItem = (item: NavItem): NonNullable<MenuProps["items"]>[number] => ({
      key: item.key,
      icon: item.icon,
      label: t(item.labelKey),
      children: item.children?.map(toItem),
    });
    return NAVIGATION.map(toItem);
  }, [t]);

  const menu = (
    <Menu
      mode="inline"
      selectedKeys={selected ? [selected] : []}
      openKeys={openKeys}
      onOpenChange={setOpenKeys}
      items={items}
      onClick={({ key }) => {
        const path = findItem(key)?.path;
        if (path) navigate(path);
      }}
      style={{ borderInlineEnd: 0 }}
    />
  );
  const brandName = branding.name || t("app.name");
  const brand = (
    <div className="brand">
      {branding.logoUrl ? <img src={branding.logoUrl} alt="" height={24} /> : <span className="brand-mark">灵</span>}
      <span className="brand-name" data-testid="brand-name">{brandName}</span>
    </div>
  );

  const userMenu: MenuProps["items"] = [
    { key: "settings", icon: <SettingOutlined />, label: t("shell.profile"), onClick: () => navigate("/settings") },
    {
      key: "logout", icon: <LogoutOutlined />, label: t("shell.logout"),
      onClick: () => { void session.logout().then(() => navigate("/login", { replace: true })); },
    },
  ];

  return (
    <Layout style={{ minHeight: "100vh" }}>
      {mobile ? (
        <Drawer open={drawer} onClose={() => setDrawer(false)} placement="left" size={260} title={brand} styles={{ body: { padding: 0 } }}>
          {menu}
        </Drawer>
      ) : (
        <Layout.Sider width={224} theme="light" className="shell-sider" breakpoint="lg" collapsedWidth={64}>
          {brand}
          {menu}
        </Layout.Sider>
      )}
      <Layout>
        <Layout.Header className="shell-header">
          <Space size="small">
            {mobile ? <Button type="text" icon={<MenuOutlined />} aria-label={t("shell.openMenu")} onClick={() => setDrawer(true)} /> : null}
            {mobile ? brand : null}
          </Space>
          <Space size={mobile ? "small" : "middle"}>
            <Button icon={<SearchOutlined />} onClick={() => setSearchOpen(true)} aria-label={t("shell.search")}>
              {mobile ? null : <>{t("shell.search")} <Typography.Text type="secondary" keyboard>{t("shell.searchShortcut")}</Typography.Text></>}
            </Button>
            <Suspense fallback={<Button type="text" disabled icon={<BellOutlined style={{ fontSize: 18 }} />} aria-label={t("notifications.title")} />}>
              <NotificationBell />
            </Suspense>
            <LanguageSwitch />
            <Dropdown menu={{ items: userMenu }} trigger={["click"]}>
              <Button type="text" aria-label={t("shell.user")} data-testid="user-menu">
                <Avatar size="small" icon={<UserOutlined />} />
                {mobile ? null : <span style={{ marginInlineStart: 8 }}>{session.me?.user.name}</span>}
              </Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content className="shell-content">
          <Suspense fallback={<div className="page-loading"><Spin /></div>}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
      <GlobalSearch open={searchOpen} onClose={() => setSearchOpen(false)} />
    </Layout>
  );
}
