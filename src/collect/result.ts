import type { ErrorCode } from '../errors.js';

/** Expected outcomes are values: a message is either normalized or rejected with a reason. */
export type Result<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const reject = <T = never>(code: ErrorCode, message: string): Result<T> => ({ ok: false, code, message });
