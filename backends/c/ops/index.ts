import type { CEmitter } from '../emitter.ts';
import { emitters as quant } from './quant.ts';
import { emitters as qlinear } from './qlinear.ts';
import { emitters as nn } from './nn.ts';
import { emitters as elementwise } from './elementwise.ts';
import { emitters as shape } from './shape.ts';
import { emitters as contrib } from './contrib.ts';
import { emitters as floatExtra } from './float-extra.ts';

/** The generic C kernel table: one emitter per internal op kind. SIMD backends override entries. */
export const GENERIC_EMITTERS: ReadonlyMap<string, CEmitter> = new Map(
  [...quant, ...qlinear, ...nn, ...elementwise, ...shape, ...contrib, ...floatExtra].map((e) => [e.kind, e]),
);
