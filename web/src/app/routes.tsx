import { Button, Result, Spin } from "antd";
import { lazy, Suspense, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { createBrowserRouter, Navigate, useLocation, useNavigate, useRouteError } from "react-router";
import { useSession } from "../modules/auth/session";
import { errorMessage } from "../modules/records/values";
import { Shell } from "./Shell";

// Each page is its own chunk: the sign-in page loads no record, chart or board code.
const LoginPage = lazy(() => import("../pages/LoginPage"));
const WorkbenchPage = lazy(() => import("../pages/WorkbenchPage"));
const RecordListPage = lazy(() => import("../pages/RecordListPage"));
const RecordDetailPage = lazy(() => import("../pages/RecordDetailPage"));
const RecordCreatePage = lazy(() => import("../pages/RecordCreatePage"));
const PipelinePage = lazy(() => import("../pages/PipelinePage"));
const CalendarPage = lazy(() => import("../pages/CalendarPage"));
const SettingsPage = lazy(() => import("../pages/SettingsPage"));

function Loading() {
  return <div className="page-loading"><Spin /></div>;
}

function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.isLoading) return <Loading />;
  if (!session.me) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

function RouteError() {
  const error = useRouteError();
  const { t } = useTranslation();
  return <Result status="error" title={t("app.error")} subTitle={errorMessage(error)} extra={<Button href="/">{t("app.home")}</Button>} />;
}

export function NotFound() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return <Result status="404" title={t("app.notFound")} subTitle={t("app.notFoundHint")} extra={<Button type="primary" onClick={() => navigate("/")}>{t("app.home")}</Button>} />;
}

export const router = createBrowserRouter([
  { path: "/login", element: <Suspense fallback={<Loading />}><LoginPage /></Suspense>, errorElement: <RouteError /> },
  {
    path: "/",
    element: <RequireSession><Shell /></RequireSession>,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <WorkbenchPage /> },
      { path: "pipeline", element: <PipelinePage /> },
      { path: "calendar", element: <CalendarPage /> },
      { path: "settings", element: <SettingsPage /> },
      { path: "settings/:tab", element: <SettingsPage /> },
      { path: "r/:entity", element: <RecordListPage /> },
      { path: "r/:entity/new", element: <RecordCreatePage /> },
      { path: "r/:entity/:id", element: <RecordDetailPage /> },
      { path: "*", element: <NotFound /> },
    ],
  },
]);
