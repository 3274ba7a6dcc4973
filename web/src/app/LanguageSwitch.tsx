import { Segmented } from "antd";
import { useTranslation } from "react-i18next";
import { LANGUAGES, setLanguage, type Language } from "../i18n";

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Segmented<Language>
      size="small"
      aria-label={t("shell.language")}
      value={i18n.language === "en" ? "en" : "zh-CN"}
      options={LANGUAGES.map((lang) => ({ value: lang, label: t(`lang.${lang}`) }))}
      onChange={(lang) => setLanguage(lang)}
    />
  );
}
