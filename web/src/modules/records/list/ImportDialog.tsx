import { Alert, App, Button, Checkbox, Modal, Progress, Select, Space, Statistic, Table, Tag, Typography, Upload } from "antd";
import { InboxOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ImportReport } from "../../../api/client";
import { jobs, waitForJob } from "../../../api/jobs";
import { errorMessage } from "../values";
import { reportRows, type ReportRow } from "./importReport";

interface Props {
  entity: string;
  open: boolean;
  onClose: () => void;
}

type OnDuplicate = "skip" | "merge" | "create";

/** Upload a CSV/XLSX file, run the import job (optionally as a dry run) and show the per-row report. */
export function ImportDialog({ entity, open, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [dryRun, setDryRun] = useState(false);
  const [onDuplicate, setOnDuplicate] = useState<OnDuplicate>("skip");
  const [progress, setProgress] = useState<{ done: number; total: number | null } | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const running = progress !== null && report === null && error === null;

  const reset = () => {
    setFile(null);
    setProgress(null);
    setReport(null);
    setError(null);
  };

  const start = async () => {
    if (!file) return;
    setError(null);
    setReport(null);
    setProgress({ done: 0, total: null });
    try {
      const accepted = await jobs.startImport(entity, file, { dryRun, onDuplicate });
      const job = await waitForJob(() => jobs.get(accepted.job_id), { onProgress: (j) => setProgress({ done: j.progress, total: j.total }) });
      if (job.status !== "succeeded") throw new Error(job.error ?? job.status);
      const result = await jobs.importReport(job.id, 0, 500);
      setReport(result);
      if (!result.dry_run) {
        void queryClient.invalidateQueries({ queryKey: ["records", entity] });
        message.success(t("dataio.imported", { count: (result.totals.created ?? 0) + (result.totals.merged ?? 0) }));
      }
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const rows = report ? reportRows(report) : [];
  const close = () => {
    if (running) return;
    reset();
    onClose();
  };

  return (
    <Modal
      open={open}
      title={t("dataio.importTitle")}
      onCancel={close}
      width={720}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={close} disabled={running}>{t("common.close")}</Button>
          {report ? <Button onClick={reset}>{t("dataio.importAnother")}</Button> : null}
          {!report ? <Button type="primary" disabled={!file} loading={running} onClick={() => void start()}>{dryRun ? t("dataio.validate") : t("dataio.startImport")}</Button> : null}
        </Space>
      }
    >
      {!report ? (
        <Space orientation="vertical" style={{ width: "100%" }}>
          <Upload.Dragger
            accept=".csv,.xlsx"
            maxCount={1}
            beforeUpload={(f) => { setFile(f); return false; }}
            onRemove={() => setFile(null)}
            fileList={file ? [{ uid: "1", name: file.name, status: "done" }] : []}
            disabled={running}
          >
            <p className="ant-upload-drag-icon"><InboxOutlined /></p>
            <p className="ant-upload-text">{t("dataio.dropFile")}</p>
            <p className="ant-upload-hint">{t("dataio.fileHint")}</p>
          </Upload.Dragger>
          <Space wrap>
            <Typography.Text>{t("dataio.onDuplicate")}</Typography.Text>
            <Select<OnDuplicate>
              aria-label={t("dataio.onDuplicate")}
              value={onDuplicate}
              onChange={setOnDuplicate}
              style={{ minWidth: 160 }}
              options={(["skip", "merge", "create"] as const).map((v) => ({ value: v, label: t(`dataio.duplicate.${v}`) }))}
            />
            <Checkbox checked={dryRun} onChange={(e) => setDryRun(e.target.checked)}>{t("dataio.dryRun")}</Checkbox>
          </Space>
          {progress ? <Progress percent={progress.total ? Math.round((100 * progress.done) / progress.total) : 0} status={error ? "exception" : "active"} /> : null}
          {error ? <Alert type="error" title={t("dataio.importFailed", { message: error })} /> : null}
        </Space>
      ) : (
        <Space orientation="vertical" style={{ width: "100%" }} data-testid="import-report">
          {report.dry_run ? <Alert type="info" title={t("dataio.dryRunDone")} /> : null}
          <Space size="large" wrap>
            {(["created", "merged", "skipped", "failed"] as const).map((k) => (
              <Statistic key={k} title={t(`dataio.status.${k}`)} value={report.totals[k] ?? 0} />
            ))}
          </Space>
          {report.ignored_columns.length ? <Alert type="warning" title={t("dataio.ignoredColumns", { columns: report.ignored_columns.join(", ") })} /> : null}
          <Table<ReportRow>
            rowKey="row"
            size="small"
            dataSource={rows}
            pagination={{ pageSize: 10, hideOnSinglePage: true, simple: true }}
            locale={{ emptyText: t("dataio.noProblems") }}
            columns={[
              { key: "row", title: t("dataio.row"), dataIndex: "row", width: 60 },
              { key: "status", title: t("dataio.rowStatus"), render: (_, r) => <Tag color={r.status === "failed" ? "red" : "orange"}>{t(`dataio.status.${r.status}`)}</Tag>, width: 96 },
              { key: "errors", title: t("dataio.problems"), render: (_, r) => r.problems.map((p) => <div key={p} style={{ overflowWrap: "anywhere" }}>{p}</div>) },
            ]}
          />
        </Space>
      )}
    </Modal>
  );
}
