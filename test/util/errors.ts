import { QccError } from '../../compiler/errors.ts';

/**
 * The QccError that `fn` throws, for tests that check its code and message. Any other exception is
 * rethrown as is; returning normally fails the test.
 */
export function catchQccError(fn: () => unknown): QccError {
  try {
    fn();
  } catch (e) {
    if (e instanceof QccError) return e;
    throw e;
  }
  throw new Error('expected a QccError, but it succeeded');
}
