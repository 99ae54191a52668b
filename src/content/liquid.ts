/**
 * The Liquid engines content renders with, and a parse cache. There are two
 * because LiquidJS applies `outputEscape` when it parses an output tag: HTML
 * templates go to one that escapes every output (`| raw` opts out), all other
 * templates to one that does not. Both are built by createEngines, once per
 * content module.
 */
import { filters, Liquid, LiquidError, type FilterImplOptions, type Template } from 'liquidjs';
import type { VariablePath } from './missing.js';

export type TemplateKind = 'html' | 'text';

/** A template ready to render, with the variables it reads from outside (its own assign/capture/for variables left out). */
export interface ParsedTemplate {
  templates: Template[];
  variables: VariablePath[];
}

/** Where a template stopped parsing (1-based), and why. */
export interface SyntaxProblem {
  line: number;
  column: number;
  message: string;
}

export interface Engines {
  /** Parses a template, or takes it from the cache; throws LiquidError on a syntax error. */
  parse(kind: TemplateKind, text: string): ParsedTemplate;
  /** The syntax error of a template; undefined when it parses. */
  syntaxProblem(kind: TemplateKind, text: string): SyntaxProblem | undefined;
  render(kind: TemplateKind, parsed: ParsedTemplate, scope: object): Promise<string>;
}

/** Characters of template kept parsed per engine: a large HTML body weighs what it holds, not one entry. */
const CACHE_BUDGET = 5_000_000;

const handlerOf = (filter: FilterImplOptions) => (typeof filter === 'function' ? filter : filter.handler);

function createEngine(kind: TemplateKind): Liquid {
  const engine = new Liquid({
    outputEscape: kind === 'html' ? 'escape' : undefined,
    // A misspelt filter is refused at save rather than skipped at every send.
    strictFilters: true,
    // Templates see the data's own fields, never what objects inherit (constructor, __proto__).
    ownPropertyOnly: true,
    // Rendering must not depend on the server's time zone: dates are UTC unless the date filter names a zone.
    timezoneOffset: 0,
    // Nothing outside the template may be read: no file system, and the tags that would read one are gone.
    templates: {},
    parseLimit: 1_000_000,
    renderLimit: 1_000,
    memoryLimit: 10_000_000,
  });
  for (const tag of ['include', 'render', 'layout']) delete engine.tags[tag];
  if (kind === 'html') {
    // escape and escape_once already make their output safe: escaping it again would show "&amp;amp;".
    for (const name of ['escape', 'escape_once']) engine.registerFilter(name, { handler: handlerOf(filters[name]!), raw: true });
  }
  return engine;
}

export interface ParseCache {
  get(text: string): ParsedTemplate | undefined;
  add(text: string, parsed: ParsedTemplate): void;
}

/** Parsed templates by their text, the least recently used dropped first once their texts pass the budget. */
export function createParseCache(budget: number): ParseCache {
  const entries = new Map<string, ParsedTemplate>();
  let size = 0;
  return {
    get(text) {
      const hit = entries.get(text);
      if (hit) {
        // A Map keeps insertion order: re-inserting makes it the most recently used.
        entries.delete(text);
        entries.set(text, hit);
      }
      return hit;
    },
    add(text, parsed) {
      entries.set(text, parsed);
      size += text.length;
      for (const oldest of entries.keys()) {
        if (size <= budget) break;
        entries.delete(oldest);
        size -= oldest.length;
      }
    },
  };
}

export function createEngines(): Engines {
  const engines: Record<TemplateKind, Liquid> = { html: createEngine('html'), text: createEngine('text') };
  const caches: Record<TemplateKind, ParseCache> = { html: createParseCache(CACHE_BUDGET), text: createParseCache(CACHE_BUDGET) };

  function parse(kind: TemplateKind, text: string): ParsedTemplate {
    const cached = caches[kind].get(text);
    if (cached) return cached;
    const templates = engines[kind].parse(text);
    const parsed = { templates, variables: engines[kind].globalVariableSegmentsSync(templates, { partials: false }) };
    caches[kind].add(text, parsed);
    return parsed;
  }

  return {
    parse,
    syntaxProblem(kind, text) {
      try {
        parse(kind, text);
        return undefined;
      } catch (error) {
        if (!LiquidError.is(error)) throw error;
        return describeLiquidError(error);
      }
    },
    render: (kind, parsed, scope) => engines[kind].render(parsed.templates, scope),
  };
}

/** LiquidJS appends ", line:3, col:5" to its messages; the position is reported apart. */
export function describeLiquidError(error: LiquidError): SyntaxProblem {
  const [line = 1, column = 1] = error.token?.getPosition() ?? [];
  return { line, column, message: error.message.replace(/, line:\d+, col:\d+$/, '') };
}
