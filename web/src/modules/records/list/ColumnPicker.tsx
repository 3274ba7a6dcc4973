import { Button, Checkbox, Popover, Space } from "antd";
import { TableOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import type { FieldMeta } from "../../../api/client";
import { useLabel } from "../meta";

interface Props {
  fields: FieldMeta[];
  shown: string[];
  onChange: (columns: string[] | null) => void;
}

/** Choose the list's columns; the choice is part of the list state, so a saved view keeps it. */
export function ColumnPicker({ fields, shown, onChange }: Props) {
  const { t } = useTranslation();
  const label = useLabel();
  const options = fields.filter((f) => f.type !== "long_text").map((f) => ({ value: f.name, label: label(f) }));
  const content = (
    <Space orientation="vertical" style={{ maxHeight: 360, overflow: "auto", minWidth: 200 }}>
      <Checkbox.Group
        value={shown}
        onChange={(values) => onChange(options.map((o) => o.value).filter((v) => values.includes(v)))}
        style={{ display: "flex", flexDirection: "column", gap: 4 }}
        options={options}
      />
      <Button size="small" type="link" onClick={() => onChange(null)}>{t("list.defaultColumns")}</Button>
    </Space>
  );
  return (
    <Popover content={content} trigger="click" placement="bottomRight" title={t("list.columns")}>
      <Button icon={<TableOutlined />} aria-label={t("list.columns")}>{t("list.columns")}</Button>
    </Popover>
  );
}
