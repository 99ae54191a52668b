import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createEngines, createParseCache, type ParsedTemplate } from './liquid.js';

it('parses a template once per engine, and keeps the engines apart', async () => {
  const engines = createEngines();
  const text = '{{ a }}';
  assert.equal(engines.parse('text', text), engines.parse('text', text));
  assert.notEqual(engines.parse('html', text), engines.parse('text', text));
  assert.equal(await engines.render('html', engines.parse('html', text), { a: '<i>' }), '&lt;i&gt;');
  assert.equal(await engines.render('text', engines.parse('text', text), { a: '<i>' }), '<i>');
});

it('lists the variables a template reads from outside it', () => {
  const engines = createEngines();
  const parsed = engines.parse('text', '{% assign n = traits.a %}{{ n }}{% for i in event.items %}{{ i.x }}{% endfor %}{{ profile.traits[key] }}');
  assert.deepEqual(parsed.variables, [['traits', 'a'], ['event', 'items'], ['profile', 'traits', ['key']], ['key']]);
});

it('drops the least recently used templates once their texts pass the budget', () => {
  const cache = createParseCache(10);
  const parsed = (): ParsedTemplate => ({ templates: [], variables: [] });
  cache.add('aaaa', parsed());
  cache.add('bbbb', parsed());
  assert.ok(cache.get('aaaa'), 'now the most recently used');
  cache.add('cccc', parsed());
  assert.deepEqual(
    ['aaaa', 'bbbb', 'cccc'].map((t) => cache.get(t) !== undefined),
    [true, false, true],
  );
});
