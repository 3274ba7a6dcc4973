/** Pure board logic: totals per stage and moving a card between columns (used optimistically). */
import type { Page, RecordRow } from "../../api/records";

export interface StageTotals {
  count: number;
  amount: number;
  partial: boolean;
}

export function stageTotals(page: Page | undefined): StageTotals {
  const rows = page?.data ?? [];
  const amount = rows.reduce((sum, row) => sum + (typeof row.amount === "number" ? row.amount : 0), 0);
  const count = page?.total ?? rows.length;
  return { count, amount, partial: count > rows.length };
}

/** The two pages after moving `card` from one stage's page to another's (the card goes on top). */
export function moveCard(from: Page, to: Page, card: RecordRow, toStage: string): { from: Page; to: Page } {
  const moved: RecordRow = { ...card, stage_id: toStage };
  return {
    from: { ...from, data: from.data.filter((r) => r.id !== card.id), total: from.total === null ? null : Math.max(0, from.total - 1) },
    to: { ...to, data: [moved, ...to.data.filter((r) => r.id !== card.id)], total: to.total === null ? null : to.total + 1 },
  };
}
