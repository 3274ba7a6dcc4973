/** The steps of signing in, decided from the login endpoint's typed errors. */
import type { TFunction } from "i18next";
import { ApiError } from "../../api/client";

export type LoginStep =
  | { kind: "credentials" }
  | { kind: "otp" }
  | { kind: "tenant"; tenants: { slug: string; name: string }[] };

export interface LoginOutcome {
  step: LoginStep;
  error: string | null;
}

function tenantsOf(details: unknown): { slug: string; name: string }[] {
  if (!details || typeof details !== "object" || !("tenants" in details)) return [];
  const list = (details as { tenants: unknown }).tenants;
  if (!Array.isArray(list)) return [];
  return list
    .filter((t): t is { slug: string; name: string } => !!t && typeof t === "object" && typeof (t as { slug?: unknown }).slug === "string")
    .map((t) => ({ slug: t.slug, name: typeof t.name === "string" ? t.name : t.slug }));
}

/** What to show after a failed sign-in attempt made at step `current`. */
export function nextStep(error: unknown, current: LoginStep, t: TFunction, formatTime: (iso: string) => string): LoginOutcome {
  if (!(error instanceof ApiError)) return { step: current, error: t("login.errors.generic", { message: String(error) }) };
  const details = (error.details ?? {}) as Record<string, unknown>;
  switch (error.code) {
    case "otp_required":
      return { step: { kind: "otp" }, error: null };
    case "tenant_required":
      return { step: { kind: "tenant", tenants: tenantsOf(error.details) }, error: null };
    case "invalid_otp":
      return { step: { kind: "otp" }, error: t("login.errors.invalid_otp") };
    case "account_locked": {
      const until = typeof details.locked_until === "string" ? details.locked_until : null;
      return {
        step: { kind: "credentials" },
        error: until ? t("login.errors.account_locked", { until: formatTime(until) }) : t("login.errors.account_locked_plain"),
      };
    }
    case "rate_limited":
      return { step: current, error: t("login.errors.rate_limited", { seconds: Number(details.retry_after_seconds ?? 60) }) };
    case "invalid_credentials":
    case "account_disabled":
      return { step: { kind: "credentials" }, error: t(`login.errors.${error.code}`) };
    default:
      return { step: current, error: t("login.errors.generic", { message: error.message }) };
  }
}
