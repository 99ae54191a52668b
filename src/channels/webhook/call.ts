/**
 * A journey's webhook step: one signed request to the URL the step names
 * (rendered for the customer), with the same guard, retries and dead letter
 * as a webhook channel. From a JSON answer, the fields the step names by
 * JSON pointer are kept as the traits to set.
 */
import type { Outbound } from '../outbound.js';
import type { Adapter, Delivery, DeliveryResult } from '../types.js';
import { sendSigned } from './send.js';

/** The built-in channel that takes journeys' webhook calls. */
export const JOURNEY_CALLS = 'journey-calls';

/** What a webhook step's call carries through the queue: its request rendered for the customer (or why it could not be). */
export interface CallRequest {
  url: string;
  method: string;
  body?: unknown;
  headers?: Record<string, string>;
  saveTraits?: Record<string, string>;
  error?: string;
}

/** RFC 6901: the value at a JSON pointer, undefined when there is none. */
export function atPointer(document: unknown, pointer: string): unknown {
  if (pointer === '') return document;
  let here: unknown = document;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (here === null || typeof here !== 'object' || !Object.hasOwn(here, key)) return undefined;
    here = (here as Record<string, unknown>)[key];
  }
  return here;
}

/** The traits a JSON answer gives; fields it lacks are left out. */
export function traitsFrom(body: string, saveTraits: Record<string, string>): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return {};
  }
  const traits: Record<string, unknown> = {};
  for (const [name, pointer] of Object.entries(saveTraits)) {
    const value = atPointer(parsed, pointer);
    if (value !== undefined) traits[name] = value;
  }
  return traits;
}

const KEPT = 2000;

export function createCallAdapter(deps: { outbound: Pick<Outbound, 'request'>; secret(): Promise<string>; now(): number; timeoutMs: number }): Adapter {
  return {
    async deliver(delivery: Delivery): Promise<DeliveryResult> {
      const call = delivery.rendered as unknown as CallRequest;
      if (call.error) return { kind: 'failed', reason: 'render_failed', response: { error: call.error } };
      const body = call.method === 'GET' || call.method === 'DELETE' ? '' : JSON.stringify(call.body ?? null);
      const result = await sendSigned(
        deps.outbound,
        {
          url: call.url,
          method: call.method,
          secret: await deps.secret(),
          id: delivery.messageId,
          body,
          timeoutMs: deps.timeoutMs,
          headers: call.headers,
          keepBody: 64 * 1024,
        },
        deps.now(),
      );
      if (!result.response?.body) return result;
      const traits = result.kind === 'sent' && call.saveTraits ? traitsFrom(result.response.body, call.saveTraits) : undefined;
      return { ...result, response: { ...result.response, body: result.response.body.slice(0, KEPT), ...(traits && { traits }) } } as DeliveryResult;
    },
    close: async () => {},
  };
}
