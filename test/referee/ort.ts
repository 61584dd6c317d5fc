/**
 * onnxruntime-web (wasm, one thread) as the referee: runs ONNX model bytes on qcc Tensors.
 * Native ONNX Runtime is not used on purpose: its AVX2 u8 x s8 kernels saturate on full-range weights.
 */
import * as ort from 'onnxruntime-web';
import type { DType, TensorData } from '../../compiler/ir/dtype.ts';
import { Tensor } from '../../compiler/ir/tensor.ts';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

const TO_ORT: Readonly<Record<DType, ort.Tensor.Type>> = {
  f32: 'float32',
  f64: 'float64',
  f16: 'float16',
  i8: 'int8',
  u8: 'uint8',
  i16: 'int16',
  u16: 'uint16',
  i32: 'int32',
  u32: 'uint32',
  i64: 'int64',
  u64: 'uint64',
  bool: 'bool',
};
const FROM_ORT = new Map<string, DType>(Object.entries(TO_ORT).map(([k, v]) => [v, k as DType]));

export function toOrt(t: Tensor): ort.Tensor {
  // ORT keeps a reference to the array; hand it a copy so nothing it does can touch our tensor.
  const data = t.data.slice() as TensorData;
  return new ort.Tensor(TO_ORT[t.dtype], data as ort.Tensor.DataType, [...t.shape]);
}

export function fromOrt(t: ort.Tensor): Tensor {
  const dtype = FROM_ORT.get(t.type);
  if (!dtype) throw new Error(`onnxruntime-web returned an output of type ${t.type}, which qcc has no dtype for`);
  let data = t.data as unknown as TensorData;
  // ORT hands bool back as Uint8Array already; float16 as Uint16Array (raw bits) in this version.
  if (dtype === 'f16' && !(data instanceof Uint16Array)) {
    throw new Error(`onnxruntime-web returned float16 data as ${Object.prototype.toString.call(data)}`);
  }
  data = data.slice() as TensorData;
  return new Tensor(dtype, t.dims, data);
}

export interface Referee {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: ReadonlyMap<string, Tensor>): Promise<Map<string, Tensor>>;
  release(): Promise<void>;
}

/**
 * A session on model bytes (or a path). By default ORT optimizes as it does for users ('all': QDQ groups
 * become its fused integer kernels, which is the behaviour qcc matches); 'disabled' runs the ops as written.
 */
export async function openReferee(model: Uint8Array | string, optimization: 'all' | 'disabled' = 'all'): Promise<Referee> {
  const opts: ort.InferenceSession.SessionOptions = {
    executionProviders: ['wasm'],
    graphOptimizationLevel: optimization,
  };
  const session = typeof model === 'string' ? await ort.InferenceSession.create(model, opts) : await ort.InferenceSession.create(model, opts);
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(feeds) {
      const f: Record<string, ort.Tensor> = {};
      for (const name of session.inputNames) {
        const t = feeds.get(name);
        if (!t) throw new Error(`referee: no feed for input '${name}'`);
        f[name] = toOrt(t);
      }
      const out = await session.run(f);
      const res = new Map<string, Tensor>();
      for (const name of session.outputNames) res.set(name, fromOrt(out[name]!));
      return res;
    },
    release: () => session.release(),
  };
}
