/** Registers the admin panels' strings when the settings chunk loads (import for the side effect). */
import i18n from "./index";
import adminEn from "./admin.en";
import adminZh from "./admin.zh-CN";

i18n.addResourceBundle("zh-CN", "translation", adminZh, true, false);
i18n.addResourceBundle("en", "translation", adminEn, true, false);
