// C emitters of the quant op family.
import type { CEmitter } from '../emitter.ts';

export const emitters: CEmitter[] = [];
