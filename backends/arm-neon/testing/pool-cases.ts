/**
 * Seeded u8 / i8 MaxPool cases for the arm parity batch: strides 1 and 2, pads (symmetric, asymmetric),
 * ceil mode, windows 2x2 / 3x3 / 5x5, rows with more and fewer than 16 interior outputs, 1-D, batches, values at
 * the dtype's ends, and geometries the NEON kernel hands to the generic one (dilation, W stride 3).
 */
import { Tensor } from '../../../compiler/ir/tensor.ts';
import { buildOne } from '../../../compiler/ops/q-test-util.ts';
import { fillValues, prng, type BuiltCase, type Q8 } from './cases.ts';

interface PoolSpec {
  label: string;
  d: Q8;
  shape: number[];
  k: number[];
  strides: number[];
  pads?: number[];
  dilations?: number[];
  ceil?: boolean;
  extreme?: boolean;
  seed: number;
}

function poolCase(s: PoolSpec): BuiltCase {
  const r = prng(s.seed);
  const x = Tensor.fromNumbers(s.d, s.shape, fillValues(r, s.d, s.shape.reduce((a, b) => a * b, 1), s.extreme ? 'extreme' : 'mixed'));
  const attrs: Record<string, number | number[]> = {
    kernel_shape: s.k, strides: s.strides, pads: s.pads ?? new Array<number>(2 * s.k.length).fill(0), ceil_mode: s.ceil ? 1 : 0,
  };
  if (s.dilations) attrs['dilations'] = s.dilations;
  const { graph } = buildOne('max_pool', [x], attrs);
  return { label: s.label, graph, inputs: [x] };
}

export function poolCases(): BuiltCase[] {
  const specs: PoolSpec[] = [
    { label: 'max_pool u8 3x3 s2 p1, 37x41', d: 'u8', shape: [1, 5, 37, 41], k: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], seed: 301 },
    { label: 'max_pool i8 3x3 s1 p1, batch 2, 9x50, extreme values', d: 'i8', shape: [2, 3, 9, 50], k: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1], extreme: true, seed: 302 },
    { label: 'max_pool u8 2x2 s2, 20x64', d: 'u8', shape: [1, 4, 20, 64], k: [2, 2], strides: [2, 2], seed: 303 },
    { label: 'max_pool i8 3x3 s2 ceil, asymmetric pads, 17x70', d: 'i8', shape: [1, 3, 17, 70], k: [3, 3], strides: [2, 2], pads: [0, 1, 1, 0], ceil: true, seed: 304 },
    { label: 'max_pool u8 5x5 s1 p2, 12x40', d: 'u8', shape: [1, 2, 12, 40], k: [5, 5], strides: [1, 1], pads: [2, 2, 2, 2], seed: 305 },
    { label: 'max_pool u8 3x3 s1 p1, 7x9 (no interior run)', d: 'u8', shape: [1, 2, 7, 9], k: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1], seed: 306 },
    { label: 'max_pool i8 1-D k3 s2 p1, 53', d: 'i8', shape: [1, 3, 53], k: [3], strides: [2], pads: [1, 1], seed: 307 },
    { label: 'max_pool u8 dilation 2 (generic path), 10x40', d: 'u8', shape: [1, 2, 10, 40], k: [3, 3], strides: [1, 1], dilations: [2, 2], seed: 308 },
    { label: 'max_pool i8 3x3 s3 (generic path), 16x50', d: 'i8', shape: [1, 2, 16, 50], k: [3, 3], strides: [3, 3], pads: [1, 1, 1, 1], seed: 309 },
    { label: 'max_pool i8 2x3 s(1,2) p, 33x35, extreme', d: 'i8', shape: [1, 2, 33, 35], k: [2, 3], strides: [1, 2], pads: [1, 1, 0, 0], extreme: true, seed: 310 },
  ];
  return specs.map(poolCase);
}
