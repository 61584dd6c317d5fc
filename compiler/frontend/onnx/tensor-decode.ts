import { closeSync, constants as fsConstants, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { QccError } from '../../errors.ts';
import { DTYPES, allocData, dtypeFromOnnx, onnxDtypeName, type DType, type TensorData } from '../../ir/dtype.ts';
import { Tensor, shapeToString } from '../../ir/tensor.ts';
import { DataLocation, int64ToBigInt, int64ToNumber, type Int64, type TensorProto } from './proto.ts';

import { DEFAULT_MAX_TENSOR_BYTES } from '../../limits.ts';

export { DEFAULT_MAX_TENSOR_BYTES };

export interface TensorDecodeOptions {
  /** Folder that external data locations are relative to (the model's folder). */
  baseDir?: string;
  /** Largest tensor accepted, in bytes (default 4 GiB). */
  maxTensorBytes?: number;
}

/** The dtype of a tensor proto, or E_UNSUPPORTED naming the tensor and the ONNX type. */
export function tensorDType(t: TensorProto, what: string): DType {
  const code = t.dataType ?? 0;
  if (code === 0) throw new QccError('E_MODEL', `${what} has no data type`);
  const dt = dtypeFromOnnx(code);
  if (!dt) throw new QccError('E_UNSUPPORTED', `${what} has data type ${onnxDtypeName(code)}, which qcc does not support`);
  return dt;
}

function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(2)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(2)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/**
 * Validates dims and returns the shape and byte size, before anything is allocated: negative or
 * absurd dims and tensors over the limit are E_LIMIT.
 */
export function checkedShape(dims: readonly Int64[], dtype: DType, what: string, maxBytes: number): { shape: number[]; bytes: number } {
  const shape: number[] = [];
  for (const d of dims) {
    const big = int64ToBigInt(d);
    if (big < 0n) throw new QccError('E_LIMIT', `${what} has a negative dimension ${big} (dims ${dims.map((x) => int64ToBigInt(x)).join('x')})`);
    if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new QccError('E_LIMIT', `${what} has an absurd dimension ${big}`);
    shape.push(Number(big));
  }
  if (shape.length > 64) throw new QccError('E_LIMIT', `${what} has ${shape.length} dimensions (at most 64 are supported)`);
  // Exact size as BigInt so huge products cannot overflow into something that looks small.
  let elems = 1n;
  for (const d of shape) elems *= BigInt(d);
  const bytes = elems * BigInt(DTYPES[dtype].bytes);
  if (bytes > BigInt(maxBytes)) {
    throw new QccError(
      'E_LIMIT',
      `${what} (${dtype}[${shapeToString(shape)}]) is ${bytes > BigInt(Number.MAX_SAFE_INTEGER) ? `${bytes} bytes` : formatBytes(Number(bytes))}, over the limit of ${formatBytes(maxBytes)}`,
    );
  }
  return { shape, bytes: Number(bytes) };
}

/** Byte size of a tensor proto (validating dims and dtype), without decoding its data. */
export function tensorProtoBytes(t: TensorProto, what: string, maxBytes = DEFAULT_MAX_TENSOR_BYTES): number {
  return checkedShape((t.dims ?? []) as Int64[], tensorDType(t, what), what, maxBytes).bytes;
}

function alloc(dtype: DType, n: number, what: string): TensorData {
  try {
    return allocData(dtype, n);
  } catch (e) {
    throw new QccError('E_LIMIT', `cannot allocate ${what} (${n} elements of ${dtype}): ${e instanceof Error ? e.message : e}`);
  }
}

/** Little-endian bytes to a typed array (copied: raw_data may be unaligned). Hosts are little-endian. */
function fromLittleEndian(dtype: DType, n: number, raw: Uint8Array, what: string): TensorData {
  const data = alloc(dtype, n, what);
  new Uint8Array(data.buffer, data.byteOffset, data.byteLength).set(raw);
  if (dtype === 'bool') for (let i = 0; i < n; i++) if (data[i] !== 0) (data as Uint8Array)[i] = 1;
  return data;
}

function mismatch(what: string, got: string, shape: readonly number[], need: string): QccError {
  return new QccError('E_MODEL', `${what} has ${got} but its shape ${shapeToString(shape)} needs ${need}`);
}

/** Reads the byte range of an external-data tensor, refusing paths outside the model's folder. */
function readExternal(t: TensorProto, what: string, nbytes: number, opts: TensorDecodeOptions): Uint8Array {
  const kv = new Map<string, string>();
  for (const e of t.externalData ?? []) kv.set(e.key ?? '', e.value ?? '');
  const location = kv.get('location');
  if (!location) throw new QccError('E_MODEL', `${what} is stored externally but has no 'location'`);
  const num = (key: string): number | undefined => {
    const s = kv.get(key);
    if (s === undefined || s === '') return undefined;
    if (!/^\d+$/.test(s.trim())) throw new QccError('E_MODEL', `${what} has an invalid external data ${key} '${s}'`);
    return Number(s.trim());
  };
  const offset = num('offset') ?? 0;
  const length = num('length');
  if (opts.baseDir === undefined) {
    throw new QccError('E_IO', `${what} is stored in external file '${location}', but the model was not loaded from a folder`, {
      hint: 'load the model from its file path so external data can be found beside it',
    });
  }
  if (isAbsolute(location) || /^[a-zA-Z]:[\\/]/.test(location) || location.startsWith('\\')) {
    throw new QccError('E_MODEL', `${what}: external data location '${location}' is an absolute path; it must be relative to the model's folder`);
  }
  const base = resolve(opts.baseDir);
  const full = resolve(base, location);
  const inside = (root: string, p: string): boolean => {
    const r = relative(root, p);
    return r !== '' && !r.startsWith('..' + sep) && r !== '..' && !isAbsolute(r);
  };
  if (!inside(base, full)) {
    throw new QccError('E_MODEL', `${what}: external data location '${location}' is outside the model's folder`);
  }
  // Only regular files: a folder fails to read, and opening a FIFO or device could block forever.
  if (location.includes('\0')) throw new QccError('E_MODEL', `${what}: external data location '${location.replace(/\0/g, '\\0')}' contains a NUL character`);
  let pre;
  try {
    pre = statSync(full, { throwIfNoEntry: false });
  } catch (e) {
    throw new QccError('E_IO', `${what}: cannot open external data file '${location}' (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  if (pre && !pre.isFile()) throw new QccError('E_MODEL', `${what}: external data location '${location}' is not a regular file`);
  let fd: number;
  try {
    fd = openSync(full, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch (e) {
    throw new QccError('E_IO', `${what}: cannot open external data file '${location}' (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  try {
    // Symlinks may point elsewhere: the real path must be inside the real folder as well.
    let realBase = base;
    try {
      realBase = realpathSync(base);
    } catch {
      /* base exists since the file opened */
    }
    if (!inside(realBase, realpathSync(full))) {
      throw new QccError('E_MODEL', `${what}: external data location '${location}' resolves outside the model's folder`);
    }
    const st = fstatSync(fd);
    if (!st.isFile()) throw new QccError('E_MODEL', `${what}: external data location '${location}' is not a regular file`);
    const size = st.size;
    if (length !== undefined && length !== nbytes) {
      throw new QccError('E_MODEL', `${what} has external data length ${length} but its shape needs ${nbytes} bytes`);
    }
    if (offset + nbytes > size) {
      throw new QccError('E_MODEL', `${what}: external data file '${location}' has ${size} bytes, too short for ${nbytes} bytes at offset ${offset}`);
    }
    const buf = new Uint8Array(nbytes);
    let done = 0;
    while (done < nbytes) {
      let k: number;
      try {
        k = readSync(fd, buf, done, Math.min(nbytes - done, 1 << 30), offset + done);
      } catch (e) {
        throw new QccError('E_IO', `${what}: cannot read external data file '${location}' (${(e as NodeJS.ErrnoException).code ?? e})`);
      }
      if (k <= 0) throw new QccError('E_IO', `${what}: unexpected end of external data file '${location}'`);
      done += k;
    }
    return buf;
  } finally {
    closeSync(fd);
  }
}

/**
 * Decodes a TensorProto in any storage form: raw_data (little-endian), the typed repeated fields
 * (int32_data also carries the 8/16-bit types, bool and float16 bits), or external data.
 * `what` names the tensor in errors (e.g. "initializer 'w'").
 */
export function decodeTensor(t: TensorProto, what: string, opts: TensorDecodeOptions = {}): Tensor {
  const maxBytes = opts.maxTensorBytes ?? DEFAULT_MAX_TENSOR_BYTES;
  const dtype = tensorDType(t, what);
  const { shape, bytes } = checkedShape((t.dims ?? []) as Int64[], dtype, what, maxBytes);
  const n = bytes / DTYPES[dtype].bytes;
  if (t.segment) throw new QccError('E_UNSUPPORTED', `${what} is a segmented tensor, which qcc does not support`);

  if (t.dataLocation === DataLocation.EXTERNAL) {
    return new Tensor(dtype, shape, fromLittleEndian(dtype, n, readExternal(t, what, bytes, opts), what));
  }
  const raw = t.rawData;
  if (raw && raw.length > 0) {
    if (raw.length !== bytes) throw mismatch(what, `${raw.length} bytes of raw_data`, shape, `${bytes}`);
    return new Tensor(dtype, shape, fromLittleEndian(dtype, n, raw, what));
  }

  const check = (len: number, field: string): void => {
    if (len !== n) throw mismatch(what, `${len} values in ${field}`, shape, `${n}`);
  };
  const data = alloc(dtype, n, what);
  switch (dtype) {
    case 'f32': {
      const src = t.floatData ?? [];
      check(src.length, 'float_data');
      (data as Float32Array).set(src);
      break;
    }
    case 'f64': {
      const src = t.doubleData ?? [];
      check(src.length, 'double_data');
      (data as Float64Array).set(src);
      break;
    }
    case 'i64': {
      const src = (t.int64Data ?? []) as Int64[];
      check(src.length, 'int64_data');
      const d = data as BigInt64Array;
      for (let i = 0; i < n; i++) d[i] = int64ToBigInt(src[i]);
      break;
    }
    case 'u64': {
      const src = (t.uint64Data ?? []) as Int64[];
      check(src.length, 'uint64_data');
      const d = data as BigUint64Array;
      for (let i = 0; i < n; i++) d[i] = int64ToBigInt(src[i], true);
      break;
    }
    case 'u32': {
      const src = (t.uint64Data ?? []) as Int64[];
      check(src.length, 'uint64_data');
      const d = data as Uint32Array;
      for (let i = 0; i < n; i++) d[i] = int64ToNumber(src[i], true);
      break;
    }
    case 'bool': {
      const src = t.int32Data ?? [];
      check(src.length, 'int32_data');
      const d = data as Uint8Array;
      for (let i = 0; i < n; i++) d[i] = src[i] ? 1 : 0;
      break;
    }
    default: {
      // i8 u8 i16 u16 i32 f16 (bits): int32_data, stored in the target width (two's complement wrap).
      const src = t.int32Data ?? [];
      check(src.length, 'int32_data');
      (data as Int32Array).set(src);
      break;
    }
  }
  return new Tensor(dtype, shape, data);
}

/** Name of a tensor proto for messages. */
export function tensorLabel(kind: string, t: TensorProto): string {
  return `${kind} '${t.name ?? ''}'`;
}
