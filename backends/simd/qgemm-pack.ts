/**
 * ISA-neutral compile-time preparation of integer GEMM operands for SIMD backends: the signed normal form,
 * weight zero-point folding, per-row weight sums and the zero-point correction constants, and panel packing
 * in the layout a tile kernel wants ([row block][k group][rows of the block][group bytes]).
 *
 * Signed normal form: u8 values v become v - 128 (and their zero points too), so (x - xzp) * (w - wzp) is
 * unchanged and a single int8 x int8 kernel serves every signedness combination. For a weight row i with
 * zero point z_i and an activation operand with scalar zero point xz (both in normal form):
 *   sum_k (w - z_i)(x - xz) = sum_k ws * x + rowc[i] - rowz[i] * sum_k x
 * with ws the stored weights: ws = w - z_i when every such difference fits int8 (the zero point is
 * folded and rowz[i] = 0), else ws = w and rowz[i] = z_i;
 *   rowc[i] = bias[i] - xz * sum_k ws + K * rowz[i] * xz      (int32, wrapping like the C accumulators).
 * The runtime kernels (runtime-c/<isa>/) add rowc and subtract rowz * sum_k x, modulo 2^32.
 */

/** How a kernel wants its compile-time operand packed: rows per block, bytes per k group. */
export interface PanelLayout {
  /** Rows per block (the tile's width on the packed side). */
  readonly rows: number;
  /** Consecutive k values stored together per row (4 for SDOT, 16 for int16 multiply-pairwise-add). */
  readonly group: number;
}

export type Q8Dtype = 'u8' | 'i8';

/** v in the signed normal form of its dtype. */
export function normalS8(v: number, dtype: Q8Dtype): number {
  return dtype === 'u8' ? v - 128 : v;
}

export const roundUp = (n: number, m: number): number => Math.ceil(n / m) * m;

/** Weight rows in normal form with zero points folded where they fit (see the module comment). */
export interface FoldedRows {
  /** rows x k stored weights (int8 range), row-major. */
  readonly values: Int8Array;
  readonly rows: number;
  readonly k: number;
  /** Per row: the zero point left for the run-time correction (0 when folded). */
  readonly rowz: Int32Array;
  /** Per row: sum of the stored weights (exact; |sum| < 2^31 for k < 2^24). */
  readonly sums: Int32Array;
  /** True when some stored weight is -128 (then two products may not share an int16 lane). */
  readonly hasMinus128: boolean;
}

/**
 * Folds the weight zero points of `rows` rows of `k` weights; `get(row, kk)` returns the raw weight and
 * `zp[row]` its raw zero point, both of `dtype`.
 */
export function foldRows(rows: number, k: number, get: (row: number, kk: number) => number, zp: readonly number[], dtype: Q8Dtype): FoldedRows {
  const values = new Int8Array(rows * k);
  const rowz = new Int32Array(rows);
  const sums = new Int32Array(rows);
  let hasMinus128 = false;
  for (let r = 0; r < rows; r++) {
    const z = normalS8(zp[r]!, dtype);
    let fits = true;
    for (let kk = 0; kk < k && fits; kk++) {
      const d = normalS8(get(r, kk), dtype) - z;
      if (d < -128 || d > 127) fits = false;
    }
    rowz[r] = fits ? 0 : z;
    let s = 0;
    for (let kk = 0; kk < k; kk++) {
      const v = normalS8(get(r, kk), dtype) - (fits ? z : 0);
      values[r * k + kk] = v;
      s += v;
      if (v === -128) hasMinus128 = true;
    }
    sums[r] = s | 0;
  }
  return { values, rows, k, rowz, sums, hasMinus128 };
}

/**
 * rowc[i] = bias[i] - xz * sums[i] + k * rowz[i] * xz, wrapping to int32 as the C accumulators do.
 * `bias` may be null (0).
 */
export function correctionConstants(f: FoldedRows, xz: number, bias: ArrayLike<number> | null): Int32Array {
  const out = new Int32Array(f.rows);
  for (let i = 0; i < f.rows; i++) {
    const b = bias ? bias[i]! | 0 : 0;
    out[i] = (b - Math.imul(xz, f.sums[i]!) + Math.imul(Math.imul(f.k, f.rowz[i]!), xz)) | 0;
  }
  return out;
}

/**
 * Packs rows [first, first + count) of `f` into blocks of layout.rows rows (the last block padded with
 * zero rows up to `paddedRows`, a multiple of layout.rows) and k groups of layout.group bytes (k padded
 * with zeros): byte (row r, k kk) at ((r / R) * Kp + (kk / G) * G) * R + (r % R) * G + kk % G.
 */
export function packPanels(f: FoldedRows, first: number, count: number, paddedRows: number, layout: PanelLayout, out?: Int8Array, outOffset = 0): Int8Array {
  const { rows: R, group: G } = layout;
  const kp = roundUp(f.k, G);
  if (paddedRows % R !== 0 || paddedRows < count) throw new Error(`internal: ${paddedRows} padded rows for ${count} rows in blocks of ${R}`);
  const dst = out ?? new Int8Array(paddedRows * kp);
  for (let r = 0; r < count; r++) {
    const blk = outOffset + Math.floor(r / R) * R * kp + (r % R) * G;
    const src = (first + r) * f.k;
    for (let kk = 0; kk < f.k; kk++) dst[blk + Math.floor(kk / G) * G * R + (kk % G)] = f.values[src + kk]!;
  }
  return dst;
}

/** Copies `src` into a zero-filled array of `n` entries (padding per-row parameter arrays to the blocks). */
export function padTo<T extends Int32Array | Float32Array>(src: T, n: number, make: (n: number) => T): T {
  const out = make(n);
  out.set(src.subarray(0, Math.min(src.length, n)));
  return out;
}
