// C emitters of the elementwise op family.
import type { CEmitter } from '../emitter.ts';

export const emitters: CEmitter[] = [];
