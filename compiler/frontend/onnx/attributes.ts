import { AttributeType, type AttributeProto } from './proto.ts';

export type AttrKind = 'float' | 'int' | 'string' | 'tensor' | 'graph' | 'sparse_tensor' | 'type_proto' | 'floats' | 'ints' | 'strings' | 'tensors' | 'graphs' | 'sparse_tensors' | 'type_protos' | 'undefined';

const KINDS: Record<number, AttrKind> = {
  [AttributeType.FLOAT]: 'float',
  [AttributeType.INT]: 'int',
  [AttributeType.STRING]: 'string',
  [AttributeType.TENSOR]: 'tensor',
  [AttributeType.GRAPH]: 'graph',
  [AttributeType.SPARSE_TENSOR]: 'sparse_tensor',
  [AttributeType.TYPE_PROTO]: 'type_proto',
  [AttributeType.FLOATS]: 'floats',
  [AttributeType.INTS]: 'ints',
  [AttributeType.STRINGS]: 'strings',
  [AttributeType.TENSORS]: 'tensors',
  [AttributeType.GRAPHS]: 'graphs',
  [AttributeType.SPARSE_TENSORS]: 'sparse_tensors',
  [AttributeType.TYPE_PROTOS]: 'type_protos',
};

const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/**
 * The kind of an attribute. Very old models leave `type` unset (UNDEFINED); then the kind is guessed
 * from the field that carries a value.
 */
export function attrKind(a: AttributeProto): AttrKind {
  const t = a.type ?? 0;
  if (t !== 0) return KINDS[t] ?? 'undefined';
  if (a.t) return 'tensor';
  if (a.g) return 'graph';
  if (a.sparseTensor) return 'sparse_tensor';
  if (a.ints && a.ints.length > 0) return 'ints';
  if (a.floats && a.floats.length > 0) return 'floats';
  if (a.strings && a.strings.length > 0) return 'strings';
  if (a.tensors && a.tensors.length > 0) return 'tensors';
  if (a.graphs && a.graphs.length > 0) return 'graphs';
  if (a.s && a.s.length > 0) return 'string';
  if (own(a, 'i')) return 'int';
  if (own(a, 'f')) return 'float';
  return 'undefined';
}
