import { moveCard, stageTotals } from "../modules/pipeline/board";
import { selectedKey, parentKeys } from "../app/navigation";

describe("pipeline board", () => {
  const a = { id: "a", stage_id: "s1", amount: 100 };
  const b = { id: "b", stage_id: "s1", amount: 50 };
  it("totals a stage and says when only part is loaded", () => {
    expect(stageTotals({ data: [a, b], next_cursor: null, total: 2 })).toEqual({ count: 2, amount: 150, partial: false });
    expect(stageTotals({ data: [a], next_cursor: "x", total: 9 })).toEqual({ count: 9, amount: 100, partial: true });
    expect(stageTotals(undefined)).toEqual({ count: 0, amount: 0, partial: false });
  });
  it("moves a card to the top of the target stage and fixes both counts", () => {
    const out = moveCard({ data: [a, b], next_cursor: null, total: 2 }, { data: [], next_cursor: null, total: 0 }, a, "s2");
    expect(out.from.data.map((r) => r.id)).toEqual(["b"]);
    expect(out.from.total).toBe(1);
    expect(out.to.data).toEqual([{ ...a, stage_id: "s2" }]);
    expect(out.to.total).toBe(1);
  });
});

describe("navigation", () => {
  it("selects the deepest matching module", () => {
    expect(selectedKey("/")).toBe("workbench");
    expect(selectedKey("/r/accounts/123")).toBe("accounts");
    expect(selectedKey("/pipeline")).toBe("pipeline");
    expect(parentKeys("orders")).toEqual(["sales-group"]);
  });
});
