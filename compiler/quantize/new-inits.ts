/**
 * The initializers a quantized-model writer (emit-qdq.ts, emit-qoperator.ts) adds: fresh names, and one scale / zero-point pair per quantized activation, made on first use and shared after.
 */
import { onnx } from '../frontend/onnx/proto.ts';
import { tensorToProto } from '../frontend/onnx/writer.ts';
import type { Tensor } from '../ir/tensor.ts';
import { scaleName, zpName, type NameSet } from './names.ts';
import type { GraphMessage } from './onnx-graph.ts';
import type { Plan } from './plan.ts';
import { paramTensor } from './weights.ts';

export class NewInits {
  private readonly added: { name: string; t: Tensor }[] = [];
  private readonly params = new Map<string, [string, string]>();

  /** `names`: the writer's names (every name the graph uses; shared with its other fresh names). */
  constructor(private readonly names: NameSet, private readonly plan: Plan) {}

  /** A new initializer named `base` (or a fresh variant of it); returns its name. */
  add(base: string, t: Tensor): string {
    const name = this.names.fresh(base);
    this.added.push({ name, t });
    return name;
  }

  /** [scale, zero point] initializer names of activation `t` (the plan's per-tensor parameters). */
  paramsOf(t: string): [string, string] {
    let p = this.params.get(t);
    if (!p) {
      const q = this.plan.params.get(t)!;
      p = [this.add(scaleName(t), paramTensor('f32', [q.scale], false)), this.add(zpName(t), paramTensor(q.dtype, [q.zp], false))];
      this.params.set(t, p);
    }
    return p;
  }

  /** Appends the added initializers to the graph. */
  writeTo(g: GraphMessage): void {
    for (const { name, t } of this.added) g.initializer.push(onnx.TensorProto.create(tensorToProto(t, name)));
  }
}
