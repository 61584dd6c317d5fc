/**
 * Writes the zoo models as .onnx files: `node bin/qcc-dev.js test/zoo/write.ts DIR [--bench]`.
 * DIR/<model>_<form>_<act>.onnx for every test model (qop/qdq x u8/i8); with --bench also the 224x224
 * MobileNetV2 (alpha 1, 1000 classes) in every form. Then e.g. `npx qcc verify DIR/resnet8_qdq_u8.onnx`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeModel } from '../../compiler/frontend/onnx/writer.ts';
import { ACTS, FORMS, ZOO_NAMES, mobilenetV2Bench, zooModel } from './models.ts';

const [dir, ...flags] = process.argv.slice(2);
if (!dir || flags.some((f) => f !== '--bench')) {
  console.error('usage: node bin/qcc-dev.js test/zoo/write.ts DIR [--bench]');
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
const write = (name: string, bytes: Uint8Array) => {
  writeFileSync(join(dir, `${name}.onnx`), bytes);
  console.log(`${join(dir, `${name}.onnx`)} (${bytes.length} bytes)`);
};
for (const m of ZOO_NAMES) for (const f of FORMS) for (const a of ACTS) write(`${m}_${f}_${a}`, encodeModel(zooModel(m, f, a)));
if (flags.includes('--bench')) for (const f of FORMS) for (const a of ACTS) write(`mobilenetv2_224_${f}_${a}`, encodeModel(mobilenetV2Bench(f, a)));
