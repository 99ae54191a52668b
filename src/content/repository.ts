/** Reading and writing content items: the only file that touches content_items. */
import type { Kysely } from 'kysely';
import type { Store } from '../store/index.js';
import type { Variants } from './schema.js';
import type { ContentTables } from './tables.js';
import type { ContentItem } from './types.js';

type Row = ContentTables['content_items'];

const contentDb = (db: Kysely<object>) => db.withTables<ContentTables>();

const toItem = (row: Row): ContentItem => ({
  id: row.id,
  name: row.name,
  description: row.description,
  variants: JSON.parse(row.variants) as Partial<Variants>,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toRow = (item: ContentItem): Row => ({
  id: item.id,
  name: item.name,
  description: item.description,
  variants: JSON.stringify(item.variants),
  created_at: item.createdAt,
  updated_at: item.updatedAt,
});

export interface ContentPage {
  /** All items when absent. */
  limit?: number;
  /** The name of the last item of the previous page. */
  after?: string;
}

export function createContentRepository(store: Store) {
  const db = contentDb(store.db);
  // Names in code point order on both databases, whatever collation PostgreSQL has: pages follow the same order.
  const byName = store.dialect.searchKey('name');

  async function findBy(column: 'id' | 'name', value: string, within: Kysely<object> = store.db): Promise<ContentItem | undefined> {
    const row = await contentDb(within).selectFrom('content_items').selectAll().where(column, '=', value).executeTakeFirst();
    return row && toItem(row);
  }

  return {
    async list(page: ContentPage = {}): Promise<ContentItem[]> {
      let query = db.selectFrom('content_items').selectAll().orderBy(byName);
      if (page.after !== undefined) query = query.where(byName, '>', page.after);
      if (page.limit !== undefined) query = query.limit(page.limit);
      return (await query.execute()).map(toItem);
    },
    /** By id first: a name may look like another item's id. */
    async find(idOrName: string, within?: Kysely<object>): Promise<ContentItem | undefined> {
      return (await findBy('id', idOrName, within)) ?? (await findBy('name', idOrName, within));
    },
    findByName: (name: string, within?: Kysely<object>) => findBy('name', name, within),
    async insert(trx: Kysely<object>, item: ContentItem): Promise<boolean> {
      await contentDb(trx).insertInto('content_items').values(toRow(item)).execute();
      return true;
    },
    /** False when the item is gone. */
    async replace(trx: Kysely<object>, item: ContentItem): Promise<boolean> {
      const { id, created_at: _created, ...changes } = toRow(item);
      const result = await contentDb(trx).updateTable('content_items').set(changes).where('id', '=', id).executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async remove(trx: Kysely<object>, id: string): Promise<void> {
      await contentDb(trx).deleteFrom('content_items').where('id', '=', id).execute();
    },
  };
}

export type ContentRepository = ReturnType<typeof createContentRepository>;
