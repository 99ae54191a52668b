/**
 * The global control group as an experiment, with no I/O. The population is
 * the customers journeys asked to contact in the period; the control arm is
 * those the policy held back (a message suppressed with `control_group`),
 * the treated arm the rest whose requests met the draw. Customers are
 * compared as assigned (intention to treat): a treated customer counts
 * whether or not a message then went out. Conversions are the customer's
 * events of one name at or after their first request, valued from the event.
 */
import { orderValue, parseProperties } from './facts.js';
import { addTo, moments } from './stats.js';
import type { ArmTally } from './arms.js';

/**
 * Suppressions the policy decides before the control group's draw (erased,
 * unreachable, no consent): a customer all of whose requests stopped there
 * was never drawn, and could not have been contacted in either arm.
 */
export const BEFORE_THE_DRAW: ReadonlySet<string> = new Set(['profile_gone', 'no_address', 'address_suppressed', 'no_consent', 'consent_denied']);

export interface RequestFact {
  profileId: string;
  purpose: string;
  journeyId: string | null;
  status: string;
  reason: string | null;
  requestedAt: number;
}

export interface ConversionEvent {
  timestamp: number;
  /** Only track events convert: a page or screen may carry the same name. */
  type: string;
  event: string | null;
  properties: string | null;
}

const MET = 1;
const HELD = 2;
const EXCLUDED = -1;
const CONTROL = 0;
const TREATED = 1;

export interface Exclusions {
  /** Every request stopped before the draw. */
  unreachable: number;
  /** The draw puts them in the control group now, yet none of their requests was held back (only purposes that bypass it, or a draw since changed). */
  drawnNotHeld: number;
}

/** Customers in columns (a million fit): first request, what their requests met, then arm, conversion and value. */
export class HoldoutTally {
  private readonly index = new Map<string, number>();
  private readonly firstAt: number[] = [];
  private readonly flags: number[] = [];
  private arms: Int8Array | undefined;
  private converted: Uint8Array | undefined;
  private values: Float64Array | undefined;
  readonly excluded: Exclusions = { unreachable: 0, drawnNotHeld: 0 };

  constructor(
    private readonly conversion: string,
    private readonly valueProperty: string,
    /** Purposes that bypass the control group (transactional): such a request never met the draw. */
    private readonly bypassing: ReadonlySet<string> = new Set(),
  ) {}

  /** A journey's request in the period; the first one that met the draw starts the customer's conversion window. */
  addRequest(m: RequestFact): void {
    let p = this.index.get(m.profileId);
    if (p === undefined) {
      p = this.firstAt.length;
      this.index.set(m.profileId, p);
      this.firstAt.push(Number.POSITIVE_INFINITY);
      this.flags.push(0);
    }
    if (m.status === 'suppressed' && m.reason !== null && BEFORE_THE_DRAW.has(m.reason)) return;
    if (this.bypassing.has(m.purpose)) return;
    this.flags[p]! |= MET;
    if (m.status === 'suppressed' && m.reason === 'control_group') this.flags[p]! |= HELD;
    this.firstAt[p] = Math.min(this.firstAt[p]!, m.requestedAt);
  }

  get requested(): number {
    return this.firstAt.length;
  }

  get held(): number {
    return this.flags.filter((f) => f & HELD).length;
  }

  /** Assigns the arms once the requests are in; `drawnNow` is the policy's current draw, when it has a control group. */
  assign(drawnNow?: (profileId: string) => boolean): void {
    const arms = new Int8Array(this.flags.length);
    for (const [profileId, p] of this.index) {
      const f = this.flags[p]!;
      if (!(f & MET)) {
        arms[p] = EXCLUDED;
        this.excluded.unreachable++;
      } else if (f & HELD) arms[p] = CONTROL;
      else if (drawnNow?.(profileId)) {
        arms[p] = EXCLUDED;
        this.excluded.drawnNotHeld++;
      } else arms[p] = TREATED;
    }
    this.arms = arms;
    this.converted = new Uint8Array(arms.length);
    this.values = new Float64Array(arms.length);
  }

  /** One customer's events in the period (in any order). */
  visit(profileId: string, events: readonly ConversionEvent[]): void {
    if (!this.arms) throw new Error('HoldoutTally.visit before assign');
    const p = this.index.get(profileId);
    if (p === undefined || this.arms[p] === EXCLUDED) return;
    for (const e of events) {
      if (e.type !== 'track' || e.event !== this.conversion || e.timestamp < this.firstAt[p]!) continue;
      this.converted![p] = 1;
      this.values![p]! += orderValue(parseProperties(e.properties), this.valueProperty);
    }
  }

  /** The control arm, then the treated one. */
  tallies(): [ArmTally, ArmTally] {
    if (!this.arms) throw new Error('HoldoutTally.tallies before assign');
    const out: [ArmTally, ArmTally] = [
      { arm: 'control', n: 0, converted: 0, value: 0, moments: moments() },
      { arm: 'treated', n: 0, converted: 0, value: 0, moments: moments() },
    ];
    this.arms.forEach((arm, p) => {
      if (arm === EXCLUDED) return;
      const t = out[arm]!;
      t.n++;
      t.converted += this.converted![p]!;
      t.value += this.values![p]!;
      addTo(t.moments!, this.values![p]!);
    });
    return out;
  }
}
