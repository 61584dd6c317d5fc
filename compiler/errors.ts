/**
 * Every failure a user can cause (bad file, unsupported op, bad shape, size limit) is a QccError.
 * The CLI prints `message` (plus the hint) without a stack trace; anything else escaping is a qcc bug.
 */
export type QccErrorCode =
  | 'E_IO' // file missing or unreadable, output folder not writable
  | 'E_PARSE' // not an ONNX protobuf, truncated, malformed text
  | 'E_MODEL' // structurally invalid model (dangling names, cycles, duplicate outputs)
  | 'E_UNSUPPORTED_OP' // op (domain, type, opset) with no importer
  | 'E_UNSUPPORTED' // supported op used in a way we do not handle (dtype, attribute value)
  | 'E_ATTR' // attribute missing, of the wrong kind or out of range
  | 'E_SHAPE' // shape/type inference failed
  | 'E_DYNAMIC_SHAPE' // symbolic dimension with no --input-shape override
  | 'E_NOT_CONSTANT' // an operand the compiler needs at compile time is a runtime value
  | 'E_LIMIT' // a tensor, arena or file would exceed a configured size limit
  | 'E_INPUT' // user-supplied input data does not match the model
  | 'E_TOOLCHAIN' // C compiler or emulator missing or failed
  | 'E_MISMATCH' // verify found outputs that differ
  | 'E_USAGE'; // bad command-line usage

export interface NodeRef {
  name: string;
  op: string;
}

export class QccError extends Error {
  readonly code: QccErrorCode;
  readonly node?: NodeRef;
  readonly hint?: string;

  constructor(code: QccErrorCode, message: string, opts: { node?: NodeRef; hint?: string; cause?: unknown } = {}) {
    const where = opts.node ? `node '${opts.node.name}' (${opts.node.op}): ` : '';
    super(where + message, opts.cause !== undefined ? { cause: opts.cause } : undefined);
    this.name = 'QccError';
    this.code = code;
    this.node = opts.node;
    this.hint = opts.hint;
  }

  /** The text the CLI prints: one line of error, then the hint if any. */
  format(): string {
    return `error[${this.code}]: ${this.message}` + (this.hint ? `\n  hint: ${this.hint}` : '');
  }
}

export function isQccError(e: unknown): e is QccError {
  return e instanceof QccError;
}
