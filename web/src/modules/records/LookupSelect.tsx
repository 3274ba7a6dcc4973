import { Select, Spin } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useEntity } from "./meta";
import { searchOptions, useLookupTitles } from "./lookups";

interface Props {
  entity: string;
  value?: string | null;
  onChange?: (value: string | null) => void;
  disabled?: boolean;
  id?: string;
  placeholder?: string;
}

/** A lookup that searches the target entity as the user types (debounced), showing the current title. */
export function LookupSelect({ entity, value, onChange, disabled, id, placeholder }: Props) {
  const { t } = useTranslation();
  const { entity: meta } = useEntity(entity);
  const titleField = meta?.title_field ?? "name";
  const [text, setText] = useState("");
  const [debounced, setDebounced] = useState("");
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(text), 250);
    return () => window.clearTimeout(timer);
  }, [text]);
  const options = useQuery({
    queryKey: ["lookup", entity, debounced],
    queryFn: ({ signal }) => searchOptions(entity, titleField, debounced, signal),
    enabled: !disabled && (entity === "users" || Boolean(meta)),
    staleTime: 30_000,
  });
  const titles = useLookupTitles(value ? { [entity]: [value] } : {});
  const list = options.data ?? [];
  const withCurrent =
    value && !list.some((o) => o.value === value) ? [{ value, label: titles.get(value) ?? value.slice(0, 8) }, ...list] : list;
  return (
    <Select
      id={id}
      showSearch={{ filterOption: false, onSearch: setText }}
      allowClear
      disabled={disabled}
      value={value ?? undefined}
      placeholder={placeholder ?? t("common.search")}
      onChange={(next: string | undefined) => onChange?.(next ?? null)}
      notFoundContent={options.isFetching ? <Spin size="small" /> : t("search.empty")}
      options={withCurrent}
      style={{ width: "100%" }}
    />
  );
}
