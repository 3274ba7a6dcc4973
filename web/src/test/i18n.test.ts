import en from "../i18n/en";
import zhCN from "../i18n/zh-CN";

function keys(obj: object, prefix = ""): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (typeof v === "object" && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe("translations", () => {
  it("have the same keys in both languages", () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
  });
  it("keep Chinese out of the English strings (language names aside)", () => {
    const han = /[\u4e00-\u9fff]/;
    const offenders = keys(en).filter((k) => !k.startsWith("lang.")).filter((k) => {
      const value = k.split(".").reduce<unknown>((o, part) => (o as Record<string, unknown>)[part], en);
      return typeof value === "string" && han.test(value);
    });
    expect(offenders).toEqual([]);
  });
});
