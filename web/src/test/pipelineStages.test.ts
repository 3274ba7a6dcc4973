import { clampProbability, move, nextPosition, ordered, positionUpdates } from "../modules/settings/pipelines/stages";

const s = (id: string, position: number) => ({ id, position, version: 1 });

describe("pipeline stage order", () => {
  it("moves a stage and patches only the positions that change", () => {
    const stages = ordered([s("c", 3), s("a", 1), s("b", 2), s("d", 4)]);
    expect(stages.map((x) => x.id)).toEqual(["a", "b", "c", "d"]);
    const wanted = move(stages, 3, 1);
    expect(wanted.map((x) => x.id)).toEqual(["a", "d", "b", "c"]);
    expect(positionUpdates(wanted)).toEqual([
      { id: "d", position: 2, version: 1 },
      { id: "b", position: 3, version: 1 },
      { id: "c", position: 4, version: 1 },
    ]);
    expect(positionUpdates(stages)).toEqual([]);
  });

  it("renumbers gaps and ties, and ignores moves off the ends", () => {
    const stages = ordered([s("b", 10), s("a", 10), s("c", 30)]);
    expect(stages.map((x) => x.id)).toEqual(["a", "b", "c"]);
    expect(positionUpdates(stages).map((u) => [u.id, u.position])).toEqual([["a", 1], ["b", 2], ["c", 3]]);
    expect(move(stages, 0, -1)).toBe(stages);
    expect(move(stages, 2, 3)).toBe(stages);
  });

  it("appends new stages and keeps probability within 0-100", () => {
    expect(nextPosition([s("a", 1), s("b", 7)])).toBe(8);
    expect(nextPosition([])).toBe(1);
    expect(clampProbability(140)).toBe(100);
    expect(clampProbability(-3)).toBe(0);
    expect(clampProbability(null)).toBe(0);
    expect(clampProbability(33.333)).toBe(33.33);
  });
});
