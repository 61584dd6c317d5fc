/**
 * Tensor names in quantized models. A quantized activation T has its integer form `T_quantized` and,
 * where float consumers need it, its dequantized form `T_dequantized` (QDQ) or `T` itself (QOperator);
 * a graph output keeps its name on the final DequantizeLinear and its producer writes `T_prequant`.
 * `floatNameOf` maps these back to the float model's names (compare, mixed precision).
 */
export const SUFFIXES = ['_quantized', '_dequantized', '_prequant'] as const;

export const qName = (t: string): string => `${t}_quantized`;
export const scaleName = (t: string): string => `${t}_scale`;
export const zpName = (t: string): string => `${t}_zero_point`;

export function floatNameOf(name: string): string {
  for (const s of SUFFIXES) if (name.endsWith(s)) return name.slice(0, -s.length);
  return name;
}

/** Fresh names that avoid every name already in the model. */
export class NameSet {
  private readonly taken: Set<string>;
  constructor(names: Iterable<string>) {
    this.taken = new Set(names);
  }
  fresh(base: string): string {
    let n = base;
    for (let k = 1; this.taken.has(n); k++) n = `${base}_${k}`;
    this.taken.add(n);
    return n;
  }
  has(n: string): boolean {
    return this.taken.has(n);
  }
}
