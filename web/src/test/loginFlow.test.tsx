import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { App as AntApp } from "antd";
import { createMemoryRouter, RouterProvider } from "react-router";
import i18n from "../i18n";
import { ApiError } from "../api/client";
import { nextStep } from "../modules/auth/loginFlow";
import { SessionProvider } from "../modules/auth/session";
import LoginPage from "../pages/LoginPage";

describe("login steps", () => {
  const t = i18n.t;
  const fmt = (iso: string) => iso.slice(0, 10);
  it("asks for the code, the tenant, and explains lockouts", async () => {
    await i18n.changeLanguage("en");
    expect(nextStep(new ApiError(401, "otp_required", "", null), { kind: "credentials" }, t, fmt).step).toEqual({ kind: "otp" });
    const tenant = nextStep(new ApiError(409, "tenant_required", "", { tenants: [{ slug: "a", name: "A" }, { slug: "b" }] }), { kind: "credentials" }, t, fmt);
    expect(tenant.step).toEqual({ kind: "tenant", tenants: [{ slug: "a", name: "A" }, { slug: "b", name: "b" }] });
    const locked = nextStep(new ApiError(423, "account_locked", "", { locked_until: "2030-01-02T03:04:05Z" }), { kind: "otp" }, t, fmt);
    expect(locked).toEqual({ step: { kind: "credentials" }, error: "Too many failed sign-ins: the account is locked until 2030-01-02." });
    expect(nextStep(new ApiError(401, "invalid_otp", "", null), { kind: "otp" }, t, fmt).error).toBe("The code is wrong or has expired.");
  });
});

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

describe("LoginPage", () => {
  beforeAll(() => {
    Object.defineProperty(window, "matchMedia", {
      writable: true,
      value: (query: string) => ({ matches: false, media: query, onchange: null, addListener: () => {}, removeListener: () => {}, addEventListener: () => {}, removeEventListener: () => {}, dispatchEvent: () => false }),
    });
  });

  it("goes through the TOTP step and signs in", async () => {
    await i18n.changeLanguage("en");
    const calls: { url: string; body: unknown }[] = [];
    let signedIn = false;
    vi.stubGlobal("fetch", vi.fn(async (input: Request | string) => {
      const request = input instanceof Request ? input : new Request(String(input));
      const url = new URL(request.url, "http://x").pathname;
      if (url.endsWith("/ui/session")) return json(200, { me: signedIn ? { user: { id: "u", name: "Ann" } } : null, reason: null });
      const body = await request.clone().json() as { otp?: string | null };
      calls.push({ url, body });
      if (!body.otp) return json(401, { error: { code: "otp_required", message: "code", details: null } });
      signedIn = true;
      return json(200, { access_token: "t" });
    }));
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const router = createMemoryRouter([{ path: "/login", element: <LoginPage /> }, { path: "/", element: <p>home page</p> }], { initialEntries: ["/login"] });
    render(<QueryClientProvider client={client}><SessionProvider><AntApp><RouterProvider router={router} /></AntApp></SessionProvider></QueryClientProvider>);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("Email"), "ann@x.test");
    await user.type(screen.getByLabelText("Password"), "pw");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    await user.type(await screen.findByLabelText("Verification code"), "123456");
    await user.click(screen.getByRole("button", { name: "Verify" }));
    await waitFor(() => expect(screen.getByText("home page")).toBeInTheDocument());
    expect(calls.map((c) => (c.body as { otp?: string | null }).otp ?? null)).toEqual([null, "123456"]);
    vi.unstubAllGlobals();
  }, 60_000);
});
