/** The one place where failures become `{error: {code, message}}` responses with a catalogued code. */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorCatalogue, TouchpointError, type ErrorCode } from '../errors.js';
import type { Metrics } from '../metrics.js';
import { describeSchemaErrors, type SchemaError } from './validation-message.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What to do about a body over the route's limit, said after the limit (default: send fewer messages). */
    tooLargeAdvice?: string;
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; [detail: string]: unknown };
}

export function sendError(reply: FastifyReply, error: TouchpointError): FastifyReply {
  return reply.status(error.status).send({ error: { code: error.code, message: error.message, ...error.details } });
}

export function installErrorHandler(app: FastifyInstance, metrics: Metrics): void {
  app.setErrorHandler((raw: FastifyError, request, reply) => {
    const error = toTouchpointError(raw, request);
    if (error.code === 'TP_INTERNAL') request.log.error({ err: raw }, 'unexpected error');
    if (request.url.startsWith('/v1/')) metrics.eventsRejected.inc({ code: error.code });
    return sendError(reply, error);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const allowed = methodsOf(app, path);
    if (allowed.length === 0) {
      return sendError(reply, new TouchpointError('TP_NOT_FOUND', `No route ${request.method} ${path}. The API is described at /openapi.json.`));
    }
    reply.header('allow', allowed.join(', '));
    return sendError(
      reply,
      new TouchpointError(
        'TP_METHOD_NOT_ALLOWED',
        `${path} does not take ${request.method}; it takes ${allowed.join(', ')}. The API is described at /openapi.json.`,
      ),
    );
  });
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** The methods some route serves at this path. A catch-all route (CORS preflights answer any path) says nothing about a path. */
function methodsOf(app: FastifyInstance, path: string): string[] {
  return METHODS.filter((method) => {
    const route = app.findRoute({ method, url: path });
    return route !== null && !('*' in route.params);
  });
}

function toTouchpointError(error: FastifyError, request: FastifyRequest): TouchpointError {
  if (error instanceof TouchpointError) return error;
  if (error.validation) {
    // Ajv runs with verbose: its errors carry the schema around them (the properties an object allows).
    return new TouchpointError('TP_VALIDATION', describeSchemaErrors(error.validationContext ?? 'request', error.validation as SchemaError[]));
  }
  const limit = request.routeOptions?.bodyLimit;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new TouchpointError(
        'TP_BODY_TOO_LARGE',
        `The body is larger than ${limit} bytes (after decompression). ${request.routeOptions?.config?.tooLargeAdvice ?? 'Send fewer messages per request.'}`,
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new TouchpointError('TP_INVALID_JSON', 'The body is empty; send a JSON object.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new TouchpointError('TP_INVALID_JSON', `The body is not valid JSON: ${error.message}.`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new TouchpointError('TP_VALIDATION', 'Send the body as Content-Type: application/json.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new TouchpointError('TP_VALIDATION', 'Content-Length does not match the body that was sent.');
    case 'Z_DATA_ERROR':
    case 'Z_BUF_ERROR':
    case 'ERR_BUFFER_TOO_LARGE':
      return new TouchpointError('TP_INVALID_ENCODING', `The body could not be decompressed as its Content-Encoding says: ${error.message}.`);
  }
  if (error instanceof SyntaxError) return new TouchpointError('TP_INVALID_JSON', `The body is not valid JSON: ${error.message}.`);
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return new TouchpointError(status === 401 ? 'TP_UNAUTHORIZED' : 'TP_VALIDATION', error.message);
  return new TouchpointError('TP_INTERNAL', errorCatalogue.TP_INTERNAL.title);
}
