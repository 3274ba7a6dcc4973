/** The tenant's branding (name, logo, primary colour), applied live to the antd theme. */
import { useQuery } from "@tanstack/react-query";
import { request } from "../api/client";
import { useSession } from "../modules/auth/session";

export interface Branding {
  name: string | null;
  primaryColor: string | null;
  logoUrl: string | null;
}

interface UiBranding {
  tenant: string;
  tenant_name: string;
  name: string | null;
  primary_color: string | null;
  logo_url: string | null;
}

export const BRANDING_KEY = ["ui", "branding"] as const;
export const DEFAULT_PRIMARY = "#1677ff";

export function isColor(value: string | null | undefined): value is string {
  return typeof value === "string" && /^#[0-9a-fA-F]{6}$/.test(value);
}

export function useBranding(): Branding {
  const { me } = useSession();
  const query = useQuery({
    queryKey: BRANDING_KEY,
    queryFn: () => request<UiBranding>("GET", "/ui/branding"),
    enabled: Boolean(me),
    staleTime: 5 * 60_000,
  });
  const data = query.data;
  return {
    name: data?.name || data?.tenant_name || null,
    primaryColor: isColor(data?.primary_color) ? data.primary_color : null,
    logoUrl: data?.logo_url && data.logo_url.startsWith("https://") ? data.logo_url : null,
  };
}
