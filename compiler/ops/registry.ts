import type { OpDef } from './op-def.ts';

const DEFS = new Map<string, OpDef>();

/** Called once per op kind by the family modules (compiler/ops/<family>.ts). */
export function defineOp(def: OpDef): OpDef {
  if (DEFS.has(def.kind)) throw new Error(`internal: op kind '${def.kind}' defined twice`);
  DEFS.set(def.kind, def);
  return def;
}

export function getOpDef(kind: string): OpDef {
  const d = DEFS.get(kind);
  if (!d) throw new Error(`internal: no definition for op kind '${kind}'`);
  return d;
}

export function hasOpDef(kind: string): boolean {
  return DEFS.has(kind);
}

export function allOpDefs(): OpDef[] {
  return [...DEFS.values()].sort((a, b) => a.kind.localeCompare(b.kind));
}
