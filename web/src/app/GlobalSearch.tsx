import { Empty, Input, List, Modal, Spin, Tag, Typography } from "antd";
import { SearchOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { api, unwrap } from "../api/client";
import { useEntities, useLabel } from "../modules/records/meta";

interface Props {
  open: boolean;
  onClose: () => void;
}

/** Ctrl/Cmd+K: search every searchable entity through /api/v1/search and open the chosen record. */
export function GlobalSearch({ open, onClose }: Props) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const label = useLabel();
  const entities = useEntities();
  const [text, setText] = useState("");
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);

  useEffect(() => {
    const timer = window.setTimeout(() => setQuery(text.trim()), 200);
    return () => window.clearTimeout(timer);
  }, [text]);
  useEffect(() => setActive(0), [query]);

  const results = useQuery({
    queryKey: ["search", query],
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/search", { params: { query: { q: query, limit: 20 } }, signal })),
    enabled: open && query.length > 0,
    staleTime: 10_000,
  });
  const hits = query ? (results.data?.hits ?? []) : [];

  const choose = (index: number) => {
    const hit = hits[index];
    if (!hit) return;
    onClose();
    setText("");
    navigate(`/r/${hit.entity}/${hit.id}`);
  };

  return (
    <Modal open={open} onCancel={onClose} footer={null} title={t("search.title")} destroyOnHidden width={640} className="global-search">
      <Input
        autoFocus
        size="large"
        prefix={<SearchOutlined />}
        placeholder={t("search.placeholder")}
        aria-label={t("search.title")}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") { e.preventDefault(); setActive((i) => Math.min(i + 1, hits.length - 1)); }
          if (e.key === "ArrowUp") { e.preventDefault(); setActive((i) => Math.max(i - 1, 0)); }
          if (e.key === "Enter") { e.preventDefault(); choose(active); }
        }}
      />
      <div style={{ marginTop: 12, maxHeight: "60vh", overflow: "auto" }} role="listbox" aria-label={t("search.title")}>
        {!query ? (
          <Typography.Text type="secondary">{t("search.hint")}</Typography.Text>
        ) : results.isLoading ? (
          <Spin />
        ) : hits.length === 0 ? (
          <Empty description={t("search.empty")} image={Empty.PRESENTED_IMAGE_SIMPLE} />
        ) : (
          <List
            dataSource={hits}
            renderItem={(hit, index) => (
              <List.Item
                key={`${hit.entity}-${hit.id}`}
                role="option"
                aria-selected={index === active}
                className={index === active ? "search-hit active" : "search-hit"}
                onMouseEnter={() => setActive(index)}
                onClick={() => choose(index)}
              >
                <List.Item.Meta
                  title={<><Tag color="blue">{label(entities.data?.find((e) => e.name === hit.entity), hit.entity)}</Tag>{hit.title ?? hit.id}</>}
                  description={hit.fields.slice(0, 2).map((f) => f.snippet).join(" · ")}
                />
              </List.Item>
            )}
          />
        )}
      </div>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t("search.navigate")}</Typography.Text>
    </Modal>
  );
}
