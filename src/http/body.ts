/**
 * Request bodies. Tracking bodies as SDKs send them: JSON under any content
 * type (browsers send text/plain to avoid a CORS preflight), possibly
 * compressed. Decompressed bytes count against the body limit, so a gzip bomb
 * stops at the limit instead of filling memory. Management bodies: JSON, where
 * an empty body is no body.
 */
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { TouchpointError } from '../errors.js';

const decoders: Record<string, () => NodeJS.ReadWriteStream> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

export function acceptTrackingBodies(app: FastifyInstance): void {
  app.addHook('preParsing', async (request, _reply, payload) => {
    const encoding = String(request.headers['content-encoding'] ?? 'identity')
      .trim()
      .toLowerCase();
    if (encoding === 'identity' || encoding === '') return payload;
    const decoder = decoders[encoding];
    if (!decoder) {
      throw new TouchpointError('TP_UNSUPPORTED_ENCODING', `Content-Encoding ${JSON.stringify(encoding)} is not supported; use gzip, deflate, br or none.`);
    }
    const decoded = payload.pipe(decoder()) as unknown as Readable & { receivedEncodedLength?: number };
    // Fastify compares Content-Length with the encoded size, and the limit with the decoded one.
    let encodedBytes = 0;
    payload.on('data', (chunk: Buffer) => {
      encodedBytes += chunk.length;
      decoded.receivedEncodedLength = encodedBytes;
    });
    payload.on('error', (error) => decoded.destroy(error));
    return decoded;
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(new TouchpointError('TP_INVALID_JSON', 'The body is empty; send a JSON object.'));
    try {
      // JSON.parse does not recurse on depth: a deep body parses, and collect refuses its deep messages.
      done(null, JSON.parse(text));
    } catch (error) {
      done(new TouchpointError('TP_INVALID_JSON', `The body is not valid JSON: ${(error as Error).message}.`));
    }
  });
}

/**
 * An empty management body is no body, whatever its Content-Type says:
 * clients send `content-type: application/json` with a DELETE, or with a POST
 * whose fields are all optional. Installed on the root, so that a wrong
 * method or path is answered as such rather than as an empty body.
 */
export function acceptManagementBodies(app: FastifyInstance): void {
  const json = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    json(request, text, done);
  });
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    if (String(body).trim() === '') return done(null, undefined);
    done(new TouchpointError('TP_VALIDATION', 'Send the body as Content-Type: application/json.'));
  });
}

/**
 * A route whose body fields are all optional (or have defaults) takes no body
 * as `{}`, which its schema then fills with the defaults; a route that needs
 * fields says that the body is empty.
 */
export function defaultEmptyBodies(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (request.body !== undefined) return;
    const schema = request.routeOptions.schema?.body as { type?: string; required?: string[]; properties?: Record<string, { default?: unknown }> } | undefined;
    if (schema === undefined) return;
    const needed = (schema.required ?? []).filter((name) => schema.properties?.[name]?.default === undefined);
    if (schema.type !== 'object' || needed.length > 0) throw new TouchpointError('TP_INVALID_JSON', 'The body is empty; send a JSON object.');
    request.body = {};
  });
}
