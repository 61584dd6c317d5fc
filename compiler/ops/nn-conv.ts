/**
 * `conv`: float32 convolution, 1-D/2-D/3-D, groups (depthwise included), strides, dilations, explicit
 * pads (auto_pad is resolved by the importer), optional bias.
 *
 * Inputs: X [N, C, *in], W [M, C/group, *kernel], B [M] (optional). Attrs: group, strides, dilations,
 * pads ([begins..., ends...]).
 *
 * Summation order (the C kernel qcc_conv_f32 in runtime-c/qcc_conv_f32.h follows it exactly): for each
 * output element, acc = +0; for each input channel of the group in order, for each kernel position in
 * row-major order (kd, kh, kw), skipping taps that fall in the padding: acc = fround(acc + fround(x*w));
 * then, if there is a bias, acc = fround(acc + b).
 * The C kernel interchanges the loops (output plane as the accumulator array, taps outside, output
 * columns innermost), which keeps this per-element sequence exactly; the interpreter stays the plain
 * per-output form so the two are independent implementations.
 */
import type { Node, TensorType } from '../ir/graph.ts';
import { typeToString } from '../ir/graph.ts';
import { Tensor } from '../ir/tensor.ts';
import { attrInt, inType, opError } from './op-def.ts';
import { defineOp } from './registry.ts';
import { readWindow, tapRange, type Triple, type Window3 } from './nn-window.ts';

/** Everything the kernel needs; mirrors qcc_conv_f32_params. */
export interface ConvGeom extends Window3 {
  n: number;
  cIn: number;
  cOut: number;
  group: number;
}

export function convGeom(node: Node): ConvGeom {
  const x = inType(node, 0);
  const w = inType(node, 1);
  const b = node.inputs[2] ? node.inputs[2].type : null;
  for (const [t, what] of [[x, 'X'], [w, 'W'], ...(b ? [[b, 'B'] as const] : [])] as const) {
    if (t.dtype !== 'f32') throw opError(node, `${what} is ${typeToString(t)}; conv supports float32 only`, 'E_UNSUPPORTED');
  }
  if (x.shape.length < 3) throw opError(node, `X must have rank >= 3 (N, C, spatial...), got ${typeToString(x)}`);
  if (w.shape.length !== x.shape.length) {
    throw opError(node, `W ${typeToString(w)} must have the rank of X ${typeToString(x)}`);
  }
  const group = attrInt(node, 'group', 1);
  const [n, cIn] = [x.shape[0]!, x.shape[1]!];
  const [cOut, cPerGroup] = [w.shape[0]!, w.shape[1]!];
  if (!Number.isInteger(group) || group < 1) throw opError(node, `'group' must be >= 1, got ${group}`, 'E_ATTR');
  if (cIn % group !== 0 || cPerGroup * group !== cIn) {
    throw opError(node, `X ${typeToString(x)} has ${cIn} channels but W ${typeToString(w)} with group=${group} expects ${cPerGroup * group}`);
  }
  if (cOut % group !== 0) throw opError(node, `W ${typeToString(w)}: ${cOut} output channels are not divisible by group=${group}`);
  if (b && (b.shape.length !== 1 || b.shape[0] !== cOut)) {
    throw opError(node, `bias ${typeToString(b)} must be a vector of ${cOut} (W ${typeToString(w)})`);
  }
  const win = readWindow(node, x.shape.slice(2), w.shape.slice(2), false);
  return { ...win, n, cIn, cOut, group };
}

/** Reference kernel (flat NC* buffers). */
export function convF32(g: ConvGeom, x: Float32Array, w: Float32Array, b: Float32Array | null, y: Float32Array): void {
  const cig = g.cIn / g.group;
  const cog = g.cOut / g.group;
  const [ID, IH, IW] = g.inSp;
  const [OD, OH, OW] = g.outSp;
  const [KD, KH, KW] = g.kernel;
  const [SD, SH, SW] = g.strides;
  const [DD, DH, DW] = g.dilations;
  const [PD, PH, PW] = g.padBegin;
  const inPlane = ID * IH * IW;
  const outPlane = OD * OH * OW;
  const kSize = KD * KH * KW;
  const f = Math.fround;
  for (let n = 0; n < g.n; n++) {
    for (let oc = 0; oc < g.cOut; oc++) {
      const grp = Math.floor(oc / cog);
      const xg = (n * g.cIn + grp * cig) * inPlane;
      const wo = oc * cig * kSize;
      const yo = (n * g.cOut + oc) * outPlane;
      for (let od = 0; od < OD; od++) {
        const [z0, z1] = tapRange(od, SD, PD, DD, KD, ID);
        const iz = od * SD - PD;
        for (let oh = 0; oh < OH; oh++) {
          const [y0, y1] = tapRange(oh, SH, PH, DH, KH, IH);
          const iy = oh * SH - PH;
          for (let ow = 0; ow < OW; ow++) {
            const [x0, x1] = tapRange(ow, SW, PW, DW, KW, IW);
            const ix = ow * SW - PW;
            let acc = 0;
            for (let ic = 0; ic < cig; ic++) {
              const xc = xg + ic * inPlane;
              const wc = wo + ic * kSize;
              for (let tz = z0; tz < z1; tz++) {
                const xz = xc + (iz + tz * DD) * IH * IW;
                const wz = wc + tz * KH * KW;
                for (let ty = y0; ty < y1; ty++) {
                  const xr = xz + (iy + ty * DH) * IW + ix;
                  const wr = wz + ty * KW;
                  for (let tx = x0; tx < x1; tx++) acc = f(acc + f(x[xr + tx * DW]! * w[wr + tx]!));
                }
              }
            }
            if (b) acc = f(acc + b[oc]!);
            y[yo + (od * OH + oh) * OW + ow] = acc;
          }
        }
      }
    }
  }
}

function outShape(g: ConvGeom): number[] {
  return [g.n, g.cOut, ...g.outSp.slice(3 - g.rank)];
}

defineOp({
  kind: 'conv',
  infer(node): TensorType[] {
    return [{ dtype: 'f32', shape: outShape(convGeom(node)) }];
  },
  interpret(node, inputs) {
    const g = convGeom(node);
    const y = new Tensor('f32', outShape(g));
    const b = inputs[2] ? (inputs[2].data as Float32Array) : null;
    convF32(g, inputs[0]!.data as Float32Array, inputs[1]!.data as Float32Array, b, y.data as Float32Array);
    return [y];
  },
  macs(node) {
    const g = convGeom(node);
    const prod = (t: Triple) => t[0] * t[1] * t[2];
    return g.n * g.cOut * prod(g.outSp) * (g.cIn / g.group) * prod(g.kernel);
  },
});
