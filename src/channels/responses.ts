/**
 * What comes back from a message: opens, clicks and replies (statuses of the
 * message and events of the customer on its channel), unsubscribes and
 * preference choices (consent, through the log), bounces and complaints (a
 * hard bounce or a complaint suppresses the address). Every entry point
 * answers false rather than throwing when the message is gone (erased).
 */
import { TouchpointError } from '../errors.js';
import type { Message, Report, ReportedStatus } from '../history/index.js';
import type { EmailResponses, PurposeChoice } from './types.js';

/** A response event of the customer, appended to the log by Touchpoint's responses source. */
export interface ResponseEvent {
  profileId: string;
  event: string;
  /** The inbound channel it counts on (email, sms, push, other). */
  channel: string;
  properties: Record<string, unknown>;
  at: number;
}

export interface ResponseDeps {
  messages: {
    get(id: string): Promise<Message | undefined>;
    getAll(ids: readonly string[]): Promise<Map<string, Message>>;
    report(id: string, status: ReportedStatus, at: number, detail?: Record<string, unknown>): Promise<Message>;
    reportAll(list: readonly Report[]): Promise<(Message | TouchpointError)[]>;
    steps(id: string): Promise<{ status: string; detail: Record<string, unknown> | null }[]>;
  };
  /** The live profile's consent on a channel by purpose (undefined: the profile is gone). */
  consentOf(profileId: string, channel: string): Promise<Record<string, 'granted' | 'denied' | 'unknown'> | undefined>;
  setConsent(profileId: string, change: { channel: string; purpose: string; status: 'granted' | 'denied' }): Promise<void>;
  append(event: ResponseEvent): Promise<void>;
  suppress(channel: string, address: string, reason: string, messageId: string | null, at: number): Promise<void>;
  /** Purposes every preference page offers, beside those the customer has a choice recorded for. */
  purposes: readonly string[];
}

/** What a provider may call back about a message (delivery callbacks). */
export const CALLBACK_STATUSES = ['delivered', 'failed', 'opened', 'clicked', 'replied', 'bounced', 'unsubscribed'] as const;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];

/** Inbound channels (events) of outbound ones (messages). */
const INBOUND: Record<string, string> = { email: 'email', sms: 'sms', push: 'push', webhook: 'other' };

/** Segment's names for email events; other channels get the generic message ones. */
const EVENT_NAMES: Partial<Record<CallbackStatus, { email: string; other: string }>> = {
  opened: { email: 'Email Opened', other: 'Message Opened' },
  clicked: { email: 'Email Link Clicked', other: 'Message Link Clicked' },
  replied: { email: 'Email Replied', other: 'Message Replied' },
};

export interface BounceInput {
  messageId?: string;
  recipient?: string;
  type: 'hard' | 'soft' | 'complaint';
  at: number;
  detail?: Record<string, unknown>;
}

/** One delivery callback of a provider's list. */
export interface Callback {
  messageId: string;
  status: CallbackStatus;
  at: number;
  detail?: Record<string, unknown>;
}

const gone = (error: unknown) => error instanceof TouchpointError && (error.code === 'TP_MESSAGE_NOT_FOUND' || error.code === 'TP_MESSAGE_NOT_SENT');

/** The customer's own response to a message (opened, clicked, replied) as an event on the inbound channel; none for other statuses. */
function responseEvent(message: Message, status: CallbackStatus, at: number, detail: Record<string, unknown>): ResponseEvent | undefined {
  const names = EVENT_NAMES[status];
  if (!names) return undefined;
  const properties = { messageId: message.id, channel: message.channel, journeyId: message.journeyId, contentId: message.contentId, ...detail };
  const event = message.channel === 'email' ? names.email : names.other;
  return { profileId: message.profileId, event, channel: INBOUND[message.channel] ?? 'other', properties, at };
}

export function createResponses(deps: ResponseDeps) {
  /** Reports a status and, for the customer's own responses, their event; false when the message is gone or never went out. */
  async function respond(messageId: string, status: CallbackStatus, at: number, detail: Record<string, unknown> = {}): Promise<Message | undefined> {
    let message: Message;
    try {
      message = await deps.messages.report(messageId, status, at, detail);
    } catch (error) {
      if (gone(error)) return undefined;
      throw error;
    }
    const event = responseEvent(message, status, at, detail);
    if (event) await deps.append(event);
    return message;
  }

  /** Reports in one transaction; then the customers' responses among them as events, together (they share the log's commits). */
  async function reportRun(list: readonly Callback[]): Promise<(Message | undefined)[]> {
    const reported = await deps.messages.reportAll(list.map((c) => ({ id: c.messageId, status: c.status, at: c.at, detail: c.detail ?? {} })));
    const messages = reported.map((r) => (r instanceof TouchpointError ? undefined : r));
    const events = messages.flatMap((m, i) => {
      const event = m && responseEvent(m, list[i]!.status, list[i]!.at, list[i]!.detail ?? {});
      return event ? [event] : [];
    });
    await Promise.all(events.map((e) => deps.append(e)));
    return messages;
  }

  async function addressOf(message: Message): Promise<string | undefined> {
    const steps = await deps.messages.steps(message.id);
    const to = steps.find((s) => typeof s.detail?.to === 'string')?.detail?.to;
    return typeof to === 'string' ? to : undefined;
  }

  /** Marketing consent denied on the message's channel, and its own purpose's too when it was sent for another (a newsletter): unsubscribing stops the mailing it came from. */
  async function deny(message: Message, at: number, detail: Record<string, unknown>): Promise<void> {
    const purposes = [...new Set(['marketing', message.purpose])].filter((p) => p !== 'transactional');
    const current = await deps.consentOf(message.profileId, message.channel);
    for (const purpose of purposes)
      if (current && current[purpose] !== 'denied') await deps.setConsent(message.profileId, { channel: message.channel, purpose, status: 'denied' });
    await respond(message.id, 'unsubscribed', at, { purposes, ...detail });
  }

  /** A provider's delivery callback about a message its channel took; undefined when the message is gone (or another channel's). */
  async function callback(
    channelName: string,
    messageId: string,
    status: CallbackStatus,
    at: number,
    detail: Record<string, unknown> = {},
  ): Promise<Message | undefined> {
    const message = await deps.messages.get(messageId);
    if (!message || message.delivery !== channelName) return undefined;
    if (status === 'unsubscribed') {
      await deny(message, at, { via: 'provider', ...detail });
      return deps.messages.get(messageId);
    }
    return respond(messageId, status, at, detail);
  }

  const email: EmailResponses = {
    opened: async (messageId, at) => (await respond(messageId, 'opened', at)) !== undefined,
    clicked: async (messageId, url, at) => (await respond(messageId, 'clicked', at, { url })) !== undefined,
    async preferences(messageId) {
      const message = await deps.messages.get(messageId);
      const consent = message && (await deps.consentOf(message.profileId, message.channel));
      if (!message || !consent) return undefined;
      const purposes = [...new Set([...deps.purposes, ...Object.keys(consent)])].filter((p) => p !== 'all');
      const choices: PurposeChoice[] = purposes.map((purpose) => ({ purpose, status: consent[purpose] ?? 'unknown' }));
      return { channel: message.channel, choices };
    },
    async unsubscribe(messageId, at) {
      const message = await deps.messages.get(messageId);
      if (!message) return false;
      await deny(message, at, { via: 'one-click' });
      return true;
    },
    async choose(messageId, choices, at) {
      const message = await deps.messages.get(messageId);
      const consent = message && (await deps.consentOf(message.profileId, message.channel));
      if (!message || !consent) return false;
      for (const [purpose, status] of Object.entries(choices)) {
        if (consent[purpose] === status) continue;
        await deps.setConsent(message.profileId, { channel: message.channel, purpose, status });
        if (status === 'denied') await respond(message.id, 'unsubscribed', at, { purpose, via: 'preferences' });
      }
      return true;
    },
  };

  return {
    email,
    message: (id: string) => deps.messages.get(id),

    /**
     * A provider's callbacks, in order: for each, the message, or undefined
     * when it is gone (or another channel's). The reports between two
     * unsubscribes go in one transaction.
     */
    async callbacks(channelName: string, list: readonly Callback[]): Promise<(Message | undefined)[]> {
      const results: (Message | undefined)[] = [];
      let run: Callback[] = [];
      const flush = async () => {
        const found = await deps.messages.getAll(run.map((c) => c.messageId));
        const ours = run.filter((c) => found.get(c.messageId)?.delivery === channelName);
        const reported = new Map((await reportRun(ours)).map((m, i) => [ours[i]!, m]));
        results.push(...run.map((c) => reported.get(c)));
        run = [];
      };
      for (const c of list) {
        if (c.status !== 'unsubscribed') {
          run.push(c);
          continue;
        }
        await flush();
        results.push(await callback(channelName, c.messageId, c.status, c.at, c.detail));
      }
      await flush();
      return results;
    },

    /**
     * A bounce or complaint. A hard bounce suppresses the address; a
     * complaint (the customer marked it as spam) also denies marketing
     * consent on the channel. Returns the message, when there is one.
     */
    async bounce(input: BounceInput): Promise<{ message?: Message; suppressed?: string }> {
      const message = input.messageId === undefined ? undefined : await deps.messages.get(input.messageId);
      if (input.messageId !== undefined && !message && input.recipient === undefined) return {};
      const detail = { type: input.type, ...(input.recipient && { recipient: input.recipient }), ...input.detail };
      if (message && input.type === 'complaint') await deny(message, input.at, { complaint: true, ...detail });
      else if (message) await respond(message.id, 'bounced', input.at, detail);
      if (input.type === 'soft') return { message: message && (await deps.messages.get(message.id)) };
      const address = input.recipient ?? (message && (await addressOf(message)));
      const channel = message?.channel ?? 'email';
      if (address) await deps.suppress(channel, address, input.type === 'hard' ? 'hard_bounce' : 'complaint', message?.id ?? null, input.at);
      return { message: message && (await deps.messages.get(message.id)), suppressed: address };
    },
  };
}

export type Responses = ReturnType<typeof createResponses>;
