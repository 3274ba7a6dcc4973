import adminEn from "../i18n/admin.en";
import adminZh from "../i18n/admin.zh-CN";
import en from "../i18n/en";
import zhCN from "../i18n/zh-CN";

function keys(obj: object, prefix = ""): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (typeof v === "object" && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

function chineseIn(messages: object): string[] {
  const han = /[\u4e00-\u9fff]/;
  return keys(messages).filter((k) => !k.startsWith("lang.")).filter((k) => {
    const value = k.split(".").reduce<unknown>((o, part) => (o as Record<string, unknown>)[part], messages);
    return typeof value === "string" && han.test(value);
  });
}

describe("translations", () => {
  it("have the same keys in both languages", () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
    expect(keys(adminEn).sort()).toEqual(keys(adminZh).sort());
  });
  it("keep Chinese out of the English strings (language names aside)", () => {
    expect(chineseIn(en)).toEqual([]);
    expect(chineseIn(adminEn)).toEqual([]);
  });
  it("keep the admin panels' strings apart from the first page's", () => {
    const first = new Set(keys(zhCN));
    expect(keys(adminZh).filter((k) => first.has(k))).toEqual([]);
  });
});
