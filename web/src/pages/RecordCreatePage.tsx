import { Card, Grid, Result, Skeleton, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";
import { NotFound } from "../app/routes";
import { RecordForm } from "../modules/records/RecordForm";
import { useEntity, useFields, useLabel, useLayout } from "../modules/records/meta";
import { errorMessage } from "../modules/records/values";

export default function RecordCreatePage() {
  const { entity: name = "" } = useParams();
  const { t } = useTranslation();
  const label = useLabel();
  const navigate = useNavigate();
  const mobile = Grid.useBreakpoint().md === false;
  const { entity, isLoading } = useEntity(name);
  const fields = useFields(entity ? name : undefined);
  const layout = useLayout(entity ? name : undefined);
  if (isLoading || fields.isLoading || layout.isLoading) return <Skeleton active />;
  if (!entity) return <NotFound />;
  if (fields.isError) return <Result status="error" title={t("common.loadFailed", { message: errorMessage(fields.error) })} />;
  return (
    <div>
      <div className="page-header">
        <Typography.Title level={4}>{t("list.newRecord", { entity: label(entity) })}</Typography.Title>
      </div>
      <Card>
        <RecordForm
          entity={name}
          fields={fields.data ?? []}
          layout={layout.data}
          columns={mobile ? 1 : 2}
          onSaved={(row) => navigate(`/r/${name}/${row.id}`, { replace: true })}
          onCancel={() => navigate(-1)}
        />
      </Card>
    </div>
  );
}
