/** Ordering the stages of a pipeline: positions are 1..n in board order; a move patches only what changed. */
export interface StageLike {
  id: string;
  position: number;
  version?: number | null;
}

/** The stages in board order (position, then id so equal positions stay stable). */
export function ordered<T extends StageLike>(stages: T[]): T[] {
  return [...stages].sort((a, b) => a.position - b.position || a.id.localeCompare(b.id));
}

/** The list with the stage at `from` moved to `to` (indexes in board order). */
export function move<T>(list: T[], from: number, to: number): T[] {
  if (from === to || from < 0 || to < 0 || from >= list.length || to >= list.length) return list;
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item as T);
  return next;
}

/** The position updates that make `list` (the wanted order) true: positions 1..n, only where they differ. */
export function positionUpdates<T extends StageLike>(list: T[]): { id: string; position: number; version?: number | null }[] {
  return list.flatMap((s, i) => (s.position === i + 1 ? [] : [{ id: s.id, position: i + 1, version: s.version }]));
}

/** The position of a stage added at the end. */
export function nextPosition(stages: StageLike[]): number {
  return stages.reduce((m, s) => Math.max(m, s.position), 0) + 1;
}

/** Probability as the API stores it (0-100, percent), from what a person typed. */
export function clampProbability(value: number | null | undefined): number {
  if (value === null || value === undefined || Number.isNaN(value)) return 0;
  return Math.min(100, Math.max(0, Math.round(value * 100) / 100));
}
