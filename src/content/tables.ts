import type { Migrations } from '../store/index.js';

export type ContentTables = {
  content_items: {
    id: string;
    name: string;
    description: string | null;
    /** The variants as JSON: { email?, sms?, push?, webhook? }. */
    variants: string;
    created_at: number;
    updated_at: number;
  };
};

export const contentMigrations: Migrations = {
  '2026-11-30-10-content': {
    async up(db, dialect) {
      await db.schema
        .createTable('content_items')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('description', 'text')
        .addColumn('variants', 'text', (c) => c.notNull())
        .addColumn('created_at', dialect.bigintType, (c) => c.notNull())
        .addColumn('updated_at', dialect.bigintType, (c) => c.notNull())
        .execute();
    },
  },
};
