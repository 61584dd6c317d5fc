import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { QccError } from '../errors.ts';
import { typeToString, type Graph, type Value } from '../ir/graph.ts';
import type { Tensor } from '../ir/tensor.ts';
import { decodeNpy, encodeNpy } from './npy.ts';
import { decodeTensorProtoFile, encodeTensorProtoFile } from './tensor-proto.ts';

function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new QccError('E_IO', `cannot read '${path}' (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
}

function writeBytes(path: string, bytes: Uint8Array): void {
  try {
    writeFileSync(path, bytes);
  } catch (e) {
    throw new QccError('E_IO', `cannot write '${path}' (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
}

/** Reads a tensor file by extension: .pb (ONNX TensorProto) or .npy. */
export function readTensorFile(path: string): { name?: string; tensor: Tensor } {
  const ext = extname(path).toLowerCase();
  if (ext === '.pb') return decodeTensorProtoFile(readBytes(path), path, { baseDir: dirname(path) });
  if (ext === '.npy') return { tensor: decodeNpy(readBytes(path), path) };
  throw new QccError('E_USAGE', `'${path}': unknown tensor file type '${ext}' (use .pb or .npy)`);
}

/** Writes a tensor file by extension: .pb (TensorProto named `name`) or .npy. */
export function writeTensorFile(path: string, tensor: Tensor, name: string): void {
  const ext = extname(path).toLowerCase();
  if (ext === '.pb') writeBytes(path, encodeTensorProtoFile(tensor, name));
  else if (ext === '.npy') writeBytes(path, encodeNpy(tensor));
  else throw new QccError('E_USAGE', `'${path}': unknown tensor file type '${ext}' (use .pb or .npy)`);
}

const sameShape = (t: Tensor, v: Value): boolean =>
  t.shape.length === v.type.shape.length && t.shape.every((d, i) => d === v.type.shape[i]);

/**
 * Reads the graph's inputs from a folder. Accepted names: input_<k>.pb (ONNX test-data layout: a
 * TensorProto whose name is a graph input goes to that input, otherwise to input k), input_<k>.npy,
 * and <input name>.pb / <input name>.npy. Other files are ignored. Each input must come exactly once,
 * with the model's dtype and shape (E_INPUT otherwise).
 */
export function readInputsDir(dir: string, graph: Graph): Map<string, Tensor> {
  let files: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new QccError('E_IO', `'${dir}' is not a folder`);
    files = readdirSync(dir).sort();
  } catch (e) {
    if (e instanceof QccError) throw e;
    throw new QccError('E_IO', `cannot read input folder '${dir}' (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  const byName = new Map(graph.inputs.map((v) => [v.name, v]));
  const found = new Map<string, { file: string; tensor: Tensor }>();
  const assign = (v: Value, file: string, tensor: Tensor) => {
    const prev = found.get(v.name);
    if (prev) throw new QccError('E_INPUT', `input '${v.name}' is given twice, by '${prev.file}' and '${file}'`);
    found.set(v.name, { file, tensor });
  };
  for (const f of files) {
    const ext = extname(f).toLowerCase();
    if (ext !== '.pb' && ext !== '.npy') continue;
    const base = basename(f, extname(f));
    const path = join(dir, f);
    const direct = byName.get(base);
    const m = /^input_(\d+)$/.exec(base);
    if (!direct && !m) continue;
    const { name, tensor } = readTensorFile(path);
    let target: Value | undefined = direct;
    if (!target && name !== undefined && byName.has(name)) target = byName.get(name);
    if (!target) {
      const k = Number(m![1]);
      target = graph.inputs[k];
      if (!target) {
        throw new QccError('E_INPUT', `'${path}' is input ${k}, but the model has ${graph.inputs.length} input${graph.inputs.length === 1 ? '' : 's'}`);
      }
    }
    assign(target, path, tensor);
  }
  const out = new Map<string, Tensor>();
  graph.inputs.forEach((v, k) => {
    const got = found.get(v.name);
    if (!got) {
      throw new QccError('E_INPUT', `no data for graph input '${v.name}' (${typeToString(v.type)}) in '${dir}'`, {
        hint: `provide input_${k}.pb or input_${k}.npy (or ${v.name}.npy)`,
      });
    }
    const t = got.tensor;
    if (t.dtype !== v.type.dtype || !sameShape(t, v)) {
      throw new QccError('E_INPUT', `'${got.file}' holds ${t.dtype}[${t.shape.join('x')}] but input '${v.name}' expects ${typeToString(v.type)}`);
    }
    out.set(v.name, t);
  });
  return out;
}

/** Writes the graph outputs as output_<k>.pb (TensorProtos named after the outputs) or output_<k>.npy. */
export function writeOutputsDir(dir: string, graph: Graph, outputs: ReadonlyMap<string, Tensor>, format: 'pb' | 'npy'): void {
  try {
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new QccError('E_IO', `cannot create output folder '${dir}' (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  graph.outputs.forEach((v, k) => {
    const t = outputs.get(v.name);
    if (!t) throw new Error(`internal: no value computed for graph output '${v.name}'`);
    writeTensorFile(join(dir, `output_${k}.${format}`), t, v.name);
  });
}
