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
  return [...specs.map(poolCase), ...gapCases()];
}

interface GapSpec {
  label: string;
  d: Q8;
  /** x's shape in its own layout (N, C, spatial... or N, spatial..., C with channelsLast). */
  shape: number[];
  channelsLast?: boolean;
  xs: number;
  ys: number;
  xz: number;
  yz: number;
  extreme?: boolean;
  /** As QLinearAveragePool with the window covering the input (the generic emitter's global path). */
  window?: boolean;
  seed: number;
}

function gapCase(s: GapSpec): BuiltCase {
  const r = prng(s.seed);
  const x = Tensor.fromNumbers(s.d, s.shape, fillValues(r, s.d, s.shape.reduce((a, b) => a * b, 1), s.extreme ? 'extreme' : 'mixed'));
  const q = [Tensor.fromNumbers('f32', [], [s.xs]), Tensor.fromNumbers(s.d, [], [s.xz]), Tensor.fromNumbers('f32', [], [s.ys]), Tensor.fromNumbers(s.d, [], [s.yz])];
  const cl = s.channelsLast ? 1 : 0;
  const spatial = s.channelsLast ? s.shape.slice(1, -1) : s.shape.slice(2);
  const { graph } = s.window
    ? buildOne('qlinear_average_pool', [x, ...q], { kernel_shape: spatial, channels_last: cl })
    : buildOne('qlinear_global_average_pool', [x, ...q], { channels_last: cl });
  return { label: s.label, graph, inputs: [x] };
}

/**
 * QLinearGlobalAveragePool: planes shorter than one vector, odd tails, planes longer than the 128 steps of
 * 16-bit NCHW accumulation (2048 bytes) and than the 256 pixels of channels-last accumulation, values and zero
 * points at the dtype's ends (saturating outputs), channel counts around 16.
 */
function gapCases(): BuiltCase[] {
  const specs: GapSpec[] = [
    { label: 'qgap u8 NCHW 7x7, 37 channels', d: 'u8', shape: [1, 37, 7, 7], xs: 0.05, ys: 0.03, xz: 128, yz: 100, seed: 401 },
    { label: 'qgap i8 NCHW 3x5 (under one vector), batch 2', d: 'i8', shape: [2, 5, 3, 5], xs: 0.1, ys: 0.02, xz: -3, yz: 7, seed: 402 },
    { label: 'qgap u8 NCHW 61x67 (past 128 steps), extreme, zero points 0 / 0', d: 'u8', shape: [1, 3, 61, 67], xs: 0.05, ys: 0.1, xz: 0, yz: 0, extreme: true, seed: 403 },
    { label: 'qgap i8 NCHW 70x70, extreme, zero points -128 / -128', d: 'i8', shape: [1, 2, 70, 70], xs: 0.05, ys: 0.1, xz: -128, yz: -128, extreme: true, seed: 404 },
    { label: 'qgap i8 NCHW 1-D 33, saturating', d: 'i8', shape: [1, 4, 33], xs: 2, ys: 0.01, xz: 127, yz: -128, seed: 405 },
    { label: 'qgap u8 channels last 9x9x35', d: 'u8', shape: [2, 9, 9, 35], channelsLast: true, xs: 0.05, ys: 0.04, xz: 3, yz: 250, seed: 406 },
    { label: 'qgap i8 channels last 23x23x16 (past 256 pixels), extreme', d: 'i8', shape: [1, 23, 23, 16], channelsLast: true, xs: 0.05, ys: 0.1, xz: -128, yz: 0, extreme: true, seed: 407 },
    { label: 'qgap u8 channels last 20x20x48 (past 256 pixels), extreme, zero point 255', d: 'u8', shape: [1, 20, 20, 48], channelsLast: true, xs: 0.05, ys: 0.1, xz: 255, yz: 200, extreme: true, seed: 408 },
    { label: 'qgap i8 channels last 5x5x7 (no full block)', d: 'i8', shape: [1, 5, 5, 7], channelsLast: true, xs: 0.3, ys: 0.02, xz: 5, yz: -9, seed: 409 },
    { label: 'qgap u8 as QLinearAveragePool covering 13x11', d: 'u8', shape: [1, 19, 13, 11], xs: 0.07, ys: 0.05, xz: 17, yz: 131, window: true, seed: 410 },
  ];
  return specs.map(gapCase);
}
