import type { Generated } from 'kysely';
import type { Migrations } from '../store/index.js';

export type JourneyTables = {
  journeys: {
    id: string;
    name: string;
    description: string | null;
    status: string;
    /** The version customers enter now. */
    version: number;
    /** When the journey last went live: triggers from before it enter no one. */
    live_since: number | null;
    created_at: number;
    updated_at: number;
  };
  journey_versions: {
    journey_id: string;
    version: number;
    definition: string;
    /** When this version first went live: a version that has been live is never edited in place. */
    went_live_at: number | null;
    created_at: number;
  };
  journey_enrolments: {
    id: string;
    journey_id: string;
    version: number;
    profile_id: string;
    /** Keyed journeys: the key taken from the trigger event; '' otherwise. */
    enrol_key: string;
    /** What entered the customer (event message id, segment change...): entering twice on one trigger is impossible. */
    trigger_key: string;
    /** The trigger event's message (JSON), for templates and keys; null for other triggers. */
    trigger: string | null;
    status: 'active' | 'completed' | 'exited' | 'converted';
    step_id: string | null;
    /** What the customer waits for (JSON), when waiting for an event. */
    wait_for: string | null;
    /** When the wait ends (its timer); null when not waiting. */
    next_at: number | null;
    arm: string | null;
    entered_at: number;
    goal_until: number | null;
    ended_at: number | null;
    exit_reason: string | null;
    updated_at: number;
  };
  /** What happened to whom, step by step: entries, steps reached, conversions and exits (journey stats read it). */
  journey_activity: {
    id: Generated<number>;
    journey_id: string;
    version: number;
    enrolment_id: string;
    profile_id: string;
    kind: 'entered' | 'reached' | 'converted' | 'ended';
    step_id: string | null;
    arm: string | null;
    value: number | null;
    detail: string | null;
    at: number;
  };
  /** The journeys consumer's positions in the streams it reads (log, segment changes, stage changes). */
  journey_positions: { stream: string; position: number };
  /** Scheduled entries: the next run of each scheduled journey, and how far a run has come. */
  journey_schedules: {
    journey_id: string;
    /** The schedule entry (JSON) the next run was computed from: a new version with another schedule starts over. */
    spec: string;
    next_at: number | null;
    /** The run in progress (its nominal time) and the last profile id it enrolled. */
    run_at: number | null;
    cursor: string | null;
  };
  /** Traits set by journeys, appended to the log after their transaction commits. */
  journey_outbox: { id: Generated<number>; event: string };
};

export const journeyMigrations: Migrations = {
  '2026-11-30-12-journeys': {
    async up(db, dialect) {
      const big = dialect.bigintType;
      await db.schema
        .createTable('journeys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('description', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('live_since', big)
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('journey_versions')
        .addColumn('journey_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('went_live_at', big)
        .addColumn('created_at', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('journey_versions_pk', ['journey_id', 'version'])
        .execute();
      await db.schema
        .createTable('journey_enrolments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('journey_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('profile_id', 'text', (c) => c.notNull())
        .addColumn('enrol_key', 'text', (c) => c.notNull())
        .addColumn('trigger_key', 'text', (c) => c.notNull())
        .addColumn('trigger', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('step_id', 'text')
        .addColumn('wait_for', 'text')
        .addColumn('next_at', big)
        .addColumn('arm', 'text')
        .addColumn('entered_at', big, (c) => c.notNull())
        .addColumn('goal_until', big)
        .addColumn('ended_at', big)
        .addColumn('exit_reason', 'text')
        .addColumn('updated_at', big, (c) => c.notNull())
        .addUniqueConstraint('journey_enrolments_trigger', ['journey_id', 'profile_id', 'trigger_key'])
        .execute();
      await db.schema.createIndex('journey_enrolments_profile').on('journey_enrolments').columns(['profile_id', 'status']).execute();
      await db.schema.createIndex('journey_enrolments_journey').on('journey_enrolments').columns(['journey_id', 'status', 'step_id']).execute();
      await db.schema.createIndex('journey_enrolments_due').on('journey_enrolments').column('next_at').execute();
      await dialect
        .addSequenceKey(db.schema.createTable('journey_activity'), 'id')
        .addColumn('journey_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('enrolment_id', 'text', (c) => c.notNull())
        .addColumn('profile_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('step_id', 'text')
        .addColumn('arm', 'text')
        .addColumn('value', 'real')
        .addColumn('detail', 'text')
        .addColumn('at', big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('journey_activity_journey').on('journey_activity').columns(['journey_id', 'kind']).execute();
      await db.schema.createIndex('journey_activity_enrolment').on('journey_activity').columns(['enrolment_id', 'id']).execute();
      await db.schema
        .createTable('journey_positions')
        .addColumn('stream', 'text', (c) => c.primaryKey())
        .addColumn('position', big, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('journey_schedules')
        .addColumn('journey_id', 'text', (c) => c.primaryKey())
        .addColumn('spec', 'text', (c) => c.notNull())
        .addColumn('next_at', big)
        .addColumn('run_at', big)
        .addColumn('cursor', 'text')
        .execute();
      await dialect
        .addSequenceKey(db.schema.createTable('journey_outbox'), 'id')
        .addColumn('event', 'text', (c) => c.notNull())
        .execute();
    },
  },
};
