/**
 * Admin tokens for the management API. The first one comes from
 * TOUCHPOINT_ADMIN_TOKEN, or is generated at first start and shown once; only
 * hashes are stored.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Ids } from '../ids.js';
import type { Migrations, Store } from '../store/index.js';

export type HttpTables = {
  api_tokens: { id: string; name: string; token_hash: string; created_at: number };
};

export const httpMigrations: Migrations = {
  '2026-11-23-03-api-tokens': {
    async up(db, dialect) {
      await db.schema
        .createTable('api_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', dialect.bigintType, (c) => c.notNull())
        .execute();
    },
  },
};

export interface AdminTokens {
  verify(token: string): Promise<boolean>;
  /** Creates the first token when there is none and none is configured; returns it once. */
  bootstrap(): Promise<string | undefined>;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();

export function createAdminTokens(store: Store, deps: { configured?: string; clock: Clock; ids: Ids }): AdminTokens {
  const db = store.db.withTables<HttpTables>();
  const configured = deps.configured === undefined ? undefined : sha256(deps.configured);
  return {
    async verify(token) {
      const hash = sha256(token);
      if (configured && timingSafeEqual(hash, configured)) return true;
      const row = await db.selectFrom('api_tokens').select('id').where('token_hash', '=', hash.toString('hex')).executeTakeFirst();
      return row !== undefined;
    },
    async bootstrap() {
      if (configured) return undefined;
      const existing = await db.selectFrom('api_tokens').select('id').limit(1).executeTakeFirst();
      if (existing) return undefined;
      const token = `tp_${deps.ids.secret()}`;
      await db
        .insertInto('api_tokens')
        .values({ id: deps.ids.id('tok'), name: 'admin', token_hash: sha256(token).toString('hex'), created_at: deps.clock.now() })
        .execute();
      return token;
    },
  };
}
