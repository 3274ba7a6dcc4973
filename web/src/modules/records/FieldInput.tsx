import { DatePicker, Input, InputNumber, Select, Switch } from "antd";
import type { FieldMeta } from "../../api/client";
import { LookupSelect } from "./LookupSelect";

interface Props {
  field: FieldMeta;
  id?: string;
  value?: unknown;
  onChange?: (value: unknown) => void;
  disabled?: boolean;
}

/** The antd control for one field type; antd's Form.Item passes `id`, `value` and `onChange`. */
export function FieldInput({ field, disabled, ...control }: Props) {
  const common = { id: control.id, disabled };
  const onChange = control.onChange ?? (() => undefined);
  switch (field.type) {
    case "long_text":
      return <Input.TextArea {...common} rows={3} value={control.value as string | undefined} onChange={(e) => onChange(e.target.value)} />;
    case "number":
    case "integer":
    case "currency":
    case "percent":
      return (
        <InputNumber
          {...common}
          style={{ width: "100%" }}
          precision={field.type === "integer" ? 0 : undefined}
          min={field.type === "percent" ? 0 : undefined}
          max={field.type === "percent" ? 100 : undefined}
          value={control.value as number | null | undefined}
          onChange={(v) => onChange(v)}
        />
      );
    case "date":
    case "datetime":
      return (
        <DatePicker
          {...common}
          style={{ width: "100%" }}
          showTime={field.type === "datetime" ? { format: "HH:mm" } : false}
          value={(control.value as never) ?? null}
          onChange={(v) => onChange(v)}
        />
      );
    case "boolean":
      return <Switch id={common.id} disabled={disabled} checked={Boolean(control.value)} onChange={(v) => onChange(v)} />;
    case "picklist":
    case "multi_picklist":
      return (
        <Select
          {...common}
          allowClear
          mode={field.type === "multi_picklist" ? "multiple" : undefined}
          value={control.value as string | string[] | undefined}
          onChange={(v) => onChange(v)}
          options={field.options.map((o) => ({ value: o, label: o }))}
        />
      );
    case "lookup":
      return field.lookup ? (
        <LookupSelect id={common.id} entity={field.lookup} disabled={disabled} value={control.value as string | null | undefined} onChange={onChange} />
      ) : (
        <Input {...common} value={control.value as string | undefined} onChange={(e) => onChange(e.target.value)} />
      );
    default:
      return (
        <Input
          {...common}
          inputMode={field.type === "email" ? "email" : field.type === "url" ? "url" : field.type === "phone" ? "tel" : undefined}
          maxLength={field.max_length ?? undefined}
          value={control.value as string | undefined}
          onChange={(e) => onChange(e.target.value)}
        />
      );
  }
}
