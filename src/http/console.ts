/**
 * The web console: the single-page app Vite builds into dist/console, served
 * at `/` with its hashed assets. It speaks to the management API only, with
 * the session cookie (docs/console.md). The page may run no script and load
 * nothing from another host (Content-Security-Policy), and no other site may
 * frame it.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { TouchpointError } from '../errors.js';

/** dist/src/http/console.js → dist/console. */
export const CONSOLE_DIR = fileURLToPath(new URL('../../console/', import.meta.url));

// ECharts and the pages set inline style attributes; scripts and styles come only from this origin.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

function secure(reply: FastifyReply): void {
  reply.header('content-security-policy', CSP);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'same-origin');
  reply.header('x-frame-options', 'DENY');
}

export async function consoleRoutes(app: FastifyInstance, dir = CONSOLE_DIR): Promise<void> {
  if (!existsSync(`${dir}index.html`)) {
    app.get('/', { schema: { hide: true } }, async () => {
      throw new TouchpointError('TP_NOT_FOUND', 'The console is not built: run `npm run build` (npm install does it), then start Touchpoint again.');
    });
    return;
  }
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    schemaHide: true,
    setHeaders(res, path) {
      // Hashed asset names change with their content; the page itself is asked again every time.
      res.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.addHook('onSend', async (request, reply) => {
    if (request.url === '/' || request.url.startsWith('/index.html') || request.url.startsWith('/assets/')) secure(reply);
  });
}
