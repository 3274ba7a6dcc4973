/** Background jobs (export, import): start one, wait for it, fetch what it made. */
import { api, download, request, unwrap, upload, type ImportReport, type JobOut } from "./client";
import type { FilterSpec } from "./records";

export interface JobAccepted {
  job_id: string;
  status: string;
}

const DONE = new Set(["succeeded", "failed", "cancelled"]);

export function isFinished(job: Pick<JobOut, "status">): boolean {
  return DONE.has(job.status);
}

export interface WaitOptions {
  intervalMs?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (job: JobOut) => void;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Poll a job until it finishes (or the time runs out), backing off from `intervalMs` up to 2 s. */
export async function waitForJob(fetchJob: () => Promise<JobOut>, options: WaitOptions = {}): Promise<JobOut> {
  const { timeoutMs = 120_000, signal, onProgress, sleep = realSleep } = options;
  let interval = options.intervalMs ?? 300;
  let waited = 0;
  for (;;) {
    if (signal?.aborted) throw new DOMException("aborted", "AbortError");
    const job = await fetchJob();
    onProgress?.(job);
    if (isFinished(job)) return job;
    if (waited >= timeoutMs) throw new Error("job_timeout");
    await sleep(interval);
    waited += interval;
    interval = Math.min(2000, Math.round(interval * 1.5));
  }
}

export const jobs = {
  get: (id: string) => unwrap(api.GET("/api/v1/jobs/{job_id}", { params: { path: { job_id: id } } })),
  startExport: (entity: string, body: { format: "csv" | "xlsx"; filter?: FilterSpec; fields?: string[]; sort?: string }, lang: "zh" | "en") =>
    request<JobAccepted>("POST", `/${entity}/export`, { body, query: { lang } }),
  downloadExport: (jobId: string, fallbackName: string) => download(`/exports/${jobId}/download`, fallbackName),
  startImport: (entity: string, file: File, options: { dryRun: boolean; onDuplicate: "skip" | "merge" | "create" }) => {
    const form = new FormData();
    form.append("file", file);
    form.append("dry_run", String(options.dryRun));
    form.append("on_duplicate", options.onDuplicate);
    return upload<JobAccepted>(`/${entity}/import`, form);
  },
  importReport: (jobId: string, offset = 0, limit = 200) =>
    request<ImportReport>("GET", `/imports/${jobId}/report`, { query: { offset, limit } }),
};
