/** The destinations module's service: settings, status, the CSV export, the sync step and erasure. */
import type { Kysely } from 'kysely';
import type { DeliveryResult } from '../channels/index.js';
import { TouchpointError } from '../errors.js';
import type { Store } from '../store/index.js';
import { audienceCsv } from './csv.js';
import { createDelivery, type BatchDelivery, type DeliveryOptions } from './delivery.js';
import { definedOf, settingsProblems, withDefaults, type DestinationChanges, type DestinationInput, type Settings } from './input.js';
import type { Contact, HashOptions, IdentifierKind } from './normalize.js';
import { columnsOf, countBatches, countMembers, findRow, queueOperations, settingsOf, toldAmong, type DestinationRow } from './records.js';
import { createSync, type SegmentChangeItem } from './sync.js';
import { destinationsDb } from './tables.js';
import { present, statusOf, type Destination, type DestinationStatus } from './view.js';

export interface DestinationOptions extends DeliveryOptions {
  /** Segment changes read per step. */
  changePage: number;
  /** Segment members added per back-fill step, and per CSV page. */
  memberPage: number;
}

export const DEFAULT_OPTIONS: DestinationOptions = {
  changePage: 1000,
  memberPage: 1000,
  maxAttempts: 8,
  backoffMs: 30_000,
  maxBackoffMs: 3_600_000,
  leaseMs: 60_000,
  perStep: 10,
};

export interface DestinationsDeps {
  store: Store;
  now(): number;
  /** A unique id with a readable prefix (ids.id): "dst" for destinations, "dsb" for batches. */
  newId(prefix: string): string;
  /** A new Standard Webhooks secret (generateSecret). */
  newSecret(): string;
  /** A segment by id or name; undefined when there is none. */
  segment(idOrName: string): Promise<{ id: string; name: string } | undefined>;
  segmentChanges(after: number, limit: number): Promise<SegmentChangeItem[]>;
  /** The change stream's last position: a new destination follows it from there (its back-fill covers what came before). */
  segmentChangesHead(): Promise<number>;
  segmentMembers(segmentId: string, after: string, limit: number): Promise<string[]>;
  /** The email and phone traits of these profiles (profiles that are gone are left out). */
  contactsOf(profileIds: readonly string[]): Promise<Map<string, Contact>>;
  send(delivery: BatchDelivery): Promise<DeliveryResult>;
  /** Region for phone numbers written without a country code. */
  phoneRegion?: string;
  options?: Partial<DestinationOptions>;
}

export interface StepReport {
  /** Batches queued and sent by this step. */
  queued: number;
  sent: number;
  /** More changes or members are waiting: step again without pausing. */
  more: boolean;
}

const invalid = (problems: string[]) => new TouchpointError('TP_INVALID_DESTINATION', `The destination is not valid: ${problems.join('; ')}.`);

export function createDestinations(deps: DestinationsDeps) {
  const options = { ...DEFAULT_OPTIONS, ...deps.options };
  const segmentName = async (id: string) => (await deps.segment(id))?.name;
  const sync = createSync({ ...deps, ...options, newBatchId: () => deps.newId('dsb'), segmentName });
  const delivery = createDelivery({ store: deps.store, send: deps.send, options });

  async function find(idOrName: string): Promise<DestinationRow> {
    const row = await findRow(deps.store.db, idOrName);
    if (!row) throw new TouchpointError('TP_DESTINATION_NOT_FOUND', `No destination has the id or name ${JSON.stringify(idOrName)}.`);
    return row;
  }

  async function nameFree(trx: Kysely<object>, name: string): Promise<void> {
    if (await findRow(trx, name)) throw new TouchpointError('TP_DESTINATION_EXISTS', `A destination named ${JSON.stringify(name)} exists already.`);
  }

  const hashOptions = (row: DestinationRow): HashOptions => ({
    rules: row.hashing as HashOptions['rules'],
    identifiers: JSON.parse(row.identifiers) as IdentifierKind[],
    phoneRegion: deps.phoneRegion,
  });

  async function create(input: DestinationInput): Promise<{ destination: Destination; secret?: string }> {
    const settings = withDefaults(input);
    const problems = settingsProblems(settings);
    const segment = await deps.segment(input.segment);
    if (!segment) problems.unshift(`segment ${JSON.stringify(input.segment)} does not exist`);
    if (problems.length > 0 || !segment) throw invalid(problems);
    const generated = settings.kind === 'webhook' && settings.secret === null ? deps.newSecret() : undefined;
    const now = deps.now();
    const webhook = settings.kind === 'webhook';
    const row: DestinationRow = {
      ...columnsOf({ ...settings, secret: generated ?? settings.secret }),
      id: deps.newId('dst'),
      name: input.name,
      segment_id: segment.id,
      segment_name: segment.name,
      kind: settings.kind,
      status: 'active',
      // A webhook follows the stream from now on, after adding who is in the segment already.
      position: webhook ? await deps.segmentChangesHead() : 0,
      backfill_after: webhook ? '' : null,
      ...{ added: 0, removed: 0, skipped: 0, failed_batches: 0, last_error: null, last_error_at: null, last_sync_at: null },
      created_at: now,
      updated_at: now,
    };
    await deps.store.write(async (trx) => {
      await nameFree(trx, input.name);
      await destinationsDb(trx).insertInto('destinations').values(row).execute();
    });
    return { destination: present(row, segment.name), ...(generated && { secret: generated }) };
  }

  async function update(idOrName: string, changes: DestinationChanges & { segment?: string; kind?: string }): Promise<Destination> {
    const row = await find(idOrName);
    const segment = changes.segment === undefined ? undefined : await deps.segment(changes.segment);
    if (changes.segment !== undefined && segment?.id !== row.segment_id) {
      throw invalid(['the segment of a destination cannot change (its audience was built from it); create another destination']);
    }
    if (changes.kind !== undefined && changes.kind !== row.kind) throw invalid(['the kind of a destination cannot change; create another destination']);
    const settings: Settings = { ...settingsOf(row), ...definedOf(changes) };
    const problems = settingsProblems(settings);
    if (problems.length > 0) throw invalid(problems);
    await deps.store.write(async (trx) => {
      if (changes.name !== undefined && changes.name !== row.name) await nameFree(trx, changes.name);
      await destinationsDb(trx)
        .updateTable('destinations')
        .set({ ...columnsOf(settings), name: changes.name ?? row.name, status: changes.status ?? row.status, updated_at: deps.now() })
        .where('id', '=', row.id)
        .execute();
    });
    const updated = await find(row.id);
    return present(updated, await segmentName(updated.segment_id));
  }

  return {
    create,
    update,
    async list(): Promise<Destination[]> {
      const rows = await destinationsDb(deps.store.db).selectFrom('destinations').selectAll().orderBy('name').execute();
      return Promise.all(rows.map(async (r) => present(r, await segmentName(r.segment_id))));
    },
    async get(idOrName: string): Promise<Destination> {
      const row = await find(idOrName);
      return present(row, await segmentName(row.segment_id));
    },
    /** Deletes the destination, its members and its queue. Nothing is sent: the platform's audience stays as it is. */
    async remove(idOrName: string): Promise<void> {
      const row = await find(idOrName);
      await deps.store.write(async (trx) => {
        for (const table of ['destination_batches', 'destination_members'] as const) {
          await destinationsDb(trx).deleteFrom(table).where('destination_id', '=', row.id).execute();
        }
        await destinationsDb(trx).deleteFrom('destinations').where('id', '=', row.id).execute();
      });
    },
    async status(idOrName: string): Promise<DestinationStatus> {
      const row = await find(idOrName);
      return statusOf(row, await countMembers(deps.store.db, row.id), await countBatches(deps.store.db, row.id));
    },
    /** The segment's current members, hashed as the destination hashes them, as CSV (csv.ts names the columns). */
    async exportCsv(idOrName: string, onError: (error: Error) => void): Promise<{ filename: string; stream: NodeJS.ReadableStream }> {
      const row = await find(idOrName);
      const source = { page: (after: string) => deps.segmentMembers(row.segment_id, after, options.memberPage), contactsOf: deps.contactsOf };
      return { filename: `${row.name.replace(/[^\w.-]+/g, '_')}.csv`, stream: audienceCsv(source, hashOptions(row), onError) };
    },
    /** One round of work: queue what the segments changed, then send what is due. Call it in a loop; `more` says not to pause. */
    async step(now: number): Promise<StepReport> {
      const queued = await sync.queue(now);
      const sent = await delivery.sendDue(now);
      return { queued: queued.batches, sent, more: queued.more };
    },
    /** Erasure, in the caller's transaction: platforms are told to remove these profiles (with the hashes they were added with), and their rows go. */
    async forget(trx: Kysely<object>, profileIds: readonly string[]): Promise<void> {
      if (profileIds.length === 0) return;
      const rows = await destinationsDb(trx)
        .selectFrom('destination_members')
        .select('destination_id')
        .distinct()
        .where('profile_id', 'in', profileIds)
        .execute();
      for (const { destination_id } of rows) {
        const destination = (await findRow(trx, destination_id))!;
        const told = await toldAmong(trx, destination_id, profileIds);
        const operations = [...told.values()].map((member) => ({ op: 'remove' as const, member }));
        await queueOperations({ store: deps.store, newId: () => deps.newId('dsb'), now: deps.now() }, trx, destination, operations);
      }
    },
  };
}

export type Destinations = ReturnType<typeof createDestinations>;
