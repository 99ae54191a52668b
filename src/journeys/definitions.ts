/**
 * Journeys as stored: definitions with versions and a status. Editing a
 * version that has been live creates a new version (customers already in
 * the journey finish on the version they entered); a draft never live is
 * edited in place. Status moves: draft -> live <-> paused, and any -> archived
 * (final: customers still in it leave).
 */
import type { Kysely, Selectable } from 'kysely';
import { TouchpointError } from '../errors.js';
import type { Store } from '../store/index.js';
import type { JourneyDefinition, JourneyStatus } from './schema.js';
import type { JourneyTables } from './tables.js';
import { checkDefinition, type References } from './validate.js';

export const journeysDb = (db: Kysely<object>) => db.withTables<JourneyTables>();
type Row = Selectable<JourneyTables['journeys']>;

export interface Journey {
  id: string;
  name: string;
  description: string | null;
  status: JourneyStatus;
  version: number;
  liveSince: number | null;
  createdAt: number;
  updatedAt: number;
  definition: JourneyDefinition;
}

/** What a definition refers to outside the journeys module, looked up through the owners' doors. */
export interface Lookups {
  /** A content item by id or name: its id and the channels it has a variant for. */
  content(name: string): Promise<{ id: string; channels: string[] } | undefined>;
  segmentExists(name: string): Promise<boolean>;
  stageNames(): Promise<string[]>;
  /** The configured delivery channels: name and the content variant each sends. */
  channels?(): { name: string; serves: string }[];
  /** The strings of a JSON value that do not parse as Liquid ("/pointer: ..."). */
  templateProblems?(value: unknown): Promise<string[]>;
}

export interface JourneyInput {
  name?: string;
  description?: string | null;
  definition?: unknown;
}

const MOVES: Record<JourneyStatus, readonly JourneyStatus[]> = {
  draft: ['live', 'archived'],
  live: ['paused', 'archived'],
  paused: ['live', 'archived'],
  archived: [],
};

async function referenceProblems(refs: References, lookups: Lookups): Promise<string[]> {
  const problems: string[] = [];
  for (const c of refs.content) {
    const item = await lookups.content(c.name);
    if (!item) problems.push(`${c.at}: no content item has the id or name ${JSON.stringify(c.name)}`);
    else if (!item.channels.includes(c.channel))
      problems.push(`${c.at}: content ${JSON.stringify(c.name)} has no ${c.channel} variant (it has ${item.channels.join(', ') || 'none'})`);
  }
  for (const c of refs.calls) for (const p of (await lookups.templateProblems?.(c.templates)) ?? []) problems.push(`${c.at}${p}`);
  const configured = lookups.channels?.() ?? [];
  for (const c of refs.channels) {
    const found = configured.find((x) => x.name === c.name);
    if (c.name === 'outbox') continue;
    if (c.name === 'journey-calls') {
      problems.push(`${c.at}: journey-calls is built in, for webhook steps; it takes no messages`);
      continue;
    }
    if (!found)
      problems.push(
        `${c.at}: no channel is configured with the name ${JSON.stringify(c.name)} (configured: ${configured.map((x) => x.name).join(', ') || 'none'})`,
      );
    else if (found.serves !== c.channel) problems.push(`${c.at}: channel ${JSON.stringify(c.name)} sends ${found.serves} content, not ${c.channel}`);
  }
  for (const s of refs.segments) if (!(await lookups.segmentExists(s.name))) problems.push(`${s.at}: no segment has the id or name ${JSON.stringify(s.name)}`);
  const stages = refs.stages.length > 0 ? await lookups.stageNames() : [];
  for (const s of refs.stages)
    if (!stages.includes(s.name)) problems.push(`${s.at}: the lifecycle model has no stage ${JSON.stringify(s.name)} (it has ${stages.join(', ')})`);
  return problems;
}

/** A definition that is valid and refers to things that exist, or TP_INVALID_JOURNEY naming every problem. */
export async function acceptDefinition(input: unknown, lookups: Lookups): Promise<JourneyDefinition> {
  const checked = checkDefinition(input);
  const problems = checked.ok ? await referenceProblems(checked.references, lookups) : checked.problems;
  if (problems.length > 0) throw new TouchpointError('TP_INVALID_JOURNEY', `The journey definition is not valid: ${problems.join('; ')}.`, { problems });
  return (checked as { definition: JourneyDefinition }).definition;
}

export function createDefinitions(deps: { store: Store; now(): number; newId(): string; lookups: Lookups }) {
  const db = journeysDb(deps.store.db);

  async function find(idOrName: string, within: Kysely<object> = deps.store.db): Promise<Row> {
    const row = await journeysDb(within)
      .selectFrom('journeys')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]))
      .executeTakeFirst();
    if (!row) throw new TouchpointError('TP_JOURNEY_NOT_FOUND', `No journey has the id or name ${JSON.stringify(idOrName)}.`);
    return row;
  }

  async function definitionOf(id: string, version: number, within: Kysely<object> = deps.store.db): Promise<JourneyDefinition> {
    const row = await journeysDb(within)
      .selectFrom('journey_versions')
      .select('definition')
      .where('journey_id', '=', id)
      .where('version', '=', version)
      .executeTakeFirstOrThrow();
    return JSON.parse(row.definition) as JourneyDefinition;
  }

  const present = async (row: Row, within?: Kysely<object>): Promise<Journey> => ({
    id: row.id,
    name: row.name,
    description: row.description,
    status: row.status as JourneyStatus,
    version: row.version,
    liveSince: row.live_since,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    definition: await definitionOf(row.id, row.version, within),
  });

  async function nameFree(trx: Kysely<object>, name: string, except?: string): Promise<void> {
    const taken = await journeysDb(trx).selectFrom('journeys').select('id').where('name', '=', name).executeTakeFirst();
    if (taken && taken.id !== except) throw new TouchpointError('TP_JOURNEY_EXISTS', `A journey named ${JSON.stringify(name)} exists already (${taken.id}).`);
  }

  return {
    find,
    definitionOf,
    async list(): Promise<Journey[]> {
      const rows = await db.selectFrom('journeys').selectAll().orderBy('name').execute();
      return Promise.all(rows.map((r) => present(r)));
    },
    get: async (idOrName: string) => present(await find(idOrName)),
    async create(input: { name: string; description?: string | null; definition: unknown }): Promise<Journey> {
      const definition = await acceptDefinition(input.definition, deps.lookups);
      const now = deps.now();
      const id = deps.newId();
      return deps.store.write(async (trx) => {
        await nameFree(trx, input.name);
        const row = {
          id,
          name: input.name,
          description: input.description ?? null,
          status: 'draft',
          version: 1,
          live_since: null,
          created_at: now,
          updated_at: now,
        };
        await journeysDb(trx).insertInto('journeys').values(row).execute();
        await journeysDb(trx)
          .insertInto('journey_versions')
          .values({ journey_id: id, version: 1, definition: JSON.stringify(definition), went_live_at: null, created_at: now })
          .execute();
        return present(row, trx);
      });
    },
    /** Replaces the definition (a new version when the current one has been live), the name or the description. */
    async update(idOrName: string, input: JourneyInput): Promise<Journey> {
      const current = await find(idOrName);
      if (current.status === 'archived') throw new TouchpointError('TP_JOURNEY_STATUS', `Journey ${current.name} is archived: it can no longer change.`);
      const definition = input.definition === undefined ? undefined : await acceptDefinition(input.definition, deps.lookups);
      const now = deps.now();
      return deps.store.write(async (trx) => {
        const row = await find(current.id, trx);
        if (input.name !== undefined) await nameFree(trx, input.name, row.id);
        let version = row.version;
        if (definition) {
          const versions = journeysDb(trx).selectFrom('journey_versions').select('went_live_at').where('journey_id', '=', row.id);
          const wentLive = (await versions.where('version', '=', row.version).executeTakeFirstOrThrow()).went_live_at !== null;
          if (wentLive) {
            version = row.version + 1;
            await journeysDb(trx)
              .insertInto('journey_versions')
              .values({
                journey_id: row.id,
                version,
                definition: JSON.stringify(definition),
                went_live_at: row.status === 'draft' ? null : now,
                created_at: now,
              })
              .execute();
          } else {
            await journeysDb(trx)
              .updateTable('journey_versions')
              .set({ definition: JSON.stringify(definition) })
              .where('journey_id', '=', row.id)
              .where('version', '=', row.version)
              .execute();
          }
        }
        const changes = {
          name: input.name ?? row.name,
          description: input.description === undefined ? row.description : input.description,
          version,
          updated_at: now,
        };
        await journeysDb(trx).updateTable('journeys').set(changes).where('id', '=', row.id).execute();
        return present({ ...row, ...changes }, trx);
      });
    },
    /** Moves the journey to a status; going live checks again what the definition refers to. */
    async setStatus(idOrName: string, status: JourneyStatus, onChange: (trx: Kysely<object>, journey: Journey) => Promise<void>): Promise<Journey> {
      const row = await find(idOrName);
      if (row.status === status) return present(row);
      if (!MOVES[row.status as JourneyStatus].includes(status))
        throw new TouchpointError(
          'TP_JOURNEY_STATUS',
          `Journey ${row.name} is ${row.status}: it can go to ${MOVES[row.status as JourneyStatus].join(' or ') || 'no other status'}, not ${status}.`,
        );
      if (status === 'live') await acceptDefinition(await definitionOf(row.id, row.version), deps.lookups);
      const now = deps.now();
      return deps.store.write(async (trx) => {
        const changes = { status, updated_at: now, ...(status === 'live' && { live_since: now }) };
        await journeysDb(trx).updateTable('journeys').set(changes).where('id', '=', row.id).execute();
        if (status === 'live')
          await journeysDb(trx)
            .updateTable('journey_versions')
            .set({ went_live_at: now })
            .where('journey_id', '=', row.id)
            .where('version', '=', row.version)
            .where('went_live_at', 'is', null)
            .execute();
        const journey = await present({ ...row, ...changes }, trx);
        await onChange(trx, journey);
        return journey;
      });
    },
  };
}

export type Definitions = ReturnType<typeof createDefinitions>;
