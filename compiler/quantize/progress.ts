/** A one-line progress bar on stderr, drawn only when stderr is a terminal (never in logs or tests). */
export interface Progress {
  tick(done: number): void;
  end(): void;
}

const NONE: Progress = { tick: () => {}, end: () => {} };

export function progressBar(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY || total < 2) return NONE;
  let last = -1;
  const width = 30;
  return {
    tick(done) {
      const pct = Math.floor((100 * done) / total);
      if (pct === last) return;
      last = pct;
      const fill = Math.round((width * done) / total);
      stream.write(`\r${label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${done}/${total}`);
    },
    end() {
      stream.write('\r\x1b[K');
    },
  };
}
