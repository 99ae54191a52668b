/** The Fastify instance routes are written against: TypeBox schemas type each handler's request. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';

export type Api = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

export const typed = (app: FastifyInstance): Api => app.withTypeProvider<TypeBoxTypeProvider>();

/** A route parameter that names something by id or name. */
export const IdParams = (description = 'Id or name.') => Type.Object({ id: Type.String({ description }) });

/** An object whose fields the route documents in prose only. */
export const Loose = Type.Object({}, { additionalProperties: true });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const iso = (ms: number) => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));
