import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeSchemaErrors, type SchemaError } from './validation-message.js';

const constant = (path: string, schemaPath: string, allowedValue: unknown): SchemaError => ({
  keyword: 'const',
  instancePath: path,
  schemaPath,
  params: { allowedValue },
  message: 'must be equal to constant',
});
const anyOf = (path: string, schemaPath: string): SchemaError => ({
  keyword: 'anyOf',
  instancePath: path,
  schemaPath,
  params: {},
  message: 'must match a schema in anyOf',
});

it('says a union of literals once, with the values it allows', () => {
  const errors = [
    ...['identify', 'track', 'page'].map((v, i) => constant('/type', `#/properties/type/anyOf/${i}/const`, v)),
    anyOf('/type', '#/properties/type/anyOf'),
  ];
  assert.equal(describeSchemaErrors('querystring', errors), 'querystring/type must be one of identify, track, page.');
});

it('folds a nullable union of literals into one sentence', () => {
  const errors: SchemaError[] = [
    constant('/tier', '#/properties/tier/anyOf/0/anyOf/0/const', 'gold'),
    constant('/tier', '#/properties/tier/anyOf/0/anyOf/1/const', 'silver'),
    anyOf('/tier', '#/properties/tier/anyOf/0/anyOf'),
    { keyword: 'type', instancePath: '/tier', schemaPath: '#/properties/tier/anyOf/1/type', params: { type: 'null' }, message: 'must be null' },
    anyOf('/tier', '#/properties/tier/anyOf'),
  ];
  assert.equal(describeSchemaErrors('body', errors), 'body/tier must be one of gold, silver, null.');
});

it('says what each alternative of another union asked', () => {
  const errors: SchemaError[] = [
    { keyword: 'type', instancePath: '/at', schemaPath: '#/properties/at/anyOf/0/type', params: { type: 'string' }, message: 'must be string' },
    { keyword: 'type', instancePath: '/at', schemaPath: '#/properties/at/anyOf/1/type', params: { type: 'integer' }, message: 'must be integer' },
    anyOf('/at', '#/properties/at/anyOf'),
  ];
  assert.equal(describeSchemaErrors('body', errors), 'body/at must be string, or must be integer.');
});

it('names an unknown property with the ones allowed', () => {
  const unknown = (context: string, path: string, properties?: Record<string, unknown>): string =>
    describeSchemaErrors(context, [
      {
        keyword: 'additionalProperties',
        instancePath: path,
        schemaPath: '#/additionalProperties',
        params: { additionalProperty: 'foo' },
        message: 'must NOT have additional properties',
        parentSchema: { properties },
      },
    ]);
  assert.equal(unknown('querystring', '', { limit: {}, before: {} }), 'querystring has an unknown parameter "foo"; allowed: limit, before.');
  assert.equal(unknown('body', '/where/0', { property: {}, op: {} }), 'body/where/0 has an unknown field "foo"; allowed: property, op.');
  assert.equal(unknown('querystring', '', {}), 'querystring has an unknown parameter "foo"; it takes no parameters.');
});

it("keeps Ajv's own words for other keywords", () => {
  const errors: SchemaError[] = [
    { keyword: 'minimum', instancePath: '/limit', schemaPath: '#/properties/limit/minimum', params: { limit: 1 }, message: 'must be >= 1' },
  ];
  assert.equal(describeSchemaErrors('querystring', errors), 'querystring/limit must be >= 1.');
});
