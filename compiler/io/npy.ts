import { QccError } from '../errors.ts';
import { DTYPES, allocData, type DType } from '../ir/dtype.ts';
import { Tensor, shapeSize, shapeToString } from '../ir/tensor.ts';

/** NumPy descr strings we read and write (little-endian, C order). '<f2' is float16 kept as bits. */
const DESCR: Record<DType, string> = {
  f32: '<f4', f64: '<f8', f16: '<f2', i8: '|i1', u8: '|u1', i16: '<i2', u16: '<u2', i32: '<i4', u32: '<u4', i64: '<i8', u64: '<u8', bool: '|b1',
};
const BY_DESCR = new Map<string, DType>(Object.entries(DESCR).map(([d, s]) => [s, d as DType]));
// Single-byte types have no byte order; numpy writes '|' but accept the other markers too.
for (const [s, d] of [['i1', 'i8'], ['u1', 'u8'], ['b1', 'bool']] as const) {
  BY_DESCR.set(`<${s}`, d);
  BY_DESCR.set(`=${s}`, d);
  BY_DESCR.set(s, d);
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

interface Header {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

/**
 * Parses the header dict, a Python literal such as
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`. Only the forms numpy writes are accepted.
 */
function parseHeader(text: string, what: string): Header {
  const bad = (why: string) => new QccError('E_PARSE', `malformed .npy header in ${what}: ${why} (header: ${JSON.stringify(text.trim().slice(0, 120))})`);
  const s = text.trim();
  if (!s.startsWith('{') || !s.endsWith('}')) throw bad('it is not a Python dict');
  const body = s.slice(1, -1);
  const entries = new Map<string, string>();
  // key: value pairs; values are a quoted string, True/False, or a tuple of integers.
  const re = /\s*(['"])([a-z_]+)\1\s*:\s*('[^']*'|"[^"]*"|True|False|\([^()]*\))\s*(,|$)/gy;
  let pos = 0;
  for (;;) {
    if (body.slice(pos).trim() === '') break;
    re.lastIndex = pos;
    const m = re.exec(body);
    if (!m) throw bad(`cannot read it at '${body.slice(pos, pos + 30)}'`);
    if (entries.has(m[2]!)) throw bad(`key '${m[2]}' appears twice`);
    entries.set(m[2]!, m[3]!);
    pos = re.lastIndex;
    if (m[4] === '') break;
  }
  const descr = entries.get('descr');
  const fortran = entries.get('fortran_order');
  const shape = entries.get('shape');
  if (descr === undefined || fortran === undefined || shape === undefined) throw bad("it needs the keys 'descr', 'fortran_order' and 'shape'");
  if (entries.size !== 3) throw bad(`unexpected keys ${[...entries.keys()].filter((k) => !['descr', 'fortran_order', 'shape'].includes(k)).join(', ')}`);
  if (!descr.startsWith("'") && !descr.startsWith('"')) throw bad("'descr' must be a string");
  if (fortran !== 'True' && fortran !== 'False') throw bad("'fortran_order' must be True or False");
  if (!shape.startsWith('(')) throw bad("'shape' must be a tuple");
  const inner = shape.slice(1, -1).trim();
  const dims: number[] = [];
  if (inner !== '') {
    const parts = inner.split(',').map((p) => p.trim());
    if (parts[parts.length - 1] === '') parts.pop();
    for (const p of parts) {
      if (!/^\d+L?$/.test(p)) throw bad(`shape entry '${p}' is not a non-negative integer`);
      const d = Number(p.replace('L', ''));
      if (!Number.isSafeInteger(d)) throw bad(`shape entry '${p}' is too large`);
      dims.push(d);
    }
  }
  return { descr: descr.slice(1, -1), fortranOrder: fortran === 'True', shape: dims };
}

/** Reads a .npy file (format 1.0, 2.0 or 3.0; little-endian; C order). */
export function decodeNpy(bytes: Uint8Array, what: string): Tensor {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new QccError('E_PARSE', `not a .npy file: ${what} (no \\x93NUMPY magic)`);
  }
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (major < 1 || major > 3 || minor !== 0) throw new QccError('E_PARSE', `${what}: unsupported .npy format version ${major}.${minor} (1.0, 2.0, 3.0 are)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = dv.getUint16(8, true);
    start = 10;
  } else {
    if (bytes.length < 12) throw new QccError('E_PARSE', `${what}: truncated .npy header`);
    headerLen = dv.getUint32(8, true);
    start = 12;
  }
  if (start + headerLen > bytes.length) throw new QccError('E_PARSE', `${what}: truncated .npy header (${headerLen} bytes announced, ${bytes.length - start} present)`);
  const headerBytes = bytes.subarray(start, start + headerLen);
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(headerBytes);
  const h = parseHeader(text, what);
  if (h.fortranOrder) {
    throw new QccError('E_INPUT', `${what}: the array is stored in Fortran (column-major) order; qcc reads C order only`, {
      hint: 'save it with numpy.save(path, numpy.ascontiguousarray(a))',
    });
  }
  const dtype = BY_DESCR.get(h.descr);
  if (!dtype) {
    const big = h.descr.startsWith('>');
    throw new QccError('E_INPUT', `${what}: .npy dtype '${h.descr}' is not supported${big ? ' (big-endian)' : ''}`, {
      hint: `supported: ${[...new Set(Object.values(DESCR))].join(' ')}`,
    });
  }
  const n = shapeSize(h.shape);
  const nbytes = n * DTYPES[dtype].bytes;
  const body = bytes.subarray(start + headerLen);
  if (body.length !== nbytes) {
    throw new QccError('E_PARSE', `${what}: .npy data is ${body.length} bytes but ${h.descr}[${shapeToString(h.shape)}] needs ${nbytes}`);
  }
  const data = allocData(dtype, n);
  new Uint8Array(data.buffer, data.byteOffset, data.byteLength).set(body);
  if (dtype === 'bool') for (let i = 0; i < n; i++) if (data[i] !== 0) (data as Uint8Array)[i] = 1;
  return new Tensor(dtype, h.shape, data);
}

/** Writes a tensor as .npy (format 1.0, or 2.0 when the header does not fit). */
export function encodeNpy(t: Tensor): Uint8Array {
  const shape = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(', ')})`;
  let dict = `{'descr': '${DESCR[t.dtype]}', 'fortran_order': False, 'shape': ${shape}, }`;
  let major = 1;
  let pre = 10;
  if (dict.length + 1 + pre > 0xffff) {
    major = 2;
    pre = 12;
  }
  // Pad with spaces so the data starts on a 64-byte boundary; the header ends with a newline.
  const total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  dict = dict + ' '.repeat(total - pre - dict.length - 1) + '\n';
  const body = t.bytes();
  const out = new Uint8Array(total + body.length);
  out.set(MAGIC, 0);
  out[6] = major;
  out[7] = 0;
  const dv = new DataView(out.buffer);
  if (major === 1) dv.setUint16(8, dict.length, true);
  else dv.setUint32(8, dict.length, true);
  for (let i = 0; i < dict.length; i++) out[pre + i] = dict.charCodeAt(i);
  out.set(body, total);
  return out;
}
