import { buildTree, pathOf, subtreeIds, treeOptions, type Department } from "../modules/settings/org/tree";

const d = (id: string, name: string, parent_id: string | null = null): Department => ({ id, name, parent_id, manager_id: null });

describe("department tree", () => {
  const depts = [d("s", "销售部"), d("n", "华北区", "s"), d("e", "华东区", "s"), d("bj", "北京组", "n"), d("r", "研发部")];

  it("nests departments under their parents with member totals for each subtree", () => {
    const tree = buildTree(depts, new Map([["bj", 3], ["s", 1], ["r", 2]]));
    expect(tree.map((n) => n.id).sort()).toEqual(["r", "s"]);
    const sales = tree.find((n) => n.id === "s")!;
    expect(sales.children.map((c) => c.id).sort()).toEqual(["e", "n"]);
    expect(sales.total).toBe(4);
    expect(sales.children.find((c) => c.id === "n")!.children[0]!.id).toBe("bj");
  });

  it("keeps orphans and cycles visible as roots instead of losing them", () => {
    const tree = buildTree([d("a", "A", "missing"), d("x", "X", "y"), d("y", "Y", "x")]);
    const ids = (nodes: ReturnType<typeof buildTree>): string[] => nodes.flatMap((n) => [n.id, ...ids(n.children)]);
    expect(ids(tree).sort()).toEqual(["a", "x", "y"]);
    expect(tree.some((n) => n.id === "a")).toBe(true);
  });

  it("never offers a department's own subtree as its new parent", () => {
    expect([...subtreeIds(depts, "s")].sort()).toEqual(["bj", "e", "n", "s"]);
    const options = treeOptions(buildTree(depts), subtreeIds(depts, "n"));
    const sales = options.find((o) => o.value === "s")!;
    expect(sales.disabled).toBeUndefined();
    expect(sales.children.find((c) => c.value === "n")!.disabled).toBe(true);
    expect(sales.children.find((c) => c.value === "e")!.disabled).toBeUndefined();
  });

  it("writes the path from the root", () => {
    expect(pathOf(depts, "bj")).toEqual(["销售部", "华北区", "北京组"]);
  });
});
