/**
 * Accessors of chevrotain CST nodes shared by the text parsers (ONNX text, qcc IR text): children of a
 * node by key, split into sub-nodes and tokens, and the first token of a node for error locations.
 */
import type { CstNode, IToken } from 'chevrotain';

export type CstChild = CstNode | IToken;

export const isToken = (c: CstChild | undefined): c is IToken => c !== undefined && 'image' in c;
export const nodes = (n: CstNode, key: string): CstNode[] => (n.children[key] ?? []).filter((c): c is CstNode => !isToken(c));
export const tokens = (n: CstNode, key: string): IToken[] => (n.children[key] ?? []).filter(isToken);
export const node1 = (n: CstNode, key: string): CstNode | undefined => nodes(n, key)[0];
export const tok1 = (n: CstNode, key: string): IToken | undefined => tokens(n, key)[0];

/** The first token of a syntax node (for locating errors). */
export function firstToken(n: CstNode): IToken | undefined {
  let best: IToken | undefined;
  for (const list of Object.values(n.children)) {
    for (const c of list) {
      const t = isToken(c) ? c : firstToken(c);
      if (t && (!best || t.startOffset < best.startOffset)) best = t;
    }
  }
  return best;
}
