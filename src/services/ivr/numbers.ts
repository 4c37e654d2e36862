/**
 * Dialed numbers (DNIS) and the flow each one runs, with overrides by business hours (a night or
 * holiday flow). `chooseFlow` is what an inbound call asks: which published flow answers this
 * number now — the domain's selectFlow over the stored bindings.
 */
import { randomUUID } from 'node:crypto';
import { businessHoursProblems } from '../../domain/calendar/business-hours.js';
import { DomainError } from '../../domain/errors.js';
import { normaliseDnis, selectFlow, type Flow, type FlowOverride } from '../../domain/ivr/index.js';
import type { AuditTrail } from '../audit.js';
import type { Principal } from '../auth/principal.js';
import type { Clock, Store } from '../ports.js';
import type { IvrFlowLibrary } from './flow-library.js';
import type { IvrNumberRecord } from './ports.js';

/** What an admin sends for a number. */
export interface IvrNumberInput {
  dnis: string;
  flowId: string;
  overrides?: FlowOverride[];
  description?: string | null;
}

const DNIS = /^\+?\d{1,20}$/;

/** '*' or the number's digits with an optional leading '+'; anything else is refused. */
function cleanDnis(raw: string): string {
  if (raw.trim() === '*') return '*';
  const dnis = normaliseDnis(raw);
  if (!DNIS.test(dnis)) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'A dialed number is 1-20 digits with an optional leading +, or "*".',
      {
        path: '/dnis',
      },
    );
  }
  return dnis;
}

/** The number → flow table and the choice of a flow for a call. */
export class IvrNumbers {
  /** The table as last read, for choosing a flow per call without a query; dropped on every change. */
  private cached: Promise<IvrNumberRecord[]> | null = null;
  private generation = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
    private readonly flows: IvrFlowLibrary,
  ) {}

  async create(actor: Principal, input: IvrNumberInput): Promise<IvrNumberRecord> {
    const record: IvrNumberRecord = {
      id: randomUUID(),
      dnis: cleanDnis(input.dnis),
      flowId: input.flowId,
      overrides: input.overrides ?? [],
      description: input.description ?? null,
      createdAt: new Date(this.clock.now()),
    };
    await this.check(record);
    await this.changing(async (tx) => {
      await tx.ivrNumbers.insert(record);
      await this.audit.record(
        tx,
        actor,
        'ivr_number.create',
        { type: 'ivr_number', id: record.id },
        {
          flowId: record.flowId,
          overrides: record.overrides.length,
        },
      );
    });
    return record;
  }

  /** Replaces the binding's number, flow, overrides and description. */
  async update(actor: Principal, id: string, input: IvrNumberInput): Promise<IvrNumberRecord> {
    const current = await this.get(id);
    const record: IvrNumberRecord = {
      ...current,
      dnis: cleanDnis(input.dnis),
      flowId: input.flowId,
      overrides: input.overrides ?? [],
      description: input.description ?? null,
    };
    await this.check(record);
    await this.changing(async (tx) => {
      const { id: _id, createdAt: _c, ...patch } = record;
      await tx.ivrNumbers.update(id, patch);
      await this.audit.record(
        tx,
        actor,
        'ivr_number.update',
        { type: 'ivr_number', id },
        {
          flowId: record.flowId,
          overrides: record.overrides.length,
        },
      );
    });
    return record;
  }

  async remove(actor: Principal, id: string): Promise<void> {
    await this.changing(async (tx) => {
      if (!(await tx.ivrNumbers.delete(id))) throw new DomainError('IVR_NUMBER_NOT_FOUND', 'No such number.');
      await this.audit.record(tx, actor, 'ivr_number.delete', { type: 'ivr_number', id });
    });
  }

  async get(id: string): Promise<IvrNumberRecord> {
    const n = await this.store.ivrNumbers.byId(id);
    if (!n) throw new DomainError('IVR_NUMBER_NOT_FOUND', 'No such number.');
    return n;
  }

  list(): Promise<IvrNumberRecord[]> {
    return this.store.ivrNumbers.list();
  }

  /**
   * The published flow that answers `dnis` at `now`, or null when no binding (nor "*") matches or
   * the chosen flow has nothing published — the caller then gets the configured fallback flow.
   */
  async chooseFlow(dnis: string, now: number): Promise<{ flowId: string; flow: Flow } | null> {
    const flowId = selectFlow(await this.bindings(), dnis, now);
    if (flowId === undefined) return null;
    const flow = await this.flows.runnable(flowId);
    return flow ? { flowId, flow } : null;
  }

  private bindings(): Promise<IvrNumberRecord[]> {
    if (this.cached) return this.cached;
    const generation = this.generation;
    const read = this.store.ivrNumbers.list();
    this.cached = read;
    // A change while the read was in flight (or a failed read) must not leave the old table cached.
    read.then(
      () => {
        if (this.generation !== generation && this.cached === read) this.cached = null;
      },
      () => {
        if (this.cached === read) this.cached = null;
      },
    );
    return read;
  }

  /** A write to the table in a transaction; the cached table is dropped once it has committed (or failed). */
  private async changing(fn: (tx: Store) => Promise<void>): Promise<void> {
    try {
      await this.store.transaction(fn);
    } finally {
      this.generation++;
      this.cached = null;
    }
  }

  private async check(n: IvrNumberRecord): Promise<void> {
    const taken = await this.store.ivrNumbers.byDnis(n.dnis);
    if (taken && taken.id !== n.id) {
      throw new DomainError('IVR_NUMBER_TAKEN', `The number ${n.dnis} already has a flow.`, {
        path: '/dnis',
      });
    }
    await this.usableFlow(n.flowId, '/flowId');
    for (const [i, o] of n.overrides.entries()) {
      const problems = businessHoursProblems(o.hours);
      if (problems.length > 0) {
        throw new DomainError('VALIDATION_FAILED', `hours: ${problems.join('; ')}`, {
          path: `/overrides/${i}/hours`,
        });
      }
      await this.usableFlow(o.flowId, `/overrides/${i}/flowId`);
    }
  }

  private async usableFlow(id: string, path: string): Promise<void> {
    const f = await this.store.ivrFlows.byId(id);
    if (!f || f.archivedAt !== null) {
      throw new DomainError('IVR_FLOW_NOT_FOUND', `No such IVR flow: ${id}.`, { path });
    }
  }
}
