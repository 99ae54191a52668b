/**
 * Prefix search without LIKE: the strings that start with a prefix are the
 * range [prefix, successor(prefix)) in code point order, which a plain index
 * on the key serves on every dialect (dialect.searchKey makes the database
 * compare that way), and which needs no escaping of % and _.
 */
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';

/** Whether `key` starts with `prefix` (a non-empty, well-formed string), as an index range. */
export function startsWith(key: Expression<string>, prefix: string): RawBuilder<SqlBool> {
  const end = successor(prefix);
  return end === undefined ? sql<SqlBool>`${key} >= ${prefix}` : sql<SqlBool>`(${key} >= ${prefix} and ${key} < ${end})`;
}

/** A-Z as a-z, and nothing else: what searchKey's foldAscii does in the database. */
export const foldAscii = (text: string): string => text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());

/** Whether a string is whole UTF-16 (no lone surrogate), so that it has a code point order at all. */
export const isWellFormed = (text: string): boolean => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

/**
 * The least string greater than every string that starts with `prefix`, in
 * code point order: the prefix with its last code point incremented (past
 * the surrogate range, which is no code point); undefined when there is none.
 */
export function successor(prefix: string): string | undefined {
  const points = [...prefix];
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) return points.join('') + String.fromCodePoint(last === 0xd7ff ? 0xe000 : last + 1);
  }
  return undefined;
}
