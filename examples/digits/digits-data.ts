/**
 * The digits CSV adapter (data notice: DATA-SOURCE.md): rows of 64 pixels in [0, 1] and a label. Turns
 * rows into model inputs ([1,1,8,8] for the CNNs, [1,64] for the MLP), and writes calibration batches as
 * .npy (first axis = batch), the form `qcc quantize --calibrate DIR` reads.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tensor } from '../../compiler/ir/tensor.ts';
import { encodeNpy } from '../../compiler/io/npy.ts';

export interface Digits {
  images: Float32Array[];
  labels: number[];
}

export function readDigitsCsv(path: string, limit = Infinity): Digits {
  const lines = readFileSync(path, 'utf8').trim().split('\n').slice(1);
  const images: Float32Array[] = [];
  const labels: number[] = [];
  for (const line of lines.slice(0, Number.isFinite(limit) ? limit : undefined)) {
    const cells = line.split(',').map(Number);
    images.push(Float32Array.from(cells.slice(0, 64)));
    labels.push(cells[64]!);
  }
  return { images, labels };
}

/** One image as a model input of the given shape ([1,1,8,8] or [1,64]). */
export function imageTensor(img: Float32Array, shape: readonly number[]): Tensor {
  return new Tensor('f32', shape, Float32Array.from(img));
}

/** Writes images as one .npy batch [N, ...shape without its leading 1]. */
export function writeCalibrationNpy(dir: string, d: Digits, inputShape: readonly number[], file = 'input_0.npy'): string {
  mkdirSync(dir, { recursive: true });
  const n = d.images.length;
  const data = new Float32Array(n * 64);
  d.images.forEach((img, k) => data.set(img, k * 64));
  const path = join(dir, file);
  writeFileSync(path, encodeNpy(new Tensor('f32', [n, ...inputShape.slice(1)], data)));
  return path;
}

/** Index of the largest value (the first one on ties, as numpy.argmax). */
export function argmax(xs: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i]! > xs[best]!) best = i;
  return best;
}
