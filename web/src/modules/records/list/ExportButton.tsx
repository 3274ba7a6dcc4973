import { App, Button, Dropdown } from "antd";
import { DownloadOutlined } from "@ant-design/icons";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { jobs, waitForJob } from "../../../api/jobs";
import type { FilterSpec } from "../../../api/records";
import { isEnglish } from "../../../i18n";
import { errorMessage } from "../values";

interface Props {
  entity: string;
  filter: FilterSpec;
  sort: string;
}

/** Starts an export job for what the list shows (filter and sort), waits for it and downloads the file. */
export function ExportButton({ entity, filter, sort }: Props) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);

  const run = async (format: "csv" | "xlsx") => {
    setBusy(true);
    const key = "export";
    message.open({ key, type: "loading", content: t("dataio.exporting"), duration: 0 });
    try {
      const accepted = await jobs.startExport(entity, { format, filter, sort }, isEnglish(i18n.language) ? "en" : "zh");
      const job = await waitForJob(() => jobs.get(accepted.job_id), {
        onProgress: (j) => message.open({ key, type: "loading", content: t("dataio.exportProgress", { count: j.progress }), duration: 0 }),
      });
      if (job.status !== "succeeded") throw new Error(job.error ?? job.status);
      await jobs.downloadExport(job.id, `${entity}.${format}`);
      message.open({ key, type: "success", content: t("dataio.exported", { count: Number(job.result.rows ?? 0) }) });
    } catch (error) {
      message.open({ key, type: "error", content: t("dataio.exportFailed", { message: errorMessage(error) }) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dropdown
      disabled={busy}
      trigger={["click"]}
      menu={{ items: [{ key: "csv", label: "CSV" }, { key: "xlsx", label: "Excel (XLSX)" }], onClick: ({ key }) => void run(key as "csv" | "xlsx") }}
    >
      <Button icon={<DownloadOutlined />} loading={busy} data-testid="export-button">{t("dataio.export")}</Button>
    </Dropdown>
  );
}
