/** NDJSON import: one Segment message per line. */
import { createHash } from 'node:crypto';
import { isPlainObject } from '../message.js';
import { ok, reject, type Result } from '../result.js';

/**
 * Parses one line. A message without a messageId gets one derived from the
 * line's content, so importing the same file again stores nothing twice.
 */
export function lineToMessage(line: string): Result<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    return reject('TP_INVALID_JSON', `The line is not valid JSON: ${(error as Error).message}.`);
  }
  if (!isPlainObject(parsed)) return reject('TP_INVALID_EVENT', 'Each line must hold one JSON object (a Segment message).');
  if (parsed.messageId === undefined || parsed.messageId === null || parsed.messageId === '') {
    return ok({ ...parsed, messageId: `ndjson-${createHash('sha256').update(line.trim()).digest('hex').slice(0, 32)}` });
  }
  return ok(parsed);
}
