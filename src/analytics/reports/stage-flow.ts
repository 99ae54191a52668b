/**
 * The lifecycle flow, with no I/O: from every stage change (at event time),
 * the stage each customer held at the end of each bucket, their stage at the
 * start of the period against the end, and the moves in between. Changes
 * arrive in any order and are kept in columns of numbers rather than one
 * object each, so that a million customers' histories fit; each customer's
 * are then sorted once and walked once, and a bucket is counted through
 * running differences instead of a pass over everyone per bucket.
 */
import { ReportParameterError } from './errors.js';

export const INTERVALS = ['day', 'week', 'month'] as const;
export type FlowInterval = (typeof INTERVALS)[number];

const DAY = 86_400_000;
/** More buckets than a chart can show: refused, naming the interval. */
export const MAX_BUCKETS = 5_000;

export interface Buckets {
  /** Each bucket's calendar start (the first may begin before `from`). */
  starts: number[];
  /** Each bucket's end (exclusive); the last one is `to`. */
  ends: number[];
}

const floorMod = (x: number, n: number) => ((x % n) + n) % n;

function calendarStart(at: number, interval: FlowInterval): number {
  const day = Math.floor(at / DAY);
  if (interval === 'day') return day * DAY;
  // 1970-01-01 was a Thursday: three days after a Monday.
  if (interval === 'week') return (day - floorMod(day + 3, 7)) * DAY;
  const d = new Date(at);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function nextStart(start: number, interval: FlowInterval): number {
  if (interval === 'day') return start + DAY;
  if (interval === 'week') return start + 7 * DAY;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** The UTC calendar buckets (weeks from Monday) that cover [from, to). */
export function bucketsOf(from: number, to: number, interval: FlowInterval): Buckets {
  const starts: number[] = [];
  const ends: number[] = [];
  for (let start = calendarStart(from, interval); start < to; start = nextStart(start, interval)) {
    if (starts.length === MAX_BUCKETS)
      throw new ReportParameterError(
        'interval',
        `from ${new Date(from).toISOString()} to ${new Date(to).toISOString()} makes more than ${MAX_BUCKETS} buckets of a ${interval}; choose a longer interval or a shorter period.`,
      );
    starts.push(start);
    ends.push(Math.min(nextStart(start, interval), to));
  }
  return { starts, ends };
}

export interface FlowChange {
  profileId: string;
  to: string | null;
  /** The customer was merged into another: from then on they are counted nowhere (the survivor carries on). */
  gone?: boolean;
  at: number;
  /** The order recorded: breaks ties between changes at the same time. */
  id: number;
}

export interface FlowCounts {
  /** Stage names by code; code 0 is no stage. */
  stages: (string | null)[];
  /** Per bucket, customers per stage code at the bucket's end. */
  atEnds: number[][];
  /** Stage at `from` against stage at `to`, every customer in the history by then (null: no stage). */
  transitions: { from: string | null; to: string | null; customers: number }[];
  /** Stage changes inside the period, by the stage left and the stage entered. */
  moves: { from: string | null; to: string | null; changes: number; customers: number }[];
  customers: number;
}

/** Not in the stage history yet: counted nowhere (unlike code 0, in the history but in no stage). */
const ABSENT = -1;
const NONE = 0;

export class StageFlow {
  private readonly profiles = new Map<string, number>();
  private readonly codes = new Map<string, number>();
  private readonly names: (string | null)[] = [null];
  // Per customer: the latest change before `from`, all that matters of what came before.
  private readonly beforeAt: number[] = [];
  private readonly beforeId: number[] = [];
  private readonly beforeStage: number[] = [];
  // The changes inside [from, to), one column per field.
  private readonly inProfile: number[] = [];
  private readonly inAt: number[] = [];
  private readonly inId: number[] = [];
  private readonly inStage: number[] = [];

  constructor(
    private readonly from: number,
    private readonly to: number,
    /** The instants customers are counted at: bucket ends, ascending, the last one `to`. */
    private readonly ends: readonly number[],
  ) {}

  add(change: FlowChange): void {
    // What happens at or after `to` changes nothing the report shows.
    if (change.at >= this.to) return;
    const p = this.profileOf(change.profileId);
    const stage = change.gone ? ABSENT : this.codeOf(change.to);
    if (change.at < this.from) {
      const at = this.beforeAt[p]!;
      if (change.at > at || (change.at === at && change.id > this.beforeId[p]!)) {
        this.beforeAt[p] = change.at;
        this.beforeId[p] = change.id;
        this.beforeStage[p] = stage;
      }
      return;
    }
    this.inProfile.push(p);
    this.inAt.push(change.at);
    this.inId.push(change.id);
    this.inStage.push(stage);
  }

  private profileOf(id: string): number {
    let p = this.profiles.get(id);
    if (p === undefined) {
      p = this.profiles.size;
      this.profiles.set(id, p);
      this.beforeAt.push(Number.NEGATIVE_INFINITY);
      this.beforeId.push(0);
      this.beforeStage.push(ABSENT);
    }
    return p;
  }

  private codeOf(stage: string | null): number {
    if (stage === null) return NONE;
    let code = this.codes.get(stage);
    if (code === undefined) {
      code = this.names.length;
      this.codes.set(stage, code);
      this.names.push(stage);
    }
    return code;
  }

  /** Each customer's changes inside the period in (at, id) order: `order` grouped by customer, customer p's at [start[p], start[p + 1]). */
  private byCustomer(): { order: Int32Array; start: Int32Array } {
    const count = this.profiles.size;
    const start = new Int32Array(count + 1);
    for (const p of this.inProfile) start[p + 1]!++;
    for (let p = 0; p < count; p++) start[p + 1]! += start[p]!;
    const order = new Int32Array(this.inProfile.length);
    const fill = start.slice(0, count);
    this.inProfile.forEach((p, i) => {
      order[fill[p]!++] = i;
    });
    const { inAt: at, inId: id } = this;
    for (let p = 0; p < count; p++) {
      if (start[p + 1]! - start[p]! > 1) order.subarray(start[p]!, start[p + 1]!).sort((a, b) => at[a]! - at[b]! || id[a]! - id[b]!);
    }
    return { order, start };
  }

  /** The first bucket, from `lo` on, whose end comes after `at`: the first one a change at `at` shows in. */
  private bucketAfter(at: number, lo: number): number {
    let hi = this.ends.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ends[mid]! > at) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  counts(): FlowCounts {
    const width = this.names.length;
    const buckets = this.ends.length;
    // Running differences: +1 where a stage starts to be held, -1 where it stops; summed per bucket at the end.
    const diff = new Int32Array((buckets + 1) * width);
    const transitions = new Map<number, number>();
    const moves = new Map<number, { changes: number; customers: number }>();
    const movedNow = new Set<number>();
    const key = (from: number, to: number) => Math.max(from, NONE) * width + to;
    const hold = (stage: number, first: number, end: number) => {
      if (stage === ABSENT || first >= end) return;
      diff[first * width + stage]!++;
      diff[end * width + stage]!--;
    };
    const { order, start } = this.byCustomer();
    let gone = 0;
    for (let p = 0; p < this.profiles.size; p++) {
      const initial = this.beforeStage[p]!;
      let stage = initial;
      let bucket = 0;
      movedNow.clear();
      for (let j = start[p]!; j < start[p + 1]!; j++) {
        const i = order[j]!;
        const next = this.inStage[i]!;
        if (next === stage) continue;
        const shown = this.bucketAfter(this.inAt[i]!, bucket);
        hold(stage, bucket, shown);
        const move = key(stage, next);
        if (next !== ABSENT && Math.max(stage, NONE) !== next) {
          const tally = moves.get(move) ?? moves.set(move, { changes: 0, customers: 0 }).get(move)!;
          tally.changes++;
          if (!movedNow.has(move)) tally.customers++;
          movedNow.add(move);
        }
        stage = next;
        bucket = shown;
      }
      hold(stage, bucket, buckets);
      if (stage === ABSENT) {
        gone++;
        continue;
      }
      const pair = key(initial, stage);
      transitions.set(pair, (transitions.get(pair) ?? 0) + 1);
    }
    return { stages: [...this.names], atEnds: this.runningTotals(diff), ...this.named(transitions, moves), customers: this.profiles.size - gone };
  }

  private runningTotals(diff: Int32Array): number[][] {
    const width = this.names.length;
    const running = new Array<number>(width).fill(0);
    return this.ends.map((_, b) => {
      for (let s = 0; s < width; s++) running[s]! += diff[b * width + s]!;
      return [...running];
    });
  }

  private named(transitions: Map<number, number>, moves: Map<number, { changes: number; customers: number }>) {
    const width = this.names.length;
    const pair = (k: number) => ({ from: this.names[Math.floor(k / width)]!, to: this.names[k % width]! });
    return {
      transitions: [...transitions].map(([k, customers]) => ({ ...pair(k), customers })),
      moves: [...moves].map(([k, tally]) => ({ ...pair(k), ...tally })),
    };
  }
}
