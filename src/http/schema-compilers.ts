/**
 * Fastify's schema compilers, keeping what they compiled so that the apps
 * one process builds share it. Building Touchpoint's app compiles every
 * route's schemas (about 1.5 s of CPU, most of it response serializers); a
 * process that builds many apps, as the tests do, compiles each schema once.
 * What was compiled is found again by the JSON of the schema, of the shared
 * schemas and of the options, as @fastify/ajv-compiler finds its own pool:
 * an app whose schemas differ compiles its own.
 */
import ValidatorSelector from '@fastify/ajv-compiler';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

export type SchemaCompilers = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

/** `compilers`: the ones that compile (Fastify's own; a test counts their calls). */
export function createSchemaCompilers(
  compilers: Required<SchemaCompilers> = { buildValidator: ValidatorSelector(), buildSerializer: SerializerSelector() },
): SchemaCompilers {
  return { buildValidator: keeping(compilers.buildValidator), buildSerializer: keeping(compilers.buildSerializer) };
}

/** How Fastify calls both factories: with the shared schemas and options, then with each route's schema. */
type Factory = (externalSchemas: unknown, options: unknown) => (route: { schema?: unknown }) => unknown;

/** The factory `build`, compiling a schema only the first time it meets it with the same shared schemas and options. */
function keeping<F extends (...args: never[]) => unknown>(build: F): F {
  const factory = build as unknown as Factory;
  const kept = new Map<string, Map<string, unknown>>();
  const keepingFactory: Factory = (externalSchemas, options) => {
    const context = JSON.stringify([externalSchemas, options]);
    const compiled = kept.get(context) ?? new Map<string, unknown>();
    kept.set(context, compiled);
    let compile: ReturnType<Factory> | undefined;
    return (route) => {
      const key = JSON.stringify(route.schema);
      let done = compiled.get(key);
      if (done === undefined) {
        compile ??= factory(externalSchemas, options);
        done = compile(route);
        compiled.set(key, done);
      }
      return done;
    };
  };
  return keepingFactory as unknown as F;
}
