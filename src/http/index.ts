/**
 * http: the Fastify server. The Segment-compatible tracking API (/v1, write
 * keys), the management API (/api, admin tokens), operations endpoints and the
 * OpenAPI document generated from the route schemas. All failures leave through
 * one error mapper with catalogued codes (../errors.ts).
 */
export { createHttpApp, type HttpDeps } from './app.js';
export { createAdminTokens, httpMigrations, type AdminTokens } from './tokens.js';
export { createSchemaCompilers, type SchemaCompilers } from './schema-compilers.js';
