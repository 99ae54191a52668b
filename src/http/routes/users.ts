/** Users of the console and their roles: /api/users (admins only, http/permissions.ts). */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { TouchpointError } from '../../errors.js';
import { MIN_PASSWORD_LENGTH, presentUser, ROLES, type Users } from '../../users/index.js';
import { IdParams, Nullable, typed } from '../api.js';
import { responses, StringEnum } from '../schemas.js';

const RoleSchema = StringEnum(ROLES, { description: 'admin: everything; marketer: edits segments, content, journeys, policy; analyst: reads.' });
const Password = Type.String({ maxLength: 1024, description: `At least ${MIN_PASSWORD_LENGTH} characters.` });
const UserSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Nullable(Type.String()),
  role: RoleSchema,
  disabled: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
const Params = IdParams('User id or email.');

export async function userRoutes(instance: FastifyInstance, deps: { users: Users }): Promise<void> {
  const app = typed(instance);
  const { users } = deps;

  app.get(
    '/api/users',
    {
      schema: {
        tags: ['users'],
        summary: 'The users who may sign in to the console',
        response: responses({ 200: Type.Object({ users: Type.Array(UserSchema) }) }),
      },
    },
    async () => ({ users: (await users.list()).map(presentUser) }),
  );

  app.get('/api/users/:id', { schema: { tags: ['users'], summary: 'One user', params: Params, response: responses({ 200: UserSchema }) } }, async (request) => {
    const user = await users.find(request.params.id);
    if (!user) throw new TouchpointError('TP_USER_NOT_FOUND', `No user has the id or email ${JSON.stringify(request.params.id)}.`);
    return presentUser(user);
  });

  app.post(
    '/api/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Add a user',
        body: Type.Object(
          { email: Type.String({ minLength: 3, maxLength: 320 }), name: Type.Optional(Type.String({ maxLength: 200 })), role: RoleSchema, password: Password },
          { additionalProperties: false },
        ),
        response: responses({ 201: UserSchema }),
      },
    },
    async (request, reply) => reply.code(201).send(presentUser(await users.create(request.body))),
  );

  app.put(
    '/api/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Change a user: name, role, password, disabled (a new role, password or disabling ends their sessions)',
        params: Params,
        body: Type.Object(
          {
            name: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
            role: Type.Optional(RoleSchema),
            password: Type.Optional(Password),
            disabled: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: UserSchema }),
      },
    },
    async (request) => presentUser(await users.update(request.params.id, request.body)),
  );

  app.delete(
    '/api/users/:id',
    { schema: { tags: ['users'], summary: 'Remove a user and end their sessions', params: Params, response: responses({ 204: Type.Null() }) } },
    async (request, reply) => {
      await users.remove(request.params.id);
      return reply.code(204).send(null);
    },
  );
}
