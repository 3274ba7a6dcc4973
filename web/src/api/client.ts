/**
 * The API client. Typed endpoints go through `api` (openapi-fetch over the generated schema); the generic
 * record endpoints (`/api/v1/{entity}`) are reached through `request`, because their paths are per entity.
 * Both use the session cookie and echo the CSRF cookie on unsafe requests, as lingxi/auth expects.
 */
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];
export type FieldMeta = Schemas["FieldOut"];
export type EntityMeta = Schemas["EntityOut"];
export type LayoutMeta = Schemas["LayoutOut"];
export type MeResponse = Schemas["MeResponse"];
export type SearchHit = Schemas["SearchHit"];
export type LoginResponse = Schemas["LoginResponse"];
export type JobOut = Schemas["JobOut"];
export type ImportReport = Schemas["ImportReport"];

export const CSRF_COOKIE = "lingxi_csrf";
export const CSRF_HEADER = "x-csrf-token";
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function readCookie(name: string, cookies: string = document.cookie): string | null {
  for (const part of cookies.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

/** A failed API call, carrying the typed error body `{"error": {"code", "message", "details"}}`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details: unknown) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }

  static async fromResponse(response: Response): Promise<ApiError> {
    let body: unknown = null;
    try {
      body = await response.clone().json();
    } catch {
      body = null;
    }
    return ApiError.fromBody(response.status, body);
  }

  static fromBody(status: number, body: unknown): ApiError {
    if (body && typeof body === "object" && "error" in body) {
      const error = (body as { error: unknown }).error;
      if (error && typeof error === "object") {
        const e = error as { code?: unknown; message?: unknown; details?: unknown };
        return new ApiError(
          status,
          typeof e.code === "string" ? e.code : "http_error",
          typeof e.message === "string" ? e.message : `HTTP ${status}`,
          e.details ?? null,
        );
      }
    }
    return new ApiError(status, status === 0 ? "network_error" : "http_error", `HTTP ${status}`, null);
  }
}

/** Listeners told when a request comes back 401 (the session ended), so the app can return to sign-in. */
const unauthenticatedListeners = new Set<(error: ApiError) => void>();
export function onUnauthenticated(listener: (error: ApiError) => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}
function notifyUnauthenticated(error: ApiError, path: string): void {
  if (path.endsWith("/auth/login")) return;
  for (const listener of unauthenticatedListeners) listener(error);
}

function csrfHeaders(method: string): Record<string, string> {
  if (!UNSAFE.has(method.toUpperCase())) return {};
  const token = readCookie(CSRF_COOKIE);
  return token ? { [CSRF_HEADER]: token } : {};
}

const authMiddleware: Middleware = {
  onRequest({ request }) {
    for (const [key, value] of Object.entries(csrfHeaders(request.method))) request.headers.set(key, value);
    return request;
  },
  async onResponse({ response, request }) {
    if (response.status === 401) notifyUnauthenticated(await ApiError.fromResponse(response), new URL(request.url).pathname);
    return response;
  },
};

export const api = createClient<paths>({
  baseUrl: typeof location === "undefined" ? "" : location.origin,
  credentials: "same-origin",
  fetch: (input: Request) => globalThis.fetch(input), // looked up per call, so tests can stub it
});
api.use(authMiddleware);

/** Unwrap an openapi-fetch result: the data, or throw the ApiError. */
export async function unwrap<T>(
  promise: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await promise;
  if (!response.ok || error !== undefined) throw ApiError.fromBody(response.status, error);
  return data as T;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** A JSON request to a path under /api/v1 that the generated types cannot name statically. */
export async function request<T>(
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE",
  path: string,
  options: { query?: Query; body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<T> {
  const url = withQuery(`/api/v1${path}`, options.query);
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      credentials: "same-origin",
      signal: options.signal,
      headers: {
        accept: "application/json",
        ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
        ...csrfHeaders(method),
        ...options.headers,
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
    throw new ApiError(0, "network_error", "network error", null);
  }
  if (!response.ok) {
    const error = await ApiError.fromResponse(response);
    if (response.status === 401) notifyUnauthenticated(error, url);
    throw error;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** A multipart upload to a path under /api/v1 (attachments, imports); JSON comes back. */
export async function upload<T>(path: string, form: FormData): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, { method: "POST", credentials: "same-origin", headers: { accept: "application/json", ...csrfHeaders("POST") }, body: form });
  } catch {
    throw new ApiError(0, "network_error", "network error", null);
  }
  if (!response.ok) {
    const error = await ApiError.fromResponse(response);
    if (response.status === 401) notifyUnauthenticated(error, path);
    throw error;
  }
  return (await response.json()) as T;
}

/** Fetch a file under /api/v1 and hand it to the browser as a download named by the server. */
export async function download(path: string, fallbackName: string): Promise<string> {
  const response = await fetch(`/api/v1${path}`, { credentials: "same-origin" });
  if (!response.ok) throw await ApiError.fromResponse(response);
  const name = filenameFrom(response.headers.get("content-disposition")) ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

/** The file name of a Content-Disposition header, preferring the UTF-8 `filename*` form. */
export function filenameFrom(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      /* fall through to the plain name */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(header);
  return plain?.[1]?.trim() ?? null;
}
