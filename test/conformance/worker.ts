// Child process of pool.ts: runs the cases it is sent, one at a time, and reports each outcome.
import { runCase } from './case-runner.ts';

process.on('message', (msg: { dir: string }) => {
  const r = runCase(msg.dir);
  process.send!(r);
});
