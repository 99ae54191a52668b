/** TypeBox schemas shared by routes: they validate requests and generate the OpenAPI document. */
import { Type, type TSchema } from '@sinclair/typebox';
import { StringEnum } from '../schema-kit.js';

export { StringEnum };
import { CHANNELS } from '../collect/index.js';

export const ChannelSchema = StringEnum(CHANNELS, { description: 'A channel.' });

export const ErrorSchema = Type.Object(
  {
    error: Type.Object(
      { code: Type.String({ description: 'Stable error code, see docs/errors.md.' }), message: Type.String() },
      { additionalProperties: true },
    ),
  },
  { additionalProperties: true, description: 'An error.' },
);

export const RejectionSchema = Type.Object({
  index: Type.Integer({ description: 'Position of the message in the batch, from 0.' }),
  code: Type.String(),
  message: Type.String(),
});

/** Response schemas with the error responses every route may give. */
export function responses(ok: Record<number, TSchema>): Record<number, TSchema> {
  return { ...ok, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema, 413: ErrorSchema, 415: ErrorSchema };
}
