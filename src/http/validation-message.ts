/**
 * One readable sentence per schema violation, from the errors Ajv reports for
 * a request. Ajv reports a union of literals (StringEnum) as one "must be
 * equal to constant" per literal and a closing "must match a schema in
 * anyOf"; they become one "must be one of ...". An unknown property is named
 * with the ones the schema allows.
 */

/** The parts of an Ajv error this reads (Ajv runs with `verbose`, so parentSchema is there). */
export interface SchemaError {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  params: Record<string, unknown>;
  message?: string;
  parentSchema?: { properties?: Record<string, unknown> };
}

/** What the part of the request is called in messages, and what its properties are called. */
const NOUNS: Record<string, string> = { querystring: 'parameter', params: 'path parameter', headers: 'header', body: 'field' };

export function describeSchemaErrors(context: string, errors: readonly SchemaError[]): string {
  const where = (e: SchemaError) => `${context}${e.instancePath}`;
  // Errors under an anyOf are its alternatives (nested unions included): said once, with the outermost anyOf.
  const prefixes = errors.filter((e) => e.keyword === 'anyOf').map(branchesOf);
  const outermost = (e: SchemaError) => prefixes.filter((p) => e.schemaPath.startsWith(p)).sort((a, b) => a.length - b.length)[0];
  const alternatives = new Map<string, SchemaError[]>();
  const sentences: string[] = [];
  for (const error of errors) {
    const owner = outermost(error);
    if (owner !== undefined) {
      alternatives.set(owner, [...(alternatives.get(owner) ?? []), error]);
      continue;
    }
    switch (error.keyword) {
      case 'anyOf':
        sentences.push(`${where(error)} ${oneOf(alternatives.get(branchesOf(error)) ?? [], error)}`);
        break;
      case 'enum':
        sentences.push(`${where(error)} must be one of ${list((error.params.allowedValues as unknown[]) ?? [])}`);
        break;
      case 'additionalProperties': {
        const allowed = Object.keys(error.parentSchema?.properties ?? {});
        const noun = NOUNS[context] ?? 'property';
        const name = JSON.stringify(String(error.params.additionalProperty));
        sentences.push(`${where(error)} has an unknown ${noun} ${name}; ${allowed.length > 0 ? `allowed: ${allowed.join(', ')}` : `it takes no ${noun}s`}`);
        break;
      }
      default:
        sentences.push(`${where(error)} ${error.message ?? `fails ${error.keyword}`}`);
    }
  }
  return `${[...new Set(sentences)].join('; ')}.`;
}

/** The schema path under which an anyOf error's alternatives report. */
const branchesOf = (anyOf: SchemaError) => `${anyOf.schemaPath}/`;

/** A union's alternatives: its literals as "one of a, b, c", else what each alternative asked. */
function oneOf(branches: SchemaError[], anyOf: SchemaError): string {
  const failed = branches.filter((b) => b.keyword !== 'anyOf');
  const here = (b: SchemaError) => b.instancePath === anyOf.instancePath;
  const literals = failed.filter((b) => here(b) && b.keyword === 'const').map((b) => b.params.allowedValue);
  const nulls = failed.filter((b) => here(b) && b.keyword === 'type' && b.params.type === 'null');
  if (literals.length > 0 && literals.length + nulls.length === failed.length) {
    return `must be one of ${list([...literals, ...(nulls.length > 0 ? [null] : [])])}`;
  }
  const asked = [...new Set(failed.map((b) => `${here(b) ? '' : `${b.instancePath.slice(anyOf.instancePath.length + 1)} `}${b.message ?? b.keyword}`))];
  return asked.length > 0 ? asked.join(', or ') : (anyOf.message ?? 'matches none of its allowed forms');
}

const list = (values: readonly unknown[]) => values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
