// C emitters of the nn op family.
import type { CEmitter } from '../emitter.ts';

export const emitters: CEmitter[] = [];
