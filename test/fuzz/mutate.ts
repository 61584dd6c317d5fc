/**
 * Seeded mutations of ONNX models for the frontend fuzzer. A case is fully determined by (seed, index):
 * `pickCase` draws the mutation kind and the source model first (cheap, so the parent process can label
 * a case that hangs its worker), then `makeCase` continues the same random stream to mutate the model.
 *
 * Byte-level kinds work on the file; structural kinds decode it with onnx-proto, change the object and
 * re-encode it, which reaches much further into the loader than random bytes do.
 */
import { onnx, type AttributeProto, type ModelProto, type NodeProto, type TensorProto, type ValueInfoProto } from '../../compiler/frontend/onnx/proto.ts';
import { bigToLong } from '../../compiler/frontend/onnx/writer.ts';
import { Prng } from '../../compiler/io/random-inputs.ts';
import { corpusBytes, type CorpusEntry } from './corpus.ts';

export const MUTATION_KINDS = [
  'none',
  'bit-flip',
  'truncate',
  'byte-splice',
  'field-splice',
  'wrong-dtype',
  'bad-dims',
  'dangling-name',
  'cycle',
  'duplicate-name',
  'attr-kind',
  'attr-value',
  'data-length',
  'tensor-values',
  'external-data',
  'drop-field',
  'opset',
  'multi',
] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

/** Relative weights: structural kinds get more cases (they reach deeper). */
const WEIGHTS: Record<MutationKind, number> = {
  none: 1,
  'bit-flip': 6,
  truncate: 3,
  'byte-splice': 3,
  'field-splice': 6,
  'wrong-dtype': 6,
  'bad-dims': 8,
  'dangling-name': 5,
  cycle: 4,
  'duplicate-name': 5,
  'attr-kind': 6,
  'attr-value': 10,
  'data-length': 6,
  'tensor-values': 10,
  'external-data': 6,
  'drop-field': 5,
  opset: 3,
  multi: 8,
};

export class Rng {
  private readonly p: Prng;
  constructor(seed: number) {
    this.p = new Prng(seed);
  }
  int(n: number): number {
    return n <= 1 ? 0 : this.p.nextU32() % n;
  }
  chance(p: number): boolean {
    return this.p.nextFloat() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
}

/** Mixes (seed, index) into one 32-bit stream seed (splitmix-style, so nearby cases are unrelated). */
export function caseSeed(seed: number, index: number): number {
  let z = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x2c1b3c6d) >>> 0;
  z = Math.imul(z ^ (z >>> 12), 0x297a2d39) >>> 0;
  return (z ^ (z >>> 15)) >>> 0;
}

export interface CasePick {
  kind: MutationKind;
  source: number;
}

function weightedKind(rng: Rng): MutationKind {
  const total = MUTATION_KINDS.reduce((s, k) => s + WEIGHTS[k], 0);
  let r = rng.int(total);
  for (const k of MUTATION_KINDS) {
    r -= WEIGHTS[k];
    if (r < 0) return k;
  }
  return 'none';
}

export function pickCase(rng: Rng, corpusSize: number): CasePick {
  return { kind: weightedKind(rng), source: rng.int(corpusSize) };
}

export interface FuzzCase extends CasePick {
  index: number;
  sourceId: string;
  bytes: Uint8Array;
  /** What was changed (for the report of a failing case). */
  note: string;
  inputShapes?: Record<string, number[]>;
}

/** Values that break naive size or index arithmetic. */
const NASTY_INTS = [0, -1, 1, 2, -2, 3, 7, 127, 128, 255, 256, -128, 65535, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 32, 2 ** 32 + 1, 2 ** 53, -(2 ** 53), 1e9, -1e9];
const NASTY_BIG = [2n ** 62n, -(2n ** 63n), 2n ** 63n - 1n, 2n ** 40n, -(2n ** 40n)];
const NASTY_FLOATS = [0, -0, 1, -1, 0.5, 1e-45, 1e-38, 3.4e38, -3.4e38, 1e300, Infinity, -Infinity, NaN, 2 ** 24, 2 ** 31];

function nastyInt(rng: Rng): number | ReturnType<typeof bigToLong> {
  if (rng.chance(0.15)) return bigToLong(rng.pick(NASTY_BIG));
  return rng.chance(0.7) ? rng.pick(NASTY_INTS) : rng.int(20) - 5;
}

/** Every attribute, initializer, value info and node of the main graph and of nested graphs. */
function nodes(m: ModelProto): NodeProto[] {
  return (m.graph?.node ?? []) as NodeProto[];
}
function inits(m: ModelProto): TensorProto[] {
  return (m.graph?.initializer ?? []) as TensorProto[];
}
function valueInfos(m: ModelProto): ValueInfoProto[] {
  const g = m.graph;
  return [...(g?.input ?? []), ...(g?.output ?? []), ...(g?.valueInfo ?? [])] as ValueInfoProto[];
}
function attrs(m: ModelProto): AttributeProto[] {
  return nodes(m).flatMap((n) => (n.attribute ?? []) as AttributeProto[]);
}
/** Tensors: initializers and tensor attributes (Constant's value). */
function tensors(m: ModelProto): TensorProto[] {
  return [...inits(m), ...attrs(m).flatMap((a) => (a.t ? [a.t as TensorProto] : []))];
}
/** Every value name the graph mentions. */
function valueNames(m: ModelProto): string[] {
  const s = new Set<string>();
  for (const n of nodes(m)) for (const x of [...(n.input ?? []), ...(n.output ?? [])]) if (x) s.add(x);
  for (const v of valueInfos(m)) if (v.name) s.add(v.name);
  for (const t of inits(m)) if (t.name) s.add(t.name);
  return [...s];
}

type Structural = (rng: Rng, m: ModelProto, donor: () => ModelProto) => string;

const wrongDtype: Structural = (rng, m) => {
  const codes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 99, -1];
  const code = rng.pick(codes);
  const ts = tensors(m);
  const vis = valueInfos(m).filter((v) => v.type?.tensorType);
  const castAttrs = attrs(m).filter((a) => a.name === 'to' || a.name === 'output_dtype' || a.name === 'dtype');
  const r = rng.int(3);
  if (r === 0 && ts.length) {
    const t = rng.pick(ts);
    t.dataType = code;
    return `tensor '${t.name}' dataType=${code}`;
  }
  if (r === 1 && castAttrs.length) {
    const a = rng.pick(castAttrs);
    a.i = code;
    return `attribute '${a.name}' = ${code}`;
  }
  if (vis.length) {
    const v = rng.pick(vis);
    v.type!.tensorType!.elemType = code;
    return `value_info '${v.name}' elemType=${code}`;
  }
  return 'no target';
};

const badDims: Structural = (rng, m) => {
  const dim = () => nastyInt(rng);
  const ts = tensors(m);
  const vis = valueInfos(m).filter((v) => v.type?.tensorType?.shape?.dim?.length);
  if (rng.chance(0.5) && ts.length) {
    const t = rng.pick(ts);
    const dims = [...(t.dims ?? [])] as unknown[];
    const r = rng.int(4);
    if (r === 0 || dims.length === 0) dims.push(dim());
    else if (r === 1) dims.pop();
    else if (r === 2) dims[rng.int(dims.length)] = dim();
    else for (let k = 0; k < 70; k++) dims.push(1);
    t.dims = dims as number[];
    return `tensor '${t.name}' dims=${JSON.stringify(dims.length > 8 ? `${dims.length} dims` : dims)}`;
  }
  if (vis.length) {
    const v = rng.pick(vis);
    const ds = v.type!.tensorType!.shape!.dim!;
    const k = rng.int(ds.length);
    const r = rng.int(4);
    if (r === 0) ds[k] = { dimParam: rng.pick(['N', '', 'batch', '?']) };
    else if (r === 1) ds.splice(k, 1);
    else if (r === 2) ds.push({ dimValue: dim() as number });
    else ds[k] = { dimValue: dim() as number };
    return `value_info '${v.name}' dim ${k} changed (${r})`;
  }
  return 'no target';
};

const danglingName: Structural = (rng, m) => {
  const ns = nodes(m);
  const r = rng.int(4);
  if (r === 0 && ns.length) {
    const n = rng.pick(ns);
    if (!n.input?.length) n.input = ['nowhere'];
    else n.input[rng.int(n.input.length)] = rng.pick(['nowhere', '', 'x\u0000y', n.input[0] + '_']);
    return `node '${n.name}' input dangling`;
  }
  if (r === 1 && m.graph?.output?.length) {
    const o = rng.pick(m.graph.output);
    o.name = rng.pick(['undefined_out', '', '\u00e9']);
    return `graph output renamed '${o.name}'`;
  }
  if (r === 2 && ns.length) {
    // Remove a producer: its outputs become dangling for their readers.
    const k = rng.int(ns.length);
    const [n] = ns.splice(k, 1);
    return `node '${n!.name}' removed`;
  }
  if (inits(m).length) {
    const t = rng.pick(inits(m));
    t.name = rng.chance(0.5) ? '' : 'renamed_init';
    return `initializer renamed '${t.name}'`;
  }
  return 'no target';
};

const cycle: Structural = (rng, m) => {
  const ns = nodes(m);
  if (!ns.length) return 'no target';
  const a = rng.int(ns.length);
  const b = rng.chance(0.3) ? a : a + rng.int(ns.length - a);
  const src = ns[b]!;
  const dst = ns[a]!;
  const out = src.output?.find((o) => o) ?? 'self';
  if (!dst.input?.length) dst.input = [out];
  else dst.input[rng.int(dst.input.length)] = out;
  return `node ${a} reads output '${out}' of node ${b}`;
};

const duplicateName: Structural = (rng, m) => {
  const ns = nodes(m);
  const g = m.graph!;
  const r = rng.int(5);
  if (r === 0 && ns.length >= 2) {
    const a = rng.pick(ns);
    const b = rng.pick(ns);
    if (b.output?.length && a.output?.length) b.output[0] = a.output[0]!;
    return `nodes '${a.name}' and '${b.name}' write the same output`;
  }
  if (r === 1 && ns.length) {
    const a = rng.pick(ns);
    for (const n of ns) if (rng.chance(0.5)) n.name = a.name;
    return `node names duplicated ('${a.name}')`;
  }
  if (r === 2 && inits(m).length) {
    const t = rng.pick(inits(m));
    g.initializer!.push(onnx.TensorProto.fromObject(onnx.TensorProto.toObject(t as onnxProtoTensor)));
    return `initializer '${t.name}' twice`;
  }
  if (r === 3 && g.input?.length) {
    const v = rng.pick(g.input);
    (rng.chance(0.5) ? g.input : g.output!).push(onnx.ValueInfoProto.fromObject(onnx.ValueInfoProto.toObject(v as onnxProtoValueInfo)));
    return `value info '${v.name}' listed twice`;
  }
  // An input that is also a node output (a value with two definitions).
  if (g.input?.length && ns.length) {
    const n = rng.pick(ns);
    if (n.output?.length) n.output[0] = rng.pick(g.input).name!;
    return `node '${n.name}' writes a graph input`;
  }
  return 'no target';
};

type onnxProtoTensor = InstanceType<typeof onnx.TensorProto>;
type onnxProtoValueInfo = InstanceType<typeof onnx.ValueInfoProto>;

const ATTR_TYPES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 99];

const attrKindMut: Structural = (rng, m) => {
  const as = attrs(m);
  const ns = nodes(m);
  if (as.length && rng.chance(0.75)) {
    const a = rng.pick(as);
    const r = rng.int(3);
    if (r === 0) {
      a.type = rng.pick(ATTR_TYPES);
      return `attribute '${a.name}' type=${a.type}`;
    }
    if (r === 1) {
      // The value moves to another field (declared type kept or cleared).
      const i = a.i;
      a.i = 0;
      a.f = 0;
      a.ints = [];
      a.floats = [];
      a.s = new Uint8Array();
      a.t = null;
      const k = rng.int(5);
      if (k === 0) a.f = 1.5;
      else if (k === 1) a.ints = [1, 2, 3];
      else if (k === 2) a.s = new TextEncoder().encode('SAME_UPPER');
      else if (k === 3) a.floats = [NaN];
      else a.i = i ?? 1;
      if (rng.chance(0.5)) a.type = 0;
      return `attribute '${a.name}' value moved to field ${k}`;
    }
    const n = ns.find((x) => x.attribute?.includes(a))!;
    n.attribute!.push(onnx.AttributeProto.fromObject(onnx.AttributeProto.toObject(a as InstanceType<typeof onnx.AttributeProto>)));
    return `attribute '${a.name}' given twice`;
  }
  if (!ns.length) return 'no target';
  const n = rng.pick(ns);
  const name = rng.pick(['axis', 'axes', 'kernel_shape', 'strides', 'pads', 'dilations', 'group', 'perm', 'to', 'value', 'auto_pad', 'mode', 'ceil_mode', 'transA', 'alpha', 'keepdims', 'bogus']);
  const type = rng.pick(ATTR_TYPES);
  const a: Record<string, unknown> = { name, type };
  if (rng.chance(0.5)) a['i'] = nastyInt(rng);
  if (rng.chance(0.5)) a['ints'] = [nastyInt(rng), nastyInt(rng)];
  if (rng.chance(0.3)) a['s'] = new TextEncoder().encode(rng.pick(['NOTSET', 'VALID', 'SAME_LOWER', '', 'zzz']));
  if (rng.chance(0.3)) a['f'] = rng.pick(NASTY_FLOATS);
  (n.attribute ??= []).push(onnx.AttributeProto.fromObject(a));
  return `node '${n.name}' gets attribute '${name}' of type ${type}`;
};

const attrValue: Structural = (rng, m) => {
  const as = attrs(m).filter((a) => a.type !== 5 && a.type !== 10);
  if (!as.length) return 'no target';
  const a = rng.pick(as);
  switch (a.type) {
    case 1:
      a.f = rng.pick(NASTY_FLOATS);
      return `attribute '${a.name}' f=${a.f}`;
    case 2:
      a.i = nastyInt(rng) as number;
      return `attribute '${a.name}' i=${JSON.stringify(a.i)}`;
    case 3:
      a.s = new TextEncoder().encode(rng.pick(['', 'SAME_UPPER', 'SAME_LOWER', 'VALID', 'NOTSET', 'x'.repeat(5000), '\u0000', 'constant', 'reflect', 'edge', 'wrap']));
      return `attribute '${a.name}' s changed`;
    case 6: {
      const fs = [...(a.floats ?? [])];
      if (fs.length && rng.chance(0.6)) fs[rng.int(fs.length)] = rng.pick(NASTY_FLOATS);
      else if (rng.chance(0.5)) fs.pop();
      else fs.push(rng.pick(NASTY_FLOATS));
      a.floats = fs;
      return `attribute '${a.name}' floats=${JSON.stringify(fs)}`;
    }
    case 7: {
      const is = [...(a.ints ?? [])] as unknown[];
      const r = rng.int(4);
      if (is.length && r <= 1) is[rng.int(is.length)] = nastyInt(rng);
      else if (r === 2) is.pop();
      else is.push(nastyInt(rng));
      a.ints = is as number[];
      return `attribute '${a.name}' ints=${JSON.stringify(is)}`;
    }
    default: {
      // Anything else (ints lists with no type, strings): a nasty int.
      a.i = nastyInt(rng) as number;
      return `attribute '${a.name}' (type ${a.type}) i changed`;
    }
  }
};

function typedField(t: TensorProto): 'floatData' | 'int32Data' | 'int64Data' | 'doubleData' | 'uint64Data' | null {
  for (const f of ['floatData', 'int32Data', 'int64Data', 'doubleData', 'uint64Data'] as const) if ((t[f] ?? []).length) return f;
  return null;
}

const dataLength: Structural = (rng, m) => {
  const ts = tensors(m);
  if (!ts.length) return 'no target';
  const t = rng.pick(ts);
  const raw = t.rawData;
  if (raw && raw.length) {
    const r = rng.int(4);
    if (r === 0) t.rawData = raw.subarray(0, rng.int(raw.length));
    else if (r === 1) t.rawData = new Uint8Array([...raw, ...new Uint8Array(1 + rng.int(9))]);
    else if (r === 2) t.rawData = new Uint8Array();
    else {
      // Raw data and typed data both present.
      t.int32Data = [1, 2, 3];
      t.floatData = [1];
    }
    return `tensor '${t.name}' raw_data ${raw.length} -> ${t.rawData?.length}`;
  }
  const f = typedField(t);
  if (f) {
    const xs = [...(t[f] as unknown[])];
    if (rng.chance(0.5)) xs.pop();
    else xs.push(...(f === 'floatData' || f === 'doubleData' ? [NaN, 1] : [nastyInt(rng), 7]));
    (t as Record<string, unknown>)[f] = xs;
    return `tensor '${t.name}' ${f} ${xs.length} values`;
  }
  t.rawData = new Uint8Array(1 + rng.int(17));
  return `tensor '${t.name}' gets ${t.rawData.length} bytes of raw_data`;
};

/** Nasty element values (scales of 0, NaN or Inf, zero points out of range, shape operands of -1, 0, huge). */
const tensorValues: Structural = (rng, m) => {
  const ts = tensors(m);
  if (!ts.length) return 'no target';
  const t = rng.pick(ts);
  const raw = t.rawData;
  const n = Math.max(1, (t.dims ?? []).reduce<number>((a, d) => a * Number(d), 1));
  const count = 1 + rng.int(Math.min(4, n));
  if (raw && raw.length) {
    const out = raw.slice();
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    const width = t.dataType === 7 || t.dataType === 11 || t.dataType === 13 ? 8 : t.dataType === 1 || t.dataType === 6 || t.dataType === 12 ? 4 : t.dataType === 5 || t.dataType === 4 || t.dataType === 10 ? 2 : 1;
    for (let k = 0; k < count && out.length >= width; k++) {
      const at = rng.int(Math.floor(out.length / width)) * width;
      if (width === 8) view.setBigInt64(at, rng.pick([-1n, 0n, 1n, 2n ** 62n, -(2n ** 63n), 2n ** 31n, -(2n ** 31n), 1000000n]), true);
      else if (width === 4 && t.dataType === 1) view.setFloat32(at, rng.pick(NASTY_FLOATS), true);
      else if (width === 4) view.setInt32(at, rng.pick([-1, 0, 2 ** 31 - 1, -(2 ** 31), 65536]), true);
      else if (width === 2) view.setUint16(at, rng.pick([0, 0x7c00, 0xfc00, 0x7e00, 0xffff, 0x8000]), true);
      else out[at] = rng.pick([0, 1, 127, 128, 255]);
    }
    t.rawData = out;
    return `tensor '${t.name}' ${count} raw values changed`;
  }
  const f = typedField(t);
  if (!f) return 'no target';
  const xs = [...(t[f] as unknown[])];
  for (let k = 0; k < count && xs.length; k++) {
    xs[rng.int(xs.length)] = f === 'floatData' || f === 'doubleData' ? rng.pick(NASTY_FLOATS) : f === 'int32Data' ? rng.pick([-1, 0, 255, -129, 2 ** 31 - 1, -(2 ** 31)]) : nastyInt(rng);
  }
  (t as Record<string, unknown>)[f] = xs;
  return `tensor '${t.name}' ${count} ${f} values changed`;
};

/** External-data locations, relative to the fuzz work folder layout (see run-case.ts). */
const EXTERNAL_LOCATIONS = [
  '../secret.bin', 'sub/../../secret.bin', '/etc/passwd', '/dev/zero', 'C:\\Windows\\win.ini', '\\\\server\\share\\w.bin',
  'link-out.bin', 'link-in.bin', 'weights.bin', 'missing.bin', 'sub', '.', '..', '', 'weights.bin\u0000.txt', 'sub/../weights.bin',
  '%2e%2e/secret.bin', '~/secret.bin', 'loop.bin', 'fifo', 'sub/../fifo',
];

const externalData: Structural = (rng, m) => {
  const ts = tensors(m);
  if (!ts.length) return 'no target';
  const t = rng.pick(ts);
  const location = rng.pick(EXTERNAL_LOCATIONS);
  const kv: { key: string; value: string }[] = [{ key: 'location', value: location }];
  const numbers = ['0', '1', '4096', '-1', '99999999999999999999', 'abc', '', ' 3', '0x10', '1e3'];
  if (rng.chance(0.5)) kv.push({ key: 'offset', value: rng.pick(numbers) });
  if (rng.chance(0.5)) kv.push({ key: 'length', value: rng.pick(numbers) });
  if (rng.chance(0.2)) kv.push({ key: 'location', value: 'weights.bin' });
  if (rng.chance(0.1)) kv.shift();
  t.externalData = kv;
  t.dataLocation = (rng.chance(0.9) ? 1 : rng.pick([2, -1, 7])) as TensorProto['dataLocation'];
  if (rng.chance(0.7)) t.rawData = new Uint8Array();
  return `tensor '${t.name}' external ${JSON.stringify(kv)} location=${t.dataLocation}`;
};

const dropField: Structural = (rng, m) => {
  const g = m.graph!;
  const ns = nodes(m);
  const r = rng.int(8);
  if (r === 0 && ns.length) {
    const n = rng.pick(ns);
    n.input = (n.input ?? []).slice(0, rng.int((n.input ?? []).length));
    return `node '${n.name}' inputs truncated to ${n.input.length}`;
  }
  if (r === 1 && ns.length) {
    const n = rng.pick(ns);
    n.output = (n.output ?? []).slice(0, rng.int((n.output ?? []).length));
    return `node '${n.name}' outputs truncated to ${n.output.length}`;
  }
  if (r === 2 && ns.length) {
    const n = rng.pick(ns);
    n.attribute = [];
    return `node '${n.name}' attributes dropped`;
  }
  if (r === 3) {
    const vis = valueInfos(m);
    if (vis.length) {
      const v = rng.pick(vis);
      if (rng.chance(0.5)) v.type = null;
      else if (v.type?.tensorType) v.type.tensorType.shape = null;
      return `value info '${v.name}' type/shape dropped`;
    }
  }
  if (r === 4 && inits(m).length) {
    g.initializer!.splice(rng.int(g.initializer!.length), 1);
    return 'an initializer dropped';
  }
  if (r === 5) {
    g.output = [];
    return 'graph outputs dropped';
  }
  if (r === 6) {
    m.opsetImport = [];
    return 'opset_import dropped';
  }
  if (ns.length) {
    const n = rng.pick(ns);
    n.opType = rng.pick(['', 'Unknown', 'conv', 'Conv ', 'QLinearConv']);
    return `node '${n.name}' op_type '${n.opType}'`;
  }
  return 'no target';
};

const opsetMut: Structural = (rng, m) => {
  const r = rng.int(4);
  if (r === 0 && m.opsetImport.length) {
    const o = rng.pick(m.opsetImport);
    o.version = rng.pick([0, 1, 6, 7, 9, 10, 11, 13, 19, 21, 22, 23, 100, 10001, -1]);
    return `opset '${o.domain}' -> ${o.version}`;
  }
  if (r === 1) {
    m.opsetImport.push(onnx.OperatorSetIdProto.fromObject({ domain: rng.pick(['', 'ai.onnx', 'com.microsoft']), version: rng.pick([1, 13, 21]) }));
    return 'opset import added';
  }
  if (r === 2 && nodes(m).length) {
    const n = rng.pick(nodes(m));
    n.domain = rng.pick(['com.microsoft', 'ai.onnx.ml', 'bogus', 'ai.onnx', '']);
    return `node '${n.name}' domain '${n.domain}'`;
  }
  m.irVersion = rng.pick([0, 1, 2, 3, 7, 11, 101, -1]);
  return `ir_version ${m.irVersion}`;
};

const fieldSplice: Structural = (rng, m, donor) => {
  const d = donor();
  const g = m.graph!;
  const dg = d.graph!;
  const r = rng.int(4);
  if (r === 0 && dg.node?.length) {
    const n = rng.pick(dg.node);
    const at = rng.int((g.node?.length ?? 0) + 1);
    (g.node ??= []).splice(at, 0, n);
    // Half of the time, wire it to this graph's names.
    const names = valueNames(m);
    if (names.length && rng.chance(0.5)) n.input = (n.input ?? []).map((x) => (x && rng.chance(0.7) ? rng.pick(names) : x));
    return `node '${n.name}' (${n.opType}) spliced in at ${at}`;
  }
  if (r === 1 && dg.initializer?.length && g.initializer?.length) {
    const t = rng.pick(dg.initializer);
    const k = rng.int(g.initializer.length);
    t.name = g.initializer[k]!.name;
    g.initializer[k] = t;
    return `initializer '${t.name}' replaced by a donor's`;
  }
  if (r === 2 && dg.node?.length && g.node?.length) {
    const n = rng.pick(g.node);
    const dn = rng.pick(dg.node);
    n.attribute = dn.attribute;
    return `node '${n.name}' takes the attributes of a donor '${dn.opType}'`;
  }
  if (dg.input?.length && g.input?.length) {
    const k = rng.int(g.input.length);
    const v = rng.pick(dg.input);
    v.name = g.input[k]!.name;
    g.input[k] = v;
    return `graph input '${v.name}' takes a donor's type`;
  }
  return 'no target';
};

const STRUCTURAL: Partial<Record<MutationKind, Structural>> = {
  'field-splice': fieldSplice,
  'wrong-dtype': wrongDtype,
  'bad-dims': badDims,
  'dangling-name': danglingName,
  cycle,
  'duplicate-name': duplicateName,
  'attr-kind': attrKindMut,
  'attr-value': attrValue,
  'data-length': dataLength,
  'tensor-values': tensorValues,
  'external-data': externalData,
  'drop-field': dropField,
  opset: opsetMut,
};

function bitFlip(rng: Rng, b: Uint8Array): [Uint8Array, string] {
  const out = b.slice();
  const n = 1 + rng.int(8);
  for (let k = 0; k < n; k++) {
    const i = rng.int(out.length);
    out[i]! ^= 1 << rng.int(8);
  }
  return [out, `${n} bits flipped`];
}

function truncate(rng: Rng, b: Uint8Array): [Uint8Array, string] {
  const at = rng.chance(0.3) ? b.length - 1 - rng.int(Math.min(16, b.length)) : rng.int(b.length);
  return [b.subarray(0, Math.max(0, at)).slice(), `truncated to ${at} of ${b.length} bytes`];
}

function byteSplice(rng: Rng, b: Uint8Array, donor: Uint8Array): [Uint8Array, string] {
  const len = 1 + rng.int(Math.min(64, donor.length));
  const from = rng.int(Math.max(1, donor.length - len));
  const at = rng.int(b.length);
  const chunk = donor.subarray(from, from + len);
  const out = rng.chance(0.5)
    ? new Uint8Array([...b.subarray(0, at), ...chunk, ...b.subarray(at)])
    : (() => {
        const o = b.slice();
        o.set(chunk.subarray(0, Math.max(0, o.length - at)), at);
        return o;
      })();
  return [out, `${len} donor bytes spliced at ${at}`];
}

/** Builds case `index` of the run with `seed` over `corpus`. */
export function makeCase(seed: number, index: number, corpus: readonly CorpusEntry[]): FuzzCase {
  const rng = new Rng(caseSeed(seed, index));
  const pick = pickCase(rng, corpus.length);
  const donorEntry = () => corpus[rng.int(corpus.length)]!;
  let bytes: Uint8Array = corpusBytes(corpus[pick.source]!);
  let note = '';

  const structural = (kind: MutationKind, base: Uint8Array): [Uint8Array, string] => {
    const m = onnx.ModelProto.decode(base);
    const fn = STRUCTURAL[kind]!;
    const what = fn(rng, m, () => onnx.ModelProto.decode(corpusBytes(donorEntry())));
    return [onnx.ModelProto.encode(m).finish(), what];
  };
  const apply = (kind: MutationKind, base: Uint8Array): [Uint8Array, string] => {
    switch (kind) {
      case 'none':
        return [base, 'unchanged'];
      case 'bit-flip':
        return bitFlip(rng, base);
      case 'truncate':
        return truncate(rng, base);
      case 'byte-splice':
        return byteSplice(rng, base, corpusBytes(donorEntry()));
      default:
        return structural(kind, base);
    }
  };

  // A structural kind with nothing to change in this model (no initializers, say) moves on to
  // another source model, so the kind's count measures what it says.
  if (pick.kind !== 'multi' && STRUCTURAL[pick.kind]) {
    for (let tries = 0; tries < 20; tries++) {
      const [b, what] = apply(pick.kind, bytes);
      if (what !== 'no target') return finish(b, what);
      pick.source = rng.int(corpus.length);
      bytes = corpusBytes(corpus[pick.source]!);
    }
  }
  if (pick.kind === 'multi') {
    const notes: string[] = [];
    const structuralKinds = Object.keys(STRUCTURAL) as MutationKind[];
    const n = 2 + rng.int(3);
    for (let k = 0; k < n; k++) {
      const kind = rng.pick(structuralKinds);
      const [b, what] = apply(kind, bytes);
      bytes = b;
      notes.push(`${kind}: ${what}`);
    }
    note = notes.join('; ');
  } else {
    [bytes, note] = apply(pick.kind, bytes);
  }
  return finish(bytes, note);

  function finish(b: Uint8Array, what: string): FuzzCase {
    const e = corpus[pick.source]!;
    return {
      ...pick,
      index,
      sourceId: e.id,
      bytes: b,
      note: what,
      ...(e.inputShapes ? { inputShapes: Object.fromEntries(Object.entries(e.inputShapes).map(([k, v]) => [k, [...v]])) } : {}),
    };
  }
}
