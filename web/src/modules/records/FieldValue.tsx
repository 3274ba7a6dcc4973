import { Tag, Typography } from "antd";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { FieldMeta } from "../../api/client";
import type { RecordRow, RecordValue } from "../../api/records";

interface Props {
  field: FieldMeta;
  value: RecordValue | undefined;
  row?: RecordRow;
  titles?: Map<string, string>;
}

export function formatNumber(value: number, lang: string, digits = 2): string {
  return new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(value);
}

function safeUrl(value: string): string | null {
  try {
    const url = new URL(value.includes("://") ? value : `https://${value}`);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/** One value, shown as its field type asks. Masked values come from the API already masked. */
export function FieldValue({ field, value, row, titles }: Props) {
  const { t, i18n } = useTranslation();
  if (value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0)) {
    return <Typography.Text type="secondary">{t("common.none")}</Typography.Text>;
  }
  if (field.masked) return <Typography.Text data-masked="true">{String(value)}</Typography.Text>;
  switch (field.type) {
    case "boolean":
      return <>{value ? t("common.yes") : t("common.no")}</>;
    case "picklist":
      return <Tag>{String(value)}</Tag>;
    case "multi_picklist":
      return <>{(Array.isArray(value) ? value : [String(value)]).map((v) => <Tag key={v}>{v}</Tag>)}</>;
    case "currency":
      return <>{typeof value === "number" ? formatNumber(value, i18n.language) : String(value)}</>;
    case "percent":
      return <>{typeof value === "number" ? `${formatNumber(value, i18n.language, 1)}%` : String(value)}</>;
    case "number":
    case "integer":
      return <>{typeof value === "number" ? formatNumber(value, i18n.language, 4) : String(value)}</>;
    case "date":
      return <>{dayjs(String(value)).format("YYYY-MM-DD")}</>;
    case "datetime":
      return <>{dayjs(String(value)).format("YYYY-MM-DD HH:mm")}</>;
    case "email":
      return <a href={`mailto:${String(value)}`}>{String(value)}</a>;
    case "phone":
      return <a href={`tel:${String(value)}`}>{String(value)}</a>;
    case "url": {
      const href = safeUrl(String(value));
      return href ? <a href={href} target="_blank" rel="noopener noreferrer">{String(value)}</a> : <>{String(value)}</>;
    }
    case "lookup": {
      const id = String(value);
      const target = field.lookup ?? (typeof row?.related_entity === "string" ? row.related_entity : null);
      const title = titles?.get(id) ?? t("common.unknownRecord", { id: id.slice(0, 8) });
      if (!target || target === "users") return <>{title}</>;
      return <Link to={`/r/${target}/${id}`} onClick={(e) => e.stopPropagation()}>{title}</Link>;
    }
    case "long_text":
      return <Typography.Paragraph style={{ whiteSpace: "pre-wrap", marginBottom: 0 }}>{String(value)}</Typography.Paragraph>;
    default:
      return <>{typeof value === "object" ? JSON.stringify(value) : String(value)}</>;
  }
}
