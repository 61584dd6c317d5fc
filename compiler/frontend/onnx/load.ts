import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import { QccError } from '../../errors.ts';
import { DTYPES, type DType } from '../../ir/dtype.ts';
import { Graph, typeToString, type TensorType, type Value } from '../../ir/graph.ts';
import { shapeToString } from '../../ir/tensor.ts';
import { verifyGraph } from '../../ir/verify.ts';
import { DEFAULT_MAX_TOTAL_BYTES, checkTensorLimit, formatBytes, typeBytes } from '../../limits.ts';
import '../../ops/index.ts';
import { findImporter, type OnnxImporter } from './importer.ts';
import './importers/index.ts';
import { ImportState, OnnxImportContext } from './import-context.ts';
import { decodeModelProto, int64ToNumber, type GraphProto, type Int64, type ModelProto, type NodeProto, type TensorProto } from './proto.ts';
import { DEFAULT_MAX_TENSOR_BYTES, decodeTensor, tensorProtoBytes } from './tensor-decode.ts';
import { topoSort } from './topo-sort.ts';
import { declaredDType, declaredType, dimsToString, type DeclaredDim } from './value-info.ts';

export interface LoadOptions {
  /** Shapes for graph inputs with symbolic or unknown dims (also allowed for static ones if they agree). */
  inputShapes?: Record<string, number[]>;
  /** Largest tensor accepted, in bytes, per tensor and for the sum of all initializers. Default 4 GiB. */
  maxTensorBytes?: number;
  /** Largest sum of all tensors of the model (inputs, constants, intermediates), in bytes. Default 16 GiB. */
  maxTotalBytes?: number;
}

/** Reads and imports an ONNX model file; external data is looked up beside it. */
export function loadOnnxModel(path: string, opts: LoadOptions = {}): Graph {
  let bytes: Uint8Array;
  try {
    if (statSync(path).isDirectory()) throw new QccError('E_IO', `'${path}' is a folder, not an ONNX model file`);
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof QccError) throw e;
    throw new QccError('E_IO', `cannot read model '${path}' (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  const model = decodeModelProto(bytes, path);
  return importModel(model, { ...opts, baseDir: dirname(path), name: basename(path, extname(path)) });
}

/** Imports an ONNX model from its bytes. `baseDir` is where external data lives; `name` names the graph if the model does not. */
export function loadOnnxBytes(bytes: Uint8Array, opts: LoadOptions & { baseDir?: string; name?: string } = {}): Graph {
  const model = decodeModelProto(bytes, opts.name ?? 'model bytes');
  return importModel(model, opts);
}

const normDomain = (d: string | null | undefined): string => (!d || d === 'ai.onnx' ? '' : d);
const domainLabel = (d: string): string => (d === '' ? 'ai.onnx' : d);

function readOpsets(model: ModelProto): Map<string, number> {
  const opsets = new Map<string, number>();
  for (const o of model.opsetImport ?? []) {
    const d = normDomain(o.domain);
    const v = int64ToNumber(o.version as Int64);
    const prev = opsets.get(d);
    if (prev !== undefined && prev !== v) {
      throw new QccError('E_MODEL', `the model imports domain '${domainLabel(d)}' twice, at opsets ${prev} and ${v}`);
    }
    opsets.set(d, v);
  }
  if (opsets.size === 0) {
    const ir = int64ToNumber(model.irVersion as Int64);
    // IR versions before 3 had no opset_import; they meant opset 1 of the default domain.
    if (ir >= 3) throw new QccError('E_MODEL', 'the model has no opset_import');
    opsets.set('', 1);
  }
  return opsets;
}

interface PlannedNode {
  proto: NodeProto;
  name: string;
  domain: string;
  opset: number;
  imp: OnnxImporter;
}

/** Node names made unique; empty ones derived from the first output (or op type and position). */
function nodeNames(nodes: readonly NodeProto[]): string[] {
  const taken = new Set<string>(nodes.map((n) => n.name ?? '').filter((n) => n !== ''));
  const used = new Set<string>();
  return nodes.map((n, k) => {
    let base = n.name ?? '';
    let fromModel = base !== '';
    if (!fromModel) base = n.output?.find((o) => o) ? `${n.opType}:${n.output.find((o) => o)}` : `${n.opType}_${k}`;
    let name = base;
    for (let j = 1; used.has(name) || (!fromModel && taken.has(name)); j++) {
      name = `${base}__${j}`;
      fromModel = false;
    }
    used.add(name);
    return name;
  });
}

function planNodes(g: GraphProto, opsets: Map<string, number>): PlannedNode[] {
  const nodes = g.node ?? [];
  const names = nodeNames(nodes);
  const planned: PlannedNode[] = [];
  const unsupported: { name: string; domain: string; opType: string; opset: number }[] = [];
  nodes.forEach((proto, k) => {
    const domain = normDomain(proto.domain);
    const opset = opsets.get(domain);
    if (opset === undefined) {
      throw new QccError(
        'E_MODEL',
        `node '${names[k]}' (${proto.opType}) is in domain '${domainLabel(domain)}', which the model does not import (opset_import has ${[...opsets.keys()].map((d) => `'${domainLabel(d)}'`).join(', ')})`,
      );
    }
    const imp = findImporter(domain, proto.opType ?? '', opset);
    if (!imp) unsupported.push({ name: names[k]!, domain, opType: proto.opType ?? '', opset });
    else planned.push({ proto, name: names[k]!, domain, opset, imp });
  });
  if (unsupported.length > 0) throw unsupportedOps(unsupported);
  return planned;
}

function unsupportedOps(list: { name: string; domain: string; opType: string; opset: number }[]): QccError {
  const groups = new Map<string, string[]>();
  for (const u of list) {
    const k = `${domainLabel(u.domain)}::${u.opType} (opset ${u.opset})`;
    const l = groups.get(k) ?? [];
    l.push(u.name);
    groups.set(k, l);
  }
  const lines = [...groups.entries()].map(([k, names]) => `  ${k}: ${names.length} node${names.length > 1 ? 's' : ''}: ${names.map((n) => `'${n}'`).join(', ')}`);
  const kinds = groups.size;
  return new QccError(
    'E_UNSUPPORTED_OP',
    `the model uses ${kinds} unsupported op${kinds > 1 ? 's' : ''} (${list.length} node${list.length > 1 ? 's' : ''}):\n${lines.join('\n')}`,
    { hint: 'run `qcc ops` for the list of supported ops and opsets' },
  );
}

/** The static shape of a graph input, from its declaration and the user's override. */
function inputShape(name: string, dims: DeclaredDim[] | null, override: number[] | undefined): number[] {
  const flag = (d: (number | string)[]) => `--input-shape ${name}=${d.join('x')}`;
  if (override) {
    if (!Array.isArray(override) || override.some((d) => !Number.isSafeInteger(d) || d < 0)) {
      throw new QccError('E_USAGE', `input shape for '${name}' must be a list of non-negative integers, got ${JSON.stringify(override)}`);
    }
    if (dims !== null) {
      if (dims.length !== override.length) {
        throw new QccError('E_USAGE', `input shape ${override.join('x')} for '${name}' has rank ${override.length}, but the model declares ${dimsToString(dims)} (rank ${dims.length})`);
      }
      dims.forEach((d, i) => {
        if (typeof d === 'number' && d !== override[i]) {
          throw new QccError('E_USAGE', `input shape ${override.join('x')} for '${name}' disagrees with the model's fixed dimension ${i} (${d}) in ${dimsToString(dims)}`);
        }
      });
    }
    return [...override];
  }
  if (dims === null) {
    throw new QccError('E_DYNAMIC_SHAPE', `graph input '${name}' has no declared shape`, {
      hint: `give its shape on the command line, e.g. ${flag([1, 3, 224, 224])}`,
    });
  }
  if (dims.some((d) => typeof d !== 'number')) {
    const example = dims.map((d) => (typeof d === 'number' ? d : 1));
    const free = dims.filter((d) => typeof d !== 'number').map((d) => (d === null ? '?' : d));
    throw new QccError('E_DYNAMIC_SHAPE', `graph input '${name}' has dynamic dimensions ${dimsToString(dims)}`, {
      hint: `give it a fixed shape, e.g. ${flag(example)} (with your sizes for ${free.join(', ')})`,
    });
  }
  return dims as number[];
}

function importModel(model: ModelProto, opts: LoadOptions & { baseDir?: string; name?: string }): Graph {
  const g = model.graph!;
  const maxBytes = opts.maxTensorBytes ?? DEFAULT_MAX_TENSOR_BYTES;
  const opsets = readOpsets(model);
  const graph = new Graph(g.name || opts.name || 'model');
  graph.meta.producer = [model.producerName, model.producerVersion].filter((s) => s).join(' ');
  graph.meta.irVersion = String(int64ToNumber(model.irVersion as Int64));
  graph.meta.opsets = [...opsets.entries()].map(([d, v]) => `${domainLabel(d)}=${v}`).join(',');
  if (model.domain) graph.meta.domain = model.domain;

  if ((g.sparseInitializer ?? []).length > 0) throw new QccError('E_UNSUPPORTED', 'the model has sparse initializers, which qcc does not support');

  // Initializers: names, sizes (limits before any allocation).
  const inits = new Map<string, TensorProto>();
  let total = 0;
  for (const t of g.initializer ?? []) {
    const name = t.name ?? '';
    if (!name) throw new QccError('E_MODEL', 'an initializer has no name');
    if (inits.has(name)) throw new QccError('E_MODEL', `initializer '${name}' is defined twice`);
    inits.set(name, t);
    total += tensorProtoBytes(t, `initializer '${name}'`, maxBytes);
    if (total > maxBytes) {
      throw new QccError('E_LIMIT', `the initializers add up to more than the limit of ${maxBytes} bytes (reached at '${name}', ${total} bytes so far)`);
    }
  }

  // Graph inputs (those that are also initializers are constants: the pre-IR-4 convention).
  const inputProtos = (g.input ?? []).filter((vi) => !inits.has(vi.name ?? ''));
  const inputNames = new Set<string>();
  for (const vi of inputProtos) {
    const n = vi.name ?? '';
    if (!n) throw new QccError('E_MODEL', 'a graph input has no name');
    if (inputNames.has(n)) throw new QccError('E_MODEL', `graph input '${n}' is listed twice`);
    inputNames.add(n);
  }
  for (const k of Object.keys(opts.inputShapes ?? {})) {
    if (!inputNames.has(k)) {
      const why = inits.has(k) ? 'it is an initializer (a constant), not an input' : `the graph inputs are ${[...inputNames].map((n) => `'${n}'`).join(', ') || '(none)'}`;
      throw new QccError('E_USAGE', `--input-shape names '${k}', which is not a graph input: ${why}`);
    }
  }

  // Nodes: domains and importers (every unsupported op reported at once), then order.
  const planned = planNodes(g, opsets);
  const defined = new Set<string>([...inputNames, ...inits.keys()]);
  const order = topoSort(planned.map((p) => ({ name: p.name, inputs: p.proto.input ?? [], outputs: p.proto.output ?? [] })), defined);

  const produced = new Set<string>(planned.flatMap((p) => (p.proto.output ?? []).filter((o) => o)));
  const outputProtos = g.output ?? [];
  if (outputProtos.length === 0) throw new QccError('E_MODEL', 'the graph has no outputs');
  const outNames = new Set<string>();
  for (const vi of outputProtos) {
    const n = vi.name ?? '';
    if (outNames.has(n)) throw new QccError('E_MODEL', `graph output '${n}' is listed twice`);
    outNames.add(n);
    if (!produced.has(n) && !defined.has(n)) throw new QccError('E_MODEL', `graph output '${n}' is never defined`);
  }

  const reservedValues = new Set<string>([...defined, ...produced]);
  const state = new ImportState(graph, reservedValues, new Set(planned.map((p) => p.name)), { baseDir: opts.baseDir, maxTensorBytes: maxBytes });

  for (const vi of inputProtos) {
    const name = vi.name!;
    const what = `graph input '${name}'`;
    const decl = declaredType(vi, what);
    if (!decl) throw new QccError('E_MODEL', `${what} has no type`);
    const type: TensorType = { dtype: declaredDType(decl, what), shape: inputShape(name, decl.dims, opts.inputShapes?.[name]) };
    checkTensorLimit(type, what, maxBytes);
    const v = graph.addValue(name, type);
    graph.inputs.push(v);
    state.env.set(name, v);
  }

  // Only initializers something reads are decoded.
  const read = new Set<string>([...planned.flatMap((p) => p.proto.input ?? []), ...outNames]);
  for (const [name, t] of inits) {
    if (!read.has(name)) continue;
    state.env.set(name, graph.addConst(name, decodeTensor(t, `initializer '${name}'`, state.tensorOpts)));
  }

  const laterUse = new Set<string>(outNames);
  const readers = new Map<string, number>();
  for (const p of planned) for (const i of p.proto.input ?? []) if (i) readers.set(i, (readers.get(i) ?? 0) + 1);
  for (const k of order) {
    const p = planned[k]!;
    const ctx = new OnnxImportContext(state, p.proto, p.name, p.domain, p.opset);
    p.imp.import(ctx);
    (p.proto.output ?? []).forEach((o, i) => {
      if (o && !state.env.has(o) && (readers.has(o) || laterUse.has(o))) {
        throw ctx.error(`output ${i} ('${o}') is used, but qcc does not produce it for this op`, 'E_UNSUPPORTED');
      }
    });
  }

  checkValueInfo(g, state.env);
  for (const vi of outputProtos) graph.outputs.push(outputValue(graph, vi.name!, state.env.get(vi.name!)!, vi));
  graph.pruneValues();
  verifyGraph(graph);
  checkTotalSize(graph, opts.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES);
  return graph;
}

/** The interpreter keeps every value alive: all of them together must fit the total limit. */
function checkTotalSize(graph: Graph, maxTotal: number): void {
  let total = 0n;
  for (const v of graph.values.values()) total += typeBytes(v.type, `value '${v.name}'`);
  if (total > BigInt(maxTotal)) {
    throw new QccError('E_LIMIT', `the model's tensors add up to ${formatBytes(total)}, over the limit of ${formatBytes(maxTotal)}`);
  }
}

/** Declared element types of intermediate values must agree with inference (ONNX Runtime enforces the same). */
function checkValueInfo(g: GraphProto, env: Map<string, Value>): void {
  for (const vi of g.valueInfo ?? []) {
    const name = vi.name ?? '';
    const v = env.get(name);
    if (!v) continue;
    let decl;
    try {
      decl = declaredType(vi, `value_info '${name}'`);
    } catch {
      continue; // value_info is advisory: odd entries are ignored, not fatal
    }
    if (!decl || decl.elemType === 0) continue;
    if (DTYPES[v.type.dtype].onnx !== decl.elemType) {
      let declared: string;
      try {
        declared = declaredDType(decl, name);
      } catch {
        declared = `ONNX type ${decl.elemType}`;
      }
      throw new QccError('E_SHAPE', `value '${name}' is declared (value_info) as ${declared} but computes as ${typeToString(v.type)}`);
    }
  }
}

/** Checks a graph output against its declaration and gives it the declared name. */
function outputValue(graph: Graph, name: string, v: Value, vi: NonNullable<GraphProto['output']>[number]): Value {
  const what = `graph output '${name}'`;
  const decl = declaredType(vi, what);
  if (decl && decl.elemType !== 0) {
    const dt: DType = declaredDType(decl, what);
    if (dt !== v.type.dtype) throw new QccError('E_SHAPE', `${what} is declared ${dt} but computes as ${typeToString(v.type)}`);
  }
  if (decl && decl.dims !== null) {
    const dims = decl.dims;
    const shape = v.type.shape;
    const bad = dims.length !== shape.length || dims.some((d, i) => typeof d === 'number' && d !== shape[i]);
    if (bad) throw new QccError('E_SHAPE', `${what} is declared with shape ${dimsToString(dims)} but computes as ${shapeToString(shape)} (${typeToString(v.type)})`);
  }
  if (v.name === name) return v;
  const taken = graph.inputs.includes(v) || graph.outputs.includes(v);
  if (v.const) {
    // A constant output (the whole path folded): a fresh constant value carries the output's name.
    if (taken || !graph.renameValue(v, name)) return graph.addConst(name, v.const);
    return v;
  }
  if (taken || !graph.renameValue(v, name)) {
    throw new QccError('E_UNSUPPORTED', `${what} is the same value as '${v.name}' (an input or another output, passed through unchanged); qcc needs each output computed on its own`);
  }
  return v;
}
