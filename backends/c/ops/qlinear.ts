// C emitters of the qlinear op family.
import type { CEmitter } from '../emitter.ts';

export const emitters: CEmitter[] = [];
