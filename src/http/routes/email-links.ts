/**
 * The public pages emails link to: tracked clicks and the open pixel (/t),
 * the preference page and one-click unsubscribe (/u). No authentication:
 * the signed token is the authority, and a token that does not verify gets
 * a small page, never a redirect.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { gonePage, notFoundPage, PAGE_HEADERS, preferencePage, unsubscribedPage, type LinkSigner } from '../../channels/email/index.js';
import type { EmailResponses } from '../../channels/index.js';
import { typed } from '../api.js';

export interface EmailLinkDeps {
  signer: LinkSigner;
  responses: EmailResponses;
  now(): number;
}

/** A transparent 1x1 GIF. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
/** A preference form is a few purposes: anything larger is not ours. */
const FORM_LIMIT = 16 * 1024;
const TokenParams = Type.Object({ token: Type.String({ maxLength: 8192 }) });

const page = (reply: FastifyReply, status: number, html: string) => reply.status(status).headers(PAGE_HEADERS).send(html);

const isForm = (body: unknown): body is Record<string, string> =>
  typeof body === 'object' && body !== null && Object.values(body).every((value) => typeof value === 'string');

/** The form's choices for the purposes the page offers; any other field is ignored. */
function choicesOf(body: unknown, offered: readonly string[]): Record<string, 'granted' | 'denied'> {
  const choices: Record<string, 'granted' | 'denied'> = {};
  if (!isForm(body)) return choices;
  for (const purpose of offered) {
    const value = Object.hasOwn(body, purpose) ? body[purpose] : undefined;
    if (value === 'granted' || value === 'denied') choices[purpose] = value;
  }
  return choices;
}

/** Form bodies only here (one-click and the preference form): any other body is read, bounded, and ignored. */
function acceptForms(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  // RFC 8058's own example posts multipart/form-data: the token, not the body, says what to do.
  scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_request, _body, done) => done(null, {}));
}

export async function emailLinkRoutes(instance: FastifyInstance, deps: EmailLinkDeps): Promise<void> {
  const { signer, responses } = deps;
  const unsubscribeToken = (token: string) => {
    const said = signer.verify(token);
    return said?.kind === 'unsubscribe' ? said.messageId : undefined;
  };

  /** A response is recorded only on GET (a link checker's HEAD is no click), and never at the cost of the customer's redirect. */
  async function record(request: FastifyRequest, what: () => Promise<boolean>): Promise<void> {
    if (request.method !== 'GET') return;
    try {
      await what();
    } catch (error) {
      request.log.error({ err: error }, 'an email response could not be recorded');
    }
  }

  async function renderPreferences(reply: FastifyReply, token: string, messageId: string, saved: boolean, up: string) {
    const found = await responses.preferences(messageId);
    if (!found) return page(reply, 404, gonePage());
    return page(reply, 200, preferencePage({ up, token, channel: found.channel, choices: found.choices, saved }));
  }

  await instance.register(async (scope) => {
    acceptForms(scope);
    const app = typed(scope);

    // A wildcard, not a parameter: a click token carries its URL, longer than the router's 100-character limit on parameters.
    app.get(
      '/t/*',
      { schema: { tags: ['email links'], summary: 'A tracked link (302 to its URL) or the open pixel', params: Type.Object({ '*': Type.String() }) } },
      async (request, reply) => {
        const said = signer.verify(request.params['*']);
        if (said?.kind === 'click') {
          await record(request, () => responses.clicked(said.messageId, said.url, deps.now()));
          return reply
            .status(302)
            .headers({ location: asciiUrl(said.url), 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' })
            .send();
        }
        if (said?.kind === 'open') {
          await record(request, () => responses.opened(said.messageId, deps.now()));
          return reply.status(200).headers({ 'content-type': 'image/gif', 'cache-control': 'no-store' }).send(PIXEL);
        }
        return page(reply, 404, notFoundPage());
      },
    );

    app.get(
      '/u/:token',
      { schema: { tags: ['email links'], summary: "The preference page of an email's recipient", params: TokenParams } },
      async (request, reply) => {
        const messageId = unsubscribeToken(request.params.token);
        if (!messageId) return page(reply, 404, notFoundPage());
        return renderPreferences(reply, request.params.token, messageId, false, '');
      },
    );

    app.post(
      '/u/:token',
      { schema: { tags: ['email links'], summary: 'One-click unsubscribe from marketing (RFC 8058); idempotent', params: TokenParams } },
      async (request, reply) => {
        const messageId = unsubscribeToken(request.params.token);
        if (!messageId) return page(reply, 404, notFoundPage());
        const found = await responses.unsubscribe(messageId, deps.now());
        return found ? page(reply, 200, unsubscribedPage()) : page(reply, 404, gonePage());
      },
    );

    app.post(
      '/u/:token/preferences',
      { schema: { tags: ['email links'], summary: "The preference page's form: each purpose granted or denied", params: TokenParams } },
      async (request, reply) => {
        const { token } = request.params;
        const messageId = unsubscribeToken(token);
        if (!messageId) return page(reply, 404, notFoundPage());
        const offered = await responses.preferences(messageId);
        if (!offered) return page(reply, 404, gonePage());
        const choices = choicesOf(
          request.body,
          offered.choices.map((c) => c.purpose),
        );
        if (!(await responses.choose(messageId, choices, deps.now()))) return page(reply, 404, gonePage());
        return renderPreferences(reply, token, messageId, true, '../');
      },
    );
  });
}

/** A URL as a header can carry it: non-ASCII characters percent-encoded, an international host in punycode. */
function asciiUrl(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return encodeURI(url);
  }
}
