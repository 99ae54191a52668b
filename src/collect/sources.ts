/** Sources and their write keys (stored hashed; a new key is shown once). */
import type { Clock } from '../clock.js';
import { TouchpointError } from '../errors.js';
import type { Ids } from '../ids.js';
import type { Store } from '../store/index.js';
import type { Channel } from './channels.js';
import { hashKey, keyHint } from './keys.js';
import type { CollectTables } from './tables.js';

export interface Source {
  id: string;
  name: string;
  channel: Channel;
  /** The first characters of the current write key. */
  writeKeyHint: string;
  createdAt: number;
  rotatedAt: number | null;
}

export interface SourceWithKey extends Source {
  writeKey: string;
}

/** A source as the API and the CLI show it: times as ISO 8601 (a new key is shown beside it, once). */
export interface SourceView {
  id: string;
  name: string;
  channel: Channel;
  writeKeyHint: string;
  createdAt: string;
  rotatedAt: string | null;
}

export function presentSource(source: Source): SourceView {
  return {
    id: source.id,
    name: source.name,
    channel: source.channel,
    writeKeyHint: source.writeKeyHint,
    createdAt: new Date(source.createdAt).toISOString(),
    rotatedAt: source.rotatedAt === null ? null : new Date(source.rotatedAt).toISOString(),
  };
}

export interface Sources {
  create(input: { name: string; channel: Channel }): Promise<SourceWithKey>;
  /** Touchpoint's own source of this name, created the first time: hidden from lists, no write key works for it. */
  internal(name: string): Promise<Source>;
  /** All sources but the internal ones, by name. */
  list(): Promise<Source[]>;
  /** By id or by name (internal sources are not found). */
  find(idOrName: string): Promise<Source | undefined>;
  /** The old key keeps working for `graceSeconds` (default 0: it stops at once). */
  rotateKey(idOrName: string, graceSeconds?: number): Promise<SourceWithKey>;
  authenticate(writeKey: string): Promise<Source | undefined>;
}

type Row = CollectTables['sources'];

export function createSources(store: Store, deps: { clock: Clock; ids: Ids; cacheSeconds: number }): Sources {
  const db = store.db.withTables<CollectTables>();
  // Write keys are checked on every tracking request; the cache is short so that a
  // rotation made by another process (the CLI, another node) takes effect quickly.
  const cache = new Map<string, { source: Source | undefined; until: number }>();

  const findRow = (idOrName: string, internal = 0) =>
    db
      .selectFrom('sources')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]))
      .where('internal', '=', internal)
      .executeTakeFirst();
  const taken = async (name: string) => (await db.selectFrom('sources').select('id').where('name', '=', name).executeTakeFirst()) !== undefined;

  async function insert(name: string, channel: Channel, internal: number): Promise<SourceWithKey> {
    const writeKey = deps.ids.secret();
    const row: Row = {
      id: deps.ids.id('src'),
      name,
      channel,
      write_key_hash: hashKey(writeKey),
      write_key_hint: keyHint(writeKey),
      previous_key_hash: null,
      previous_key_expires_at: null,
      created_at: deps.clock.now(),
      rotated_at: null,
      internal,
    };
    try {
      await store.write((trx) => trx.withTables<CollectTables>().insertInto('sources').values(row).execute());
    } catch (error) {
      if (await taken(name)) throw nameTaken(name); // lost a race with another create
      throw error;
    }
    return { ...toSource(row), writeKey };
  }

  async function find(idOrName: string): Promise<Source | undefined> {
    const row = await findRow(idOrName);
    return row && toSource(row);
  }

  return {
    async create({ name, channel }) {
      const trimmed = name.trim();
      if (await taken(trimmed)) throw nameTaken(trimmed);
      return insert(trimmed, channel, 0);
    },
    async internal(name) {
      const found = await findRow(name, 1);
      if (found) return toSource(found);
      try {
        return await insert(name, 'other', 1);
      } catch (error) {
        const raced = await findRow(name, 1); // another process created it first
        if (raced) return toSource(raced);
        throw error;
      }
    },
    async list() {
      const rows = await db.selectFrom('sources').selectAll().where('internal', '=', 0).orderBy('name').execute();
      return rows.map(toSource);
    },
    find,
    async rotateKey(idOrName, graceSeconds = 0) {
      const current = await findRow(idOrName);
      if (!current) throw notFound(idOrName);
      const now = deps.clock.now();
      const writeKey = deps.ids.secret();
      const update = {
        write_key_hash: hashKey(writeKey),
        write_key_hint: keyHint(writeKey),
        previous_key_hash: graceSeconds > 0 ? current.write_key_hash : null,
        previous_key_expires_at: graceSeconds > 0 ? now + graceSeconds * 1000 : null,
        rotated_at: now,
      };
      await store.write((trx) => trx.withTables<CollectTables>().updateTable('sources').set(update).where('id', '=', current.id).execute());
      cache.clear();
      return { ...toSource({ ...current, ...update }), writeKey };
    },
    async authenticate(writeKey) {
      const hash = hashKey(writeKey);
      const now = deps.clock.now();
      const cached = cache.get(hash);
      if (cached && cached.until > now) return cached.source;
      const row = await db
        .selectFrom('sources')
        .selectAll()
        .where((eb) => eb.or([eb('write_key_hash', '=', hash), eb.and([eb('previous_key_hash', '=', hash), eb('previous_key_expires_at', '>', now)])]))
        .where('internal', '=', 0)
        .executeTakeFirst();
      const source = row && toSource(row);
      if (cache.size > 10_000) cache.clear(); // wrong keys must not grow the cache without bound
      cache.set(hash, { source, until: now + deps.cacheSeconds * 1000 });
      return source;
    },
  };
}

function toSource(row: Row): Source {
  return {
    id: row.id,
    name: row.name,
    channel: row.channel as Channel,
    writeKeyHint: row.write_key_hint,
    createdAt: row.created_at,
    rotatedAt: row.rotated_at,
  };
}

function nameTaken(name: string): TouchpointError {
  return new TouchpointError('TP_SOURCE_NAME_TAKEN', `A source named ${JSON.stringify(name)} exists already; choose another name.`);
}

function notFound(idOrName: string): TouchpointError {
  return new TouchpointError('TP_SOURCE_NOT_FOUND', `No source has the id or name ${JSON.stringify(idOrName)}. List them with GET /api/sources.`);
}
