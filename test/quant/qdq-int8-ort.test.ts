/**
 * int8 QDQ as onnxruntime-web runs it. Off ARM, ORT fuses no Conv/MatMul with int8 activations
 * (QDQIsInt8Allowed() is false); it first turns int8 QuantizeLinear -> DequantizeLinear pairs into uint8
 * (QDQS8ToU8Transformer), but only where the Q has exactly one output edge, counted after
 * EnsureUniqueDQForNodeUnit gave each consumer of a shared DQ its own copy. So a Q whose tensor is read by
 * two nodes stays int8 and the Conv writing it runs in float (qdq-fusion.ts, markS8ToU8).
 *
 * Minimal model: one output channel of the digits TinyResNet's /stem/Conv after `qcc quantize --format qdq
 * --activations s8 --per-channel` (1 input channel, 3x3, per-channel s8 weights, int32 bias; the real
 * scales, weights and bias), on the 3x3 window of test image 52 where float32(acc) * scale is exactly 42.5
 * (the exact value is 42.4999976): the integer kernel rounds it to 42, ORT's float Conv gives 42.500004
 * and so 43. Model A: the stem's DQ is only the graph output, so its Q has one edge and ORT fuses the
 * QLinearConv. Model B: the DQ also feeds an Add (a residual branch), so ORT keeps the stem Conv float.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { arch, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOnnxBytes } from '../../compiler/frontend/onnx/load.ts';
import { onnx } from '../../compiler/frontend/onnx/proto.ts';
import { encodeModel } from '../../compiler/frontend/onnx/writer.ts';
import type { Graph } from '../../compiler/ir/graph.ts';
import { Tensor } from '../../compiler/ir/tensor.ts';
import { verifyGraph } from '../../compiler/ir/verify.ts';
import { interpret } from '../../compiler/interpreter/interpret.ts';
import { prepareGraph, type PrepareResult } from '../../compiler/passes/pipeline.ts';
import { openReferee, type Referee } from '../referee/ort.ts';
import { ZOO_NAMES, zooModel } from '../zoo/models.ts';
import { QdqBuilder } from './qdq-models.ts';

const f32 = (bits: number) => new Float32Array(new Uint32Array([bits]).buffer)[0]!;
const XS = f32(0x3b808081);
const WS = f32(0x3c4b45d7);
const BS = f32(0x384c11ea);
const YS = f32(0x3c7b5ade);
const W = [-102, 84, 68, -114, -127, -115, 57, 18, -28];
const BIAS = 21225;
/** Pixels of the window (digits values / 16): they quantize to 32, 64, 48 above the zero point -128. */
const X = [0.125, 0, 0, 0.25, 0, 0, 0.1875, 0, 0];

function stemModel(residual: boolean): Uint8Array {
  const b = new QdqBuilder();
  const x = b.dq(b.q(b.input('x', [1, 1, 3, 3]), 'i8', XS, -128), 'i8', XS, -128);
  const w = b.op('DequantizeLinear', [
    b.init('w', new Tensor('i8', [1, 1, 3, 3], Int8Array.from(W))),
    b.init('w_scale', Tensor.fromNumbers('f32', [1], [WS])), b.init('w_zp', Tensor.fromNumbers('i8', [1], [0])),
  ], { axis: { i: 0 } });
  const bias = b.op('DequantizeLinear', [
    b.init('b', Tensor.fromNumbers('i32', [1], [BIAS])), b.init('b_scale', Tensor.fromNumbers('f32', [1], [BS])),
    b.init('b_zp', Tensor.fromNumbers('i32', [1], [0])),
  ], { axis: { i: 0 } });
  const y = b.dq(b.q(b.op('Conv', [x, w, bias], { kernel_shape: { ints: [3, 3] } }), 'i8', YS, -128), 'i8', YS, -128);
  if (!residual) return encodeModel(b.build([y]));
  const z = b.dq(b.q(b.op('Add', [y, y]), 'i8', 0.03, -128), 'i8', 0.03, -128);
  return encodeModel(b.build([y, z]));
}

const sessions: Referee[] = [];
afterAll(async () => {
  for (const s of sessions) await s.release();
});

async function ortAll(bytes: Uint8Array, feeds: Map<string, Tensor>): Promise<Map<string, Tensor>> {
  const s = await openReferee(bytes, 'all');
  sessions.push(s);
  return s.run(feeds);
}

function prepared(bytes: Uint8Array): { g: Graph; prep: PrepareResult } {
  const g = loadOnnxBytes(bytes);
  return { g, prep: prepareGraph(g, { verify: verifyGraph }) };
}

const feeds = () => new Map([['x', Tensor.fromNumbers('f32', [1, 1, 3, 3], X)]]);
const bytesOf = (t: Tensor) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);

describe('int8 QDQ stem of the digits TinyResNet vs onnxruntime-web', () => {
  const a = stemModel(false);
  const b = stemModel(true);

  it('single-consumer Q: qcc fuses the Conv (ORT converts the pairs to uint8); second consumer: the Conv stays float', () => {
    const pa = prepared(a);
    expect(pa.g.nodes.map((n) => n.op)).toContain('qlinear_conv');
    expect(pa.prep.floatNodes).toEqual([]);
    const pb = prepared(b);
    expect(pb.g.nodes.map((n) => n.op)).not.toContain('qlinear_conv');
    const conv = pb.prep.floatNodes.find((f) => f.op === 'conv');
    expect(conv?.reason).toMatch(/QDQS8ToU8Transformer/);
  });

  it('the interpreter gives exactly ORT-web\'s outputs on both, and they differ by one step at the stem', async () => {
    const ys: Tensor[] = [];
    for (const bytes of [a, b]) {
      const { g } = prepared(bytes);
      const ours = interpret(g, feeds());
      const theirs = await ortAll(bytes, feeds());
      for (const [name, t] of ours) expect(bytesOf(theirs.get(name)!).equals(bytesOf(t)), name).toBe(true);
      ys.push(ours.get(g.outputs[0]!.name)!);
    }
    // A: the integer kernel's 42 (stored -86); B: ORT's float Conv's 43 (-85).
    const steps = ys.map((t) => Math.round((t.data as Float32Array)[0]! / YS));
    expect(steps).toEqual([42, 43]);
  });
});

/**
 * The fusion decisions themselves, against the graph native ONNX Runtime writes after its Level 2
 * (QDQ) transformers: the same transformer list as onnxruntime-web, with the same QDQIsInt8Allowed() off
 * ARM (so skipped on arm64). Nodes are matched by name: ORT names a fused node after the op it replaces.
 */
describe.skipIf(arch() === 'arm64' || arch() === 'arm')('nodes fused: qcc == onnxruntime (QDQ transformers)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qcc-ortopt-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let k = 0;
  async function ortFused(bytes: Uint8Array): Promise<string[]> {
    const ortNode = await import('onnxruntime-node');
    const src = join(dir, `m${k}.onnx`);
    const dst = join(dir, `m${k++}_opt.onnx`);
    writeFileSync(src, bytes);
    const s = await ortNode.InferenceSession.create(src, { graphOptimizationLevel: 'extended', optimizedModelFilePath: dst });
    await s.release();
    const m = onnx.ModelProto.decode(readFileSync(dst));
    return (m.graph?.node ?? []).filter((n) => /^(QLinear|QGemm|MatMulIntegerToFloat)/.test(n.opType ?? '')).map((n) => n.name ?? '').sort();
  }
  const qccFused = (bytes: Uint8Array) => prepared(bytes).g.nodes.filter((n) => /^(qlinear_|qgemm$)/.test(n.op)).map((n) => n.name).sort();

  const models: [string, () => Uint8Array][] = [['stem, single consumer', () => stemModel(false)], ['stem, residual', () => stemModel(true)]];
  for (const z of ZOO_NAMES) for (const act of ['i8', 'u8'] as const) models.push([`zoo ${z} qdq ${act}`, () => encodeModel(zooModel(z, 'qdq', act))]);
  it.each(models)('%s', async (_name, make) => {
    const bytes = make();
    expect(qccFused(bytes)).toEqual(await ortFused(bytes));
  });
});
