import { App as AntApp, ConfigProvider, theme } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useEffect, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { RouterProvider } from "react-router/dom";
import { ApiError } from "../api/client";
import { SessionProvider } from "../modules/auth/session";
import { DEFAULT_PRIMARY, useBranding } from "./branding";
import { router } from "./routes";

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

function Themed({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const branding = useBranding();
  const english = i18n.language === "en";
  useEffect(() => {
    dayjs.locale(english ? "en" : "zh-cn");
    document.title = branding.name ?? (english ? "Lingxi CRM" : "灵犀 CRM");
  }, [english, branding.name]);
  return (
    <ConfigProvider
      locale={english ? enUS : zhCN}
      theme={{ algorithm: theme.defaultAlgorithm, token: { colorPrimary: branding.primaryColor ?? DEFAULT_PRIMARY, borderRadius: 6 } }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <Themed>
          <RouterProvider router={router} />
        </Themed>
      </SessionProvider>
    </QueryClientProvider>
  );
}
