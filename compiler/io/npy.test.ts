import { describe, expect, it } from 'vitest';
import { ALL_DTYPES, cornerTensor, expectQcc } from '../frontend/onnx/test-helpers.ts';
import { Tensor, tensorsIdentical } from '../ir/tensor.ts';
import { decodeNpy, encodeNpy } from './npy.ts';

/** Files written by numpy 2.4 (np.save / np.lib.format.write_array), base64. */
const NUMPY = {
  f32_2x3: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAMA/AAAAgOaxYX8BAACAAADgQAAAAEE=',
  i8_v2: 'k05VTVBZAgB0AAAAeydkZXNjcic6ICd8aTEnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMywpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAqAfwA=',
  u16_v3: 'k05VTVBZAwB0AAAAeydkZXNjcic6ICc8dTInLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwgMSksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAP//',
  bool_scalar: 'k05VTVBZAQB2AHsnZGVzY3InOiAnfGIxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoB',
  i64_1: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAgA==',
  fortran: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAABAQAAAgD8AAIBAAAAAQAAAoEA=',
  bigEndian: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPmk0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAQAAAAI=',
  f16: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGYyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAPADA/3s=',
};
const b = (k: keyof typeof NUMPY) => new Uint8Array(Buffer.from(NUMPY[k], 'base64'));

/** A hand-made v1.0 file with the given header dict and body. */
function npy(header: string, body: Uint8Array = new Uint8Array(0)): Uint8Array {
  const h = new TextEncoder().encode(header + '\n');
  const out = new Uint8Array(10 + h.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  out[8] = h.length & 0xff;
  out[9] = h.length >> 8;
  out.set(h, 10);
  out.set(body, 10 + h.length);
  return out;
}

describe('npy', () => {
  it('reads files written by numpy (v1.0, v2.0, v3.0)', () => {
    const f = decodeNpy(b('f32_2x3'), 'f');
    expect(f.dtype).toBe('f32');
    expect(f.shape).toEqual([2, 3]);
    expect(tensorsIdentical(f, Tensor.fromNumbers('f32', [2, 3], [1.5, -0, 3e38, -1e-45, 7, 8]))).toBe(true);
    expect(decodeNpy(b('i8_v2'), 'f').toNumbers()).toEqual([-128, 127, 0]);
    const u = decodeNpy(b('u16_v3'), 'f');
    expect([u.dtype, u.shape, u.toNumbers()]).toEqual(['u16', [2, 1], [0, 65535]]);
    const s = decodeNpy(b('bool_scalar'), 'f');
    expect([s.dtype, s.shape, s.toNumbers()]).toEqual(['bool', [], [1]]);
    expect((decodeNpy(b('i64_1'), 'f').data as BigInt64Array)[0]).toBe(-(2n ** 63n));
    const h = decodeNpy(b('f16'), 'f');
    expect([h.dtype, h.toNumbers()]).toEqual(['f16', [0x3c00, 0xc000, 0x7bff]]);
  });

  it('writes exactly what numpy writes', () => {
    expect(Buffer.from(encodeNpy(decodeNpy(b('f32_2x3'), 'f'))).toString('base64')).toBe(NUMPY.f32_2x3);
    expect(Buffer.from(encodeNpy(decodeNpy(b('bool_scalar'), 'f'))).toString('base64')).toBe(NUMPY.bool_scalar);
    expect(Buffer.from(encodeNpy(decodeNpy(b('i64_1'), 'f'))).toString('base64')).toBe(NUMPY.i64_1);
    expect(Buffer.from(encodeNpy(decodeNpy(b('f16'), 'f'))).toString('base64')).toBe(NUMPY.f16);
  });

  for (const dtype of ALL_DTYPES) {
    it(`round-trips ${dtype}`, () => {
      const t = cornerTensor(dtype);
      const bytes = encodeNpy(t);
      expect((bytes[8]! | (bytes[9]! << 8)) + 10).toBe(64 * Math.ceil(((bytes[8]! | (bytes[9]! << 8)) + 10) / 64));
      expect(tensorsIdentical(decodeNpy(bytes, 'f'), t)).toBe(true);
      const one = t.withShape([6]);
      expect(tensorsIdentical(decodeNpy(encodeNpy(one), 'f'), one)).toBe(true);
    });
  }

  it('round-trips empty and high-rank shapes', () => {
    for (const shape of [[0], [2, 0, 3], [1, 1, 1, 1, 1, 2]]) {
      const t = new Tensor('i32', shape);
      expect(tensorsIdentical(decodeNpy(encodeNpy(t), 'f'), t)).toBe(true);
    }
  });

  it('rejects Fortran order and unsupported dtypes (E_INPUT)', () => {
    expectQcc(() => decodeNpy(b('fortran'), 'a.npy'), 'E_INPUT', 'a.npy', 'Fortran');
    expectQcc(() => decodeNpy(b('bigEndian'), 'a.npy'), 'E_INPUT', "'>i4'", 'big-endian');
    expectQcc(() => decodeNpy(npy("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }"), 'a.npy'), 'E_INPUT', "'<c8'");
    expectQcc(() => decodeNpy(npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }"), 'a.npy'), 'E_PARSE');
  });

  it('gives clear errors for malformed files (E_PARSE)', () => {
    expectQcc(() => decodeNpy(new TextEncoder().encode('not numpy at all'), 'a.npy'), 'E_PARSE', 'a.npy', 'magic');
    expectQcc(() => decodeNpy(new Uint8Array(0), 'a.npy'), 'E_PARSE');
    const good = b('f32_2x3');
    expectQcc(() => decodeNpy(good.subarray(0, 40), 'a.npy'), 'E_PARSE', 'truncated');
    expectQcc(() => decodeNpy(good.subarray(0, good.length - 1), 'a.npy'), 'E_PARSE', '23 bytes', '24');
    const v9 = good.slice();
    v9[6] = 9;
    expectQcc(() => decodeNpy(v9, 'a.npy'), 'E_PARSE', 'version 9.0');
    const bad = (h: string, why: string) => expectQcc(() => decodeNpy(npy(h), 'a.npy'), 'E_PARSE', 'malformed', why);
    bad("['descr', '<f4']", 'dict');
    bad("{'descr': '<f4', 'shape': (1,), }", 'fortran_order');
    bad("{'descr': '<f4', 'fortran_order': 0, 'shape': (1,), }", 'cannot read');
    bad("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", "'-1'");
    bad("{'descr': '<f4', 'fortran_order': False, 'shape': (1.5,), }", "'1.5'");
    bad("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': True}", 'extra');
    bad("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", 'twice');
  });

  it('accepts header variants numpy may produce (no trailing comma, double quotes)', () => {
    const body = new Uint8Array(new Float32Array([2.5]).buffer);
    expect(decodeNpy(npy('{"descr": "<f4", "fortran_order": False, "shape": (1,)}', body), 'f').toNumbers()).toEqual([2.5]);
  });
});
