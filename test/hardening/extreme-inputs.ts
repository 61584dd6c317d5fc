/**
 * Input sets at the edges of every dtype, for runs that check the generated code stays inside its
 * buffers and free of undefined behaviour whatever the input values: all-min, all-max, a cycle of
 * specials (NaN, infinities, -0, denormals, FLT_MAX / integer extremes), zeros, and seeded random ones.
 */
import { DTYPES, type DType } from '../../compiler/ir/dtype.ts';
import type { Graph } from '../../compiler/ir/graph.ts';
import { Tensor } from '../../compiler/ir/tensor.ts';
import { randomInputs } from '../../compiler/io/random-inputs.ts';

const FLT_MAX = 3.4028234663852886e38;
const FLOAT_SPECIALS = [NaN, Infinity, -Infinity, -0, 1e-45, -1e-45, FLT_MAX, -FLT_MAX, 0, 1, -1, 0.5, 2.5, -2.5, 1e10, -1e10];
const F16_SPECIALS = [0x7e00, 0x7c00, 0xfc00, 0x8000, 0x0001, 0x7bff, 0xfbff, 0, 0x3c00, 0xbc00];

function fill(dtype: DType, shape: readonly number[], pick: (i: number) => 'min' | 'max' | number): Tensor {
  const t = new Tensor(dtype, shape);
  const info = DTYPES[dtype];
  for (let i = 0; i < t.size; i++) {
    const p = pick(i);
    if (info.isBig) {
      const bits = info.bytes * 8;
      const v = p === 'min' ? (info.isSigned ? -(1n << BigInt(bits - 1)) : 0n) : p === 'max' ? (info.isSigned ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n) : BigInt(Math.trunc(p));
      (t.data as BigInt64Array | BigUint64Array)[i] = info.isSigned ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v);
    } else if (dtype === 'f16') {
      (t.data as Uint16Array)[i] = p === 'min' ? 0xfbff : p === 'max' ? 0x7bff : p;
    } else if (info.isFloat) {
      (t.data as Float32Array | Float64Array)[i] = p === 'min' ? -FLT_MAX : p === 'max' ? FLT_MAX : p;
    } else {
      (t.data as Int32Array)[i] = p === 'min' ? info.min : p === 'max' ? info.max : p;
    }
  }
  return t;
}

function specialAt(dtype: DType, i: number): 'min' | 'max' | number {
  if (dtype === 'f16') return F16_SPECIALS[i % F16_SPECIALS.length]!;
  if (DTYPES[dtype].isFloat) return FLOAT_SPECIALS[i % FLOAT_SPECIALS.length]!;
  if (dtype === 'bool') return i & 1;
  const cyc: ('min' | 'max' | number)[] = ['min', 'max', 0, DTYPES[dtype].isSigned ? -1 : 1, 'min', 'max', 2, 1];
  return cyc[i % cyc.length]!;
}

export interface InputSet {
  label: string;
  inputs: Map<string, Tensor>;
}

export function extremeInputSets(graph: Graph, seeds: readonly number[] = [1, 2]): InputSet[] {
  const each = (f: (dtype: DType, shape: readonly number[]) => Tensor) => new Map(graph.inputs.map((v) => [v.name, f(v.type.dtype, v.type.shape)]));
  return [
    { label: 'min', inputs: each((d, s) => fill(d, s, () => 'min')) },
    { label: 'max', inputs: each((d, s) => fill(d, s, () => 'max')) },
    { label: 'specials', inputs: each((d, s) => fill(d, s, (i) => specialAt(d, i))) },
    { label: 'specials-shifted', inputs: each((d, s) => fill(d, s, (i) => specialAt(d, i * 7 + 3))) },
    { label: 'zeros', inputs: each((d, s) => fill(d, s, () => 0)) },
    ...seeds.map((s) => ({ label: `random-${s}`, inputs: randomInputs(graph, s) })),
  ];
}
