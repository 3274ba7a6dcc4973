/** Pure helpers of the audit log viewer: the query string and readable change lines. */
export interface AuditFilters {
  action?: string;
  entity?: string;
  recordId?: string;
  actorId?: string;
  from?: string;
  to?: string;
}

export function auditQuery(filters: AuditFilters, cursor: string | null, limit = 50) {
  return {
    action: filters.action || undefined,
    entity: filters.entity || undefined,
    record_id: filters.recordId || undefined,
    actor_id: filters.actorId || undefined,
    from: filters.from || undefined,
    to: filters.to || undefined,
    cursor: cursor ?? undefined,
    limit,
  };
}

const show = (v: unknown): string => (v === null || v === undefined || v === "" ? "∅" : typeof v === "object" ? JSON.stringify(v) : String(v));

/** `{field: [before, after]}` as "field: before → after" lines; other shapes as "key: value". */
export function changeLines(changes: Record<string, unknown>, max = 6): string[] {
  const lines = Object.entries(changes).map(([key, value]) =>
    Array.isArray(value) && value.length === 2 ? `${key}: ${show(value[0])} → ${show(value[1])}` : `${key}: ${show(value)}`,
  );
  return lines.length > max ? [...lines.slice(0, max), `… +${lines.length - max}`] : lines;
}
