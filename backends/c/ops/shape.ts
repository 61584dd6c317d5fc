// C emitters of the shape op family.
import type { CEmitter } from '../emitter.ts';

export const emitters: CEmitter[] = [];
