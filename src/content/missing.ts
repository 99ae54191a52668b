/**
 * Which variables a template refers to that the scope lacks, with no I/O.
 * The template's variables come from LiquidJS's static analysis (its own
 * assign, capture and for variables left out); each is looked up in the
 * scope the way Liquid looks it up. Looking them up after the fact, rather
 * than watching a render, reports a variable in a branch that did not run
 * too: a missing variable is missing data, whether or not the template
 * guarded against it.
 */

/** A variable as LiquidJS's analysis gives it: property names, indexes, and variables used as keys (`traits[key]`). */
export type VariablePath = Array<string | number | VariablePath>;

/** Nothing to show: Liquid renders both as empty. */
const isNil = (value: unknown): value is null | undefined => value === null || value === undefined;

function sizeOf(value: unknown): number | undefined {
  if (Array.isArray(value) || typeof value === 'string') return value.length;
  return typeof value === 'object' && value !== null ? Object.keys(value).length : undefined;
}

/** One step of a lookup, as LiquidJS takes it with ownPropertyOnly: own fields, array indexes from either end, size, first, last. */
export function readProperty(value: unknown, key: string | number): unknown {
  if (isNil(value)) return undefined;
  if (Array.isArray(value) && typeof key === 'number') return value[key < 0 ? value.length + key : key];
  const object = Object(value) as Record<string | number, unknown>;
  if (Object.hasOwn(object, key)) return object[key];
  if (key === 'size') return sizeOf(value);
  if (key === 'first' && Array.isArray(value)) return value[0];
  if (key === 'last' && Array.isArray(value)) return value[value.length - 1];
  return undefined;
}

/** The keys of a path with variables used as keys looked up; undefined when such a key is not a name or an index. */
function resolveKeys(path: VariablePath, scope: object): (string | number)[] | undefined {
  const keys: (string | number)[] = [];
  for (const segment of path) {
    if (!Array.isArray(segment)) {
      keys.push(segment);
      continue;
    }
    const key = lookup(segment, scope);
    if (typeof key !== 'string' && typeof key !== 'number') return undefined;
    keys.push(key);
  }
  return keys;
}

function lookup(path: VariablePath, scope: object): unknown {
  const keys = resolveKeys(path, scope);
  return keys?.reduce<unknown>(readProperty, scope);
}

/** A path as a person writes it: profile.traits.firstName, event.properties.items[0], traits["first name"]. */
export function formatPath(keys: readonly (string | number)[]): string {
  return keys
    .map((key, i) => {
      if (typeof key === 'number') return `[${key}]`;
      if (/^[A-Za-z_][\w-]*$/.test(key)) return i === 0 ? key : `.${key}`;
      return `[${JSON.stringify(key)}]`;
    })
    .join('');
}

/**
 * The paths among `variables` that are nil in `scope`, in order, each once.
 * A path with a key that is itself missing is left out: which key it meant
 * is unknown, and the key's own variable is reported.
 */
export function missingVariables(variables: readonly VariablePath[], scope: object): string[] {
  const missing = new Set<string>();
  for (const path of variables) {
    const keys = resolveKeys(path, scope);
    if (keys && isNil(keys.reduce<unknown>(readProperty, scope))) missing.add(formatPath(keys));
  }
  return [...missing];
}
