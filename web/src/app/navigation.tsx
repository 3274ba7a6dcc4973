import {
  AppstoreOutlined, CalendarOutlined, CustomerServiceOutlined, DashboardOutlined, FunnelPlotOutlined, NotificationOutlined,
  SettingOutlined, ShoppingCartOutlined, TeamOutlined, UserOutlined, BankOutlined, ScheduleOutlined,
} from "@ant-design/icons";
import type { ReactNode } from "react";

export interface NavItem {
  key: string;
  labelKey: string;
  icon?: ReactNode;
  path?: string;
  children?: NavItem[];
}

/** The modules of the navigation; paths are the routes in routes.tsx. */
export const NAVIGATION: NavItem[] = [
  { key: "workbench", labelKey: "nav.workbench", icon: <DashboardOutlined />, path: "/" },
  { key: "leads", labelKey: "nav.leads", icon: <FunnelPlotOutlined />, path: "/r/leads" },
  { key: "accounts", labelKey: "nav.accounts", icon: <BankOutlined />, path: "/r/accounts" },
  { key: "contacts", labelKey: "nav.contacts", icon: <UserOutlined />, path: "/r/contacts" },
  {
    key: "opportunities-group", labelKey: "nav.opportunities", icon: <TeamOutlined />,
    children: [
      { key: "pipeline", labelKey: "nav.pipeline", path: "/pipeline" },
      { key: "opportunities", labelKey: "nav.opportunityList", path: "/r/opportunities" },
    ],
  },
  {
    key: "activities-group", labelKey: "nav.activitiesGroup", icon: <ScheduleOutlined />,
    children: [
      { key: "activities", labelKey: "nav.activities", path: "/r/activities" },
      { key: "calendar", labelKey: "nav.calendar", icon: <CalendarOutlined />, path: "/calendar" },
    ],
  },
  { key: "tickets", labelKey: "nav.tickets", icon: <CustomerServiceOutlined />, path: "/r/tickets" },
  { key: "campaigns", labelKey: "nav.campaigns", icon: <NotificationOutlined />, path: "/r/campaigns" },
  {
    key: "sales-group", labelKey: "nav.salesGroup", icon: <ShoppingCartOutlined />,
    children: [
      { key: "products", labelKey: "nav.products", icon: <AppstoreOutlined />, path: "/r/products" },
      { key: "price_books", labelKey: "nav.priceBooks", path: "/r/price_books" },
      { key: "quotes", labelKey: "nav.quotes", path: "/r/quotes" },
      { key: "orders", labelKey: "nav.orders", path: "/r/orders" },
    ],
  },
  { key: "settings", labelKey: "nav.settings", icon: <SettingOutlined />, path: "/settings" },
];

/** The menu key of a location: the deepest navigation path that prefixes it. */
export function selectedKey(pathname: string, items: NavItem[] = NAVIGATION): string | undefined {
  let best: { key: string; length: number } | undefined;
  const visit = (list: NavItem[]) => {
    for (const item of list) {
      if (item.path) {
        const match = item.path === "/" ? pathname === "/" : pathname === item.path || pathname.startsWith(`${item.path}/`);
        if (match && (!best || item.path.length > best.length)) best = { key: item.key, length: item.path.length };
      }
      if (item.children) visit(item.children);
    }
  };
  visit(items);
  return best?.key;
}

export function parentKeys(key: string | undefined, items: NavItem[] = NAVIGATION): string[] {
  if (!key) return [];
  for (const item of items) if (item.children?.some((c) => c.key === key)) return [item.key];
  return [];
}

export function findItem(key: string, items: NavItem[] = NAVIGATION): NavItem | undefined {
  for (const item of items) {
    if (item.key === key) return item;
    const child = item.children ? findItem(key, item.children) : undefined;
    if (child) return child;
  }
  return undefined;
}
