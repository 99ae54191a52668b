/** Small TypeBox helpers shared by the modules' schemas and the HTTP routes. */
import { Type, type TLiteral, type TUnion } from '@sinclair/typebox';

/** One of some strings; validation errors name the allowed values (conditions.ts, http/error-handler.ts). */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: { description?: string; default?: T[number] } = {},
): TUnion<TLiteral<T[number]>[]> {
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  );
}
