// Child process of fuzz.ts: builds and runs the cases it is sent ({seed, index}), one at a time.
import { listCorpus } from './corpus.ts';
import { makeCase } from './mutate.ts';
import { makeFuzzWorkDir, removeFuzzWorkDir, runFuzzCase } from './run-case.ts';

const corpus = listCorpus();
const work = makeFuzzWorkDir();
process.on('disconnect', () => {
  removeFuzzWorkDir(work.root);
  process.exit(0);
});
process.on('message', (msg: { seed: number; index: number }) => {
  const c = makeCase(msg.seed, msg.index, corpus);
  // Labels the case for the parent first, so a hang or a crash of this process is reported with it.
  process.send!({ start: { kind: c.kind, sourceId: c.sourceId, note: c.note } });
  process.send!(runFuzzCase(c, work.modelDir, msg.seed));
});
process.send!({ ready: true });
