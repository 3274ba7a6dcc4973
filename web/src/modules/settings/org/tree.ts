/** The department hierarchy from the flat list the API pages through. */
export interface Department {
  id: string;
  name: string;
  parent_id: string | null;
  manager_id: string | null;
}

export interface DeptNode extends Department {
  children: DeptNode[];
  /** How many users belong to this department and every department below it. */
  total: number;
}

/** Nest departments under their parents, siblings by name; a department whose parent is missing (or that sits
 * in a cycle) becomes a root rather than disappearing. `members` counts users per department id. */
export function buildTree(departments: Department[], members: Map<string, number> = new Map()): DeptNode[] {
  const nodes = new Map<string, DeptNode>(departments.map((d) => [d.id, { ...d, children: [], total: 0 }]));
  const roots: DeptNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parent_id ? nodes.get(node.parent_id) : undefined;
    if (parent && !isAncestor(nodes, node.id, parent.id)) parent.children.push(node);
    else roots.push(node);
  }
  const sort = (list: DeptNode[]) => {
    list.sort((a, b) => a.name.localeCompare(b.name, "zh-CN"));
    for (const n of list) sort(n.children);
  };
  const count = (n: DeptNode): number => (n.total = (members.get(n.id) ?? 0) + n.children.reduce((s, c) => s + count(c), 0));
  sort(roots);
  roots.forEach(count);
  return roots;
}

/** Whether `ancestor` lies on the parent chain of `id` (or is `id`). */
function isAncestor(nodes: Map<string, Department>, ancestor: string, id: string): boolean {
  const seen = new Set<string>();
  let cur: string | null | undefined = id;
  while (cur && !seen.has(cur)) {
    if (cur === ancestor) return true;
    seen.add(cur);
    cur = nodes.get(cur)?.parent_id;
  }
  return false;
}

/** The ids of a department and everything below it: never a valid new parent for it. */
export function subtreeIds(departments: Department[], id: string): Set<string> {
  const out = new Set<string>([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const d of departments) {
      if (d.parent_id && out.has(d.parent_id) && !out.has(d.id)) {
        out.add(d.id);
        grew = true;
      }
    }
  }
  return out;
}

export interface TreeOption {
  value: string;
  title: string;
  key: string;
  disabled?: boolean;
  children: TreeOption[];
}

/** antd Tree / TreeSelect data; `disabled` ids (a department's own subtree when moving it) cannot be chosen. */
export function treeOptions(nodes: DeptNode[], disabled: Set<string> = new Set()): TreeOption[] {
  return nodes.map((n) => ({ value: n.id, key: n.id, title: n.name, disabled: disabled.has(n.id) || undefined, children: treeOptions(n.children, disabled) }));
}

/** The names from the root down to a department, for breadcrumbs. */
export function pathOf(departments: Department[], id: string): string[] {
  const byId = new Map(departments.map((d) => [d.id, d]));
  const out: string[] = [];
  const seen = new Set<string>();
  let cur = byId.get(id);
  while (cur && !seen.has(cur.id)) {
    out.unshift(cur.name);
    seen.add(cur.id);
    cur = cur.parent_id ? byId.get(cur.parent_id) : undefined;
  }
  return out;
}
