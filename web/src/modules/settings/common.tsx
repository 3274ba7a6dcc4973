/** Bits every settings panel shares: the load-error state (403 shown as "not allowed", not as a failure)
 * and the drawer width that fills a phone. */
import { Alert, Grid, Result } from "antd";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/client";
import { errorMessage } from "../records/values";

export function isForbidden(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403;
}

export function LoadError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (isForbidden(error)) return <Result status="403" title={t("app.forbidden")} subTitle={errorMessage(error)} />;
  return <Alert type="error" showIcon title={t("common.loadFailed", { message: errorMessage(error) })} />;
}

/** A drawer as wide as `desktop` pixels, or the whole screen on a phone. */
export function useDrawerWidth(desktop: number): number | string {
  const screens = Grid.useBreakpoint();
  return screens.md === false ? "100%" : desktop;
}
