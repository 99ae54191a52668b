/**
 * Checking a content item before it is saved, with no I/O: its shape against
 * the schema, then every template's syntax. Each problem names the JSON
 * pointer of the part at fault; a template problem adds the line and column
 * where parsing stopped.
 */
import { Value, type ValueError } from '@sinclair/typebox/value';
import { TouchpointError } from '../errors.js';
import type { Engines } from './liquid.js';
import { ADDRESS_PATTERN, CONTENT_CHANNELS, ContentInputSchema, type ContentChannel, type ContentInput, type Variants } from './schema.js';
import { visitVariant } from './templates.js';

export interface TemplateProblem {
  pointer: string;
  line: number;
  column: number;
  message: string;
}

function describe(error: ValueError): string {
  if (error.message === 'Expected required property') return 'is required';
  if (error.message === 'Unexpected property') return `is not a field here; allowed: ${Object.keys(error.schema.properties ?? {}).join(', ')}`;
  if (error.schema.minProperties === 1) return `needs at least one variant: ${CONTENT_CHANNELS.join(', ')}`;
  if (error.schema.pattern === '\\S') return 'must not be blank';
  if (error.schema.pattern === ADDRESS_PATTERN) return 'must be an address or "Name <address>" on one line';
  if (error.schema.anyOf) return 'must be a string or null';
  return error.message.charAt(0).toLowerCase() + error.message.slice(1);
}

/** Every problem in the shape of a content item, as "JSON pointer: what is wrong", one per place. Empty when valid. */
export function contentProblems(input: unknown): string[] {
  const byPointer = new Map<string, string>();
  for (const error of Value.Errors(ContentInputSchema, input)) {
    const pointer = error.path || '/';
    if (!byPointer.has(pointer)) byPointer.set(pointer, describe(error));
  }
  return [...byPointer].map(([pointer, problem]) => `${pointer}: ${problem}`);
}

/** Every template that does not parse, in the order of the variants. */
export async function templateProblems(engines: Engines, variants: Partial<Variants>): Promise<TemplateProblem[]> {
  const problems: TemplateProblem[] = [];
  for (const channel of CONTENT_CHANNELS) {
    const variant = variants[channel];
    if (variant === undefined) continue;
    await visitVariant(channel as ContentChannel, variant, async (site) => {
      const problem = engines.syntaxProblem(site.kind, site.text);
      if (problem) problems.push({ pointer: site.pointer, ...problem });
      return '';
    });
  }
  return problems;
}

export const formatTemplateProblem = (p: TemplateProblem) => `${p.pointer}: line ${p.line}, column ${p.column}: ${p.message}`;

/** Throws TP_INVALID_CONTENT, listing every problem, unless the input has the form of a content item. */
export function assertContentShape(input: unknown): asserts input is ContentInput {
  const problems = contentProblems(input);
  if (problems.length > 0) throw new TouchpointError('TP_INVALID_CONTENT', `The content is not valid: ${problems.join('; ')}.`, { problems });
}

/** The input as a content item, or a TouchpointError listing what is wrong with it: its form first, then its templates. */
export async function checkContent(engines: Engines, input: unknown): Promise<ContentInput> {
  assertContentShape(input);
  const content = input;
  const syntax = await templateProblems(engines, content.variants);
  if (syntax.length > 0) {
    throw new TouchpointError('TP_INVALID_TEMPLATE', `A template does not parse: ${syntax.map(formatTemplateProblem).join('; ')}.`, { problems: syntax });
  }
  return content;
}
