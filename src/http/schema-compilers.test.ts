import assert from 'node:assert/strict';
import { it } from 'node:test';
import ValidatorSelector from '@fastify/ajv-compiler';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import Fastify from 'fastify';
import { createSchemaCompilers, type SchemaCompilers } from './schema-compilers.js';

/** Fastify's compilers, counting the schemas they compile. */
function counting() {
  const compiled: string[] = [];
  const validator = ValidatorSelector();
  const serializer = SerializerSelector();
  const compilers: Required<SchemaCompilers> = {
    buildValidator: ((external: never, options: never) => {
      const compile = validator(external, options) as unknown as (route: { schema: unknown }) => unknown;
      return (route: { schema: unknown }) => {
        compiled.push(`validator ${JSON.stringify(route.schema)}`);
        return compile(route);
      };
    }) as unknown as Required<SchemaCompilers>['buildValidator'],
    buildSerializer: (external, options) => {
      const compile = serializer(external, options);
      return (route) => {
        compiled.push(`serializer ${JSON.stringify(route.schema)}`);
        return compile(route);
      };
    },
  };
  return { compiled, compilers };
}

const Body = { type: 'object', properties: { name: { type: 'string', minLength: 2 } }, required: ['name'] };
const Answer = { type: 'object', properties: { name: { type: 'string' } } };
const Problem = { type: 'object', properties: { error: { type: 'string' } } };

/** An app of two routes alike in all but their paths, answering with more than their schemas let out. */
async function app(schemaCompilers: SchemaCompilers, answer: object = Answer) {
  const server = Fastify({ schemaController: { compilersFactory: schemaCompilers } });
  for (const url of ['/a', '/b'])
    server.post(url, { schema: { body: Body, response: { 200: answer, 400: Problem } } }, async (request) => ({ ...(request.body as object), secret: 's' }));
  await server.ready();
  return server;
}

it('compiles a schema once for the apps and routes that share it, and keeps apart schemas that differ', async () => {
  const { compiled, compilers } = counting();
  const shared = createSchemaCompilers(compilers);
  const first = await app(shared);
  assert.deepEqual(
    compiled.sort(),
    [`serializer ${JSON.stringify(Answer)}`, `serializer ${JSON.stringify(Problem)}`, `validator ${JSON.stringify(Body)}`].sort(),
  );
  const second = await app(shared);
  assert.equal(compiled.length, 3, 'the second app compiles nothing');
  for (const server of [first, second]) {
    assert.equal((await server.inject({ method: 'POST', url: '/b', payload: { name: 'Ann' } })).body, '{"name":"Ann"}');
    assert.equal((await server.inject({ method: 'POST', url: '/a', payload: { name: 'A' } })).statusCode, 400);
  }

  const revealing = { type: 'object', properties: { name: { type: 'string' }, secret: { type: 'string' } } };
  const third = await app(shared, revealing);
  assert.equal(compiled.length, 4, 'a response schema of its own is compiled');
  assert.equal((await third.inject({ method: 'POST', url: '/a', payload: { name: 'Ann' } })).body, '{"name":"Ann","secret":"s"}');
  await Promise.all([first.close(), second.close(), third.close()]);
});
