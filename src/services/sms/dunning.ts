/**
 * Dunning notices for utilities: plans (rules and the account that pays), arrears imported by CSV
 * or API, a preview of who gets what, and runs that send through the ordinary outbox as
 * notifications billed to the plan's account. The rules are pure (domain/sms/dunning.ts); a run
 * recomputes exactly what the preview shows at that moment.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, Logger, Store } from '../ports.js';
import type { Actor, Principal } from '../auth/principal.js';
import type { SmsMessageRecord } from '../records.js';
import type { SmsOutbox } from './outbox.js';
import type { SmsBilling } from './billing.js';
import type { SmsSchedule } from './schedule.js';
import type { SmsOptOuts } from './opt-outs.js';
import type {
  DunningDebtorRecord,
  DunningNoticeRecord,
  DunningPlanRecord,
  DunningRunRecord,
  DunningStore,
} from './dunning-ports.js';
import { DomainError } from '../../domain/errors.js';
import { countSegments, MAX_SEGMENTS } from '../../domain/sms/index.js';
import { costOf, priceFor } from '../../domain/sms/pricing.js';
import { templateVariables } from '../../domain/sms/template.js';
import { windowMinute } from '../../domain/sms/send-window.js';
import {
  decideNotice,
  renderNotice,
  unknownVariables,
  type DunningRules,
  type DunningSkipReason,
  type UtilityType,
} from '../../domain/sms/dunning.js';
import {
  arrearsFromCsv,
  validateArrears,
  type ArrearsProblem,
  type RawArrears,
} from '../../domain/sms/dunning-import.js';

/** What a plan is made of (create and update). */
export interface DunningPlanInput {
  name: string;
  accountId: string;
  currency?: string;
  thresholdMinor: number;
  stages: string[];
  maxPerPeriod: number;
  periodDays: number;
  minIntervalHours: number;
  window?: { from: string; to: string } | null;
  from?: string | null;
}

/** A plan as the API shows it. */
export interface DunningPlanView extends Omit<DunningPlanRecord, 'windowFrom' | 'windowTo'> {
  window: { from: string; to: string } | null;
}

export interface ImportResult {
  accepted: number;
  created: number;
  updated: number;
  /** Rows with amount 0 that settled an open debt. */
  settled: number;
  /** Rows that re-opened a paid debt (its notices start again at level 1). */
  reopened: number;
  rejected: ArrearsProblem[];
  warnings: ArrearsProblem[];
}

/** One notice the preview (or run) will send. */
export interface PlannedNotice {
  debtorId: string;
  reference: string;
  name: string;
  phone: string;
  level: number;
  /** The debt the notice is about, minor units. */
  amountMinor: number;
  text: string;
  encoding: 'gsm7' | 'ucs2';
  segments: number;
  cost: number;
  /** Now, or the opening of the allowed hours in the recipient's zone. */
  sendAt: Date;
  deferred: boolean;
}

export interface SkippedDebtor {
  debtorId: string;
  reference: string;
  reason: DunningSkipReason;
  /** When a notice would be allowed again (interval and max-per-period). */
  retryAt: Date | null;
}

export interface DunningPreview {
  planId: string;
  at: Date;
  accountId: string;
  currency: string;
  notices: PlannedNotice[];
  skipped: SkippedDebtor[];
  totals: {
    notices: number;
    segments: number;
    cost: number;
    skipped: Partial<Record<DunningSkipReason, number>>;
  };
}

/** A notice the outbox refused (balance, quota …): the debtor is not counted as noticed. */
export interface RefusedNotice {
  debtorId: string;
  reference: string;
  code: string;
  message: string;
}

export interface DunningRunResult extends DunningPreview {
  runId: string;
  /** The outbox messages, one per sent notice, in the order of `notices`. */
  messageIds: string[];
  refused: RefusedNotice[];
}

export interface DebtorHistory extends DunningDebtorRecord {
  notices: (DunningNoticeRecord & { status: string | null })[];
}

export interface DunningOptions {
  defaultCountry: string;
}

const authorOf = (a: Actor): string =>
  a.kind === 'user' ? a.username : a.kind === 'api_key' ? `api-key:${a.name}` : 'system';

export class SmsDunning {
  /** One run per plan at a time in this process. */
  private readonly runningPlans = new Map<string, Promise<unknown>>();

  constructor(
    private readonly dunning: DunningStore,
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly deps: {
      outbox: SmsOutbox;
      billing: SmsBilling;
      schedule: SmsSchedule;
      optOuts: SmsOptOuts;
    },
    private readonly log: Logger,
    private readonly options: DunningOptions,
  ) {}

  // --- plans ---

  async createPlan(actor: Principal, input: DunningPlanInput): Promise<DunningPlanView> {
    const account = await this.checkPlan(input);
    if (await this.dunning.planByName(input.name)) {
      throw new DomainError('SMS_DUNNING_PLAN_TAKEN', 'A dunning plan with this name exists.', {
        name: input.name,
      });
    }
    const at = new Date(this.clock.now());
    const plan: DunningPlanRecord = {
      id: randomUUID(),
      name: input.name,
      accountId: account.id,
      currency: (input.currency ?? account.currency).toUpperCase(),
      thresholdMinor: input.thresholdMinor,
      stages: input.stages,
      maxPerPeriod: input.maxPerPeriod,
      periodDays: input.periodDays,
      minIntervalHours: input.minIntervalHours,
      windowFrom: input.window?.from ?? null,
      windowTo: input.window?.to ?? null,
      sender: input.from ?? null,
      createdBy: authorOf(actor),
      createdAt: at,
      updatedAt: at,
    };
    await this.dunning.insertPlan(plan);
    return view(plan);
  }

  async updatePlan(id: string, input: DunningPlanInput): Promise<DunningPlanView> {
    const plan = await this.mustPlan(id);
    const account = await this.checkPlan(input);
    const other = await this.dunning.planByName(input.name);
    if (other && other.id !== id) {
      throw new DomainError('SMS_DUNNING_PLAN_TAKEN', 'A dunning plan with this name exists.', {
        name: input.name,
      });
    }
    const patch = {
      name: input.name,
      accountId: account.id,
      currency: (input.currency ?? plan.currency).toUpperCase(),
      thresholdMinor: input.thresholdMinor,
      stages: input.stages,
      maxPerPeriod: input.maxPerPeriod,
      periodDays: input.periodDays,
      minIntervalHours: input.minIntervalHours,
      windowFrom: input.window?.from ?? null,
      windowTo: input.window?.to ?? null,
      sender: input.from ?? null,
      updatedAt: new Date(this.clock.now()),
    };
    await this.dunning.updatePlan(id, patch);
    return view({ ...plan, ...patch });
  }

  async plan(id: string): Promise<DunningPlanView> {
    return view(await this.mustPlan(id));
  }

  async plans(): Promise<DunningPlanView[]> {
    return (await this.dunning.plans()).map(view);
  }

  // --- arrears ---

  /** Imports rows given as JSON (line = 1-based position) or CSV text (line = line in the file). */
  async importArrears(
    planId: string,
    input: { rows: RawArrears[] } | { csv: string },
  ): Promise<ImportResult> {
    const plan = await this.mustPlan(planId);
    let raw: { line: number; raw: RawArrears }[];
    if ('csv' in input) {
      try {
        raw = arrearsFromCsv(input.csv);
      } catch (err) {
        throw new DomainError('SMS_DUNNING_IMPORT_INVALID', (err as Error).message);
      }
    } else raw = input.rows.map((r, i) => ({ line: i + 1, raw: r }));
    const checked = validateArrears(raw, {
      currency: plan.currency,
      defaultCountry: this.options.defaultCountry,
    });
    const result: ImportResult = {
      accepted: checked.rows.length,
      created: 0,
      updated: 0,
      settled: 0,
      reopened: 0,
      rejected: checked.rejected,
      warnings: checked.warnings,
    };
    if (checked.rows.length === 0) return result;
    const at = new Date(this.clock.now());
    await this.dunning.transaction(async (tx) => {
      const existing = new Map(
        (
          await tx.debtorsByReference(
            planId,
            checked.rows.map((r) => r.reference),
          )
        ).map((d) => [d.reference, d]),
      );
      const save: DunningDebtorRecord[] = checked.rows.map((r) => {
        const prior = existing.get(r.reference);
        const owes = r.amountMinor > 0;
        if (prior) result.updated++;
        else result.created++;
        let status: 'open' | 'paid' = owes ? 'open' : 'paid';
        let openedAt = prior?.openedAt ?? at;
        let paidAt = prior?.paidAt ?? null;
        if (prior?.status === 'open' && !owes) {
          result.settled++;
          paidAt = at;
        } else if (prior?.status === 'paid' && owes) {
          result.reopened++;
          openedAt = at;
          paidAt = null;
        } else if (prior?.status === 'paid') status = 'paid';
        if (!prior && !owes) paidAt = at;
        return {
          id: prior?.id ?? randomUUID(),
          planId,
          reference: r.reference,
          phone: r.phone,
          e164: r.e164,
          name: r.name,
          amountMinor: r.amountMinor,
          currency: r.currency,
          dueDate: r.dueDate,
          utility: r.utility,
          status,
          openedAt,
          paidAt,
          updatedAt: at,
        };
      });
      await tx.saveDebtors(save);
    });
    this.log.info(
      { plan: planId, accepted: result.accepted, rejected: result.rejected.length },
      'dunning arrears imported',
    );
    return result;
  }

  async debtors(
    planId: string,
    q: { status?: 'open' | 'paid'; limit: number; offset: number },
  ): Promise<DunningDebtorRecord[]> {
    await this.mustPlan(planId);
    return this.dunning.debtors(planId, q);
  }

  /** A debtor with every notice it got and how each message went. */
  async history(debtorId: string): Promise<DebtorHistory> {
    const d = await this.mustDebtor(debtorId);
    const notices = await this.dunning.noticesOf([d.id]);
    const withStatus = await Promise.all(
      notices.map(async (n) => ({ ...n, status: (await this.store.sms.byId(n.messageId))?.status ?? null })),
    );
    return { ...d, notices: withStatus };
  }

  /**
   * Marks a debt paid: no further notice, and a notice still waiting in the outbox (deferred to
   * the allowed hours) is cancelled and refunded.
   */
  async markPaid(actor: Principal, debtorId: string): Promise<DebtorHistory & { cancelled: number }> {
    const d = await this.mustDebtor(debtorId);
    const at = new Date(this.clock.now());
    if (d.status !== 'paid') {
      await this.dunning.saveDebtors([{ ...d, status: 'paid', paidAt: at, updatedAt: at }]);
    }
    let cancelled = 0;
    for (const n of await this.dunning.noticesOf([d.id])) {
      const m = await this.store.sms.byId(n.messageId);
      if (m?.status !== 'queued') continue;
      try {
        await this.deps.schedule.cancel(actor, m.id);
        cancelled++;
      } catch (err) {
        // Already being submitted: it goes; nothing else to do.
        if (!(err instanceof DomainError)) throw err;
      }
    }
    return { ...(await this.history(debtorId)), cancelled };
  }

  runs(planId: string, q: { limit: number; offset: number }): Promise<DunningRunRecord[]> {
    return this.dunning.runs(planId, q);
  }

  // --- preview and run ---

  /** Who would get which notice now, and who not and why; nothing is stored. */
  async preview(planId: string): Promise<DunningPreview> {
    const plan = await this.mustPlan(planId);
    return (await this.compute(plan)).preview;
  }

  /**
   * Sends what the preview shows at this moment: each notice through the outbox (type
   * notification, billed to the plan's account, held to the allowed hours), recorded in the
   * debtor's history. A notice the outbox refuses (balance, quota) is reported in `refused`.
   */
  async run(actor: Principal, planId: string): Promise<DunningRunResult> {
    const prior = this.runningPlans.get(planId) ?? Promise.resolve();
    const mine = prior.catch(() => undefined).then(() => this.runNow(actor, planId));
    this.runningPlans.set(planId, mine);
    try {
      return await mine;
    } finally {
      if (this.runningPlans.get(planId) === mine) this.runningPlans.delete(planId);
    }
  }

  private async runNow(actor: Principal, planId: string): Promise<DunningRunResult> {
    const plan = await this.mustPlan(planId);
    // An API key may only run plans billed to its own account (AUTH_FORBIDDEN otherwise).
    await this.deps.billing.accountFor(actor, plan.accountId);
    const { preview, counts } = await this.compute(plan);
    const runId = randomUUID();
    const by = authorOf(actor);
    await this.dunning.insertRun({ id: runId, planId, at: preview.at, by, summary: { state: 'running' } });
    const messageIds: string[] = [];
    const refused: RefusedNotice[] = [];
    const sent: PlannedNotice[] = [];
    for (const n of preview.notices) {
      let message: SmsMessageRecord;
      try {
        ({ message } = await this.deps.outbox.send(actor, {
          to: n.phone,
          body: n.text,
          type: 'notification',
          accountId: plan.accountId,
          ...(plan.sender ? { from: plan.sender } : {}),
          ...(n.deferred ? { sendAt: n.sendAt } : {}),
          // The debtor's n-th notice: a run that died between the outbox and the history
          // finds its message again instead of sending a second one.
          idempotencyKey: `dunning:${n.debtorId}:${counts.get(n.debtorId)! + 1}`,
          campaignId: runId,
        }));
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        refused.push({ debtorId: n.debtorId, reference: n.reference, code: err.code, message: err.message });
        continue;
      }
      await this.dunning.insertNotice({
        id: randomUUID(),
        debtorId: n.debtorId,
        runId,
        level: n.level,
        at: message.sendAt ?? n.sendAt,
        messageId: message.id,
        amountMinor: n.amountMinor,
        body: message.body,
      });
      messageIds.push(message.id);
      sent.push(n);
    }
    const summary = {
      state: 'done',
      notices: sent.length,
      segments: sent.reduce((s, n) => s + n.segments, 0),
      cost: sent.reduce((s, n) => s + n.cost, 0),
      skipped: preview.totals.skipped,
      refused: refused.length,
    };
    await this.dunning.updateRun(runId, summary);
    this.log.info(
      { plan: planId, run: runId, notices: sent.length, refused: refused.length },
      'dunning run done',
    );
    return { ...preview, runId, messageIds, refused };
  }

  private async compute(
    plan: DunningPlanRecord,
  ): Promise<{ preview: DunningPreview; counts: Map<string, number> }> {
    const now = this.clock.now();
    const account = await this.store.smsBilling.accountById(plan.accountId);
    if (!account) throw new DomainError('SMS_ACCOUNT_NOT_FOUND', "The plan's SMS account no longer exists.");
    const prices = await this.store.smsBilling.prices();
    const debtors = await this.dunning.planDebtors(plan.id);
    const open = debtors.filter((d) => d.status === 'open');
    const notices = await this.dunning.noticesOf(open.map((d) => d.id));
    const times = new Map<string, number[]>();
    for (const n of notices) {
      const list = times.get(n.debtorId) ?? [];
      list.push(n.at.getTime());
      times.set(n.debtorId, list);
    }
    const rules = rulesOf(plan);
    const out: DunningPreview = {
      planId: plan.id,
      at: new Date(now),
      accountId: plan.accountId,
      currency: plan.currency,
      notices: [],
      skipped: [],
      totals: { notices: 0, segments: 0, cost: 0, skipped: {} },
    };
    const optedOut = await this.deps.optOuts.among(open.flatMap((d) => (d.e164 ? [d.e164] : [])));
    const counts = new Map<string, number>();
    const skip = (d: DunningDebtorRecord, reason: DunningSkipReason, retryAt?: number) => {
      out.skipped.push({
        debtorId: d.id,
        reference: d.reference,
        reason,
        retryAt: retryAt ? new Date(retryAt) : null,
      });
      out.totals.skipped[reason] = (out.totals.skipped[reason] ?? 0) + 1;
    };
    for (const d of debtors) {
      const noticeTimes = times.get(d.id) ?? [];
      counts.set(d.id, noticeTimes.length);
      const decision = decideNotice({
        debtor: {
          status: d.status,
          amountMinor: d.amountMinor,
          e164: d.e164,
          openedAt: d.openedAt.getTime(),
        },
        rules,
        noticeTimes,
        optedOut: d.e164 !== null && optedOut.has(d.e164),
        zone: d.e164 ? this.deps.schedule.zoneOf(d.e164) : 'UTC',
        now,
      });
      if (decision.kind === 'skip') {
        skip(d, decision.reason, decision.retryAt);
        continue;
      }
      const text = renderNotice(decision.template, d, decision.level, now);
      const count = countSegments(text, 'auto');
      const price = priceFor(prices, d.e164!);
      if (!price && account.billing !== 'unbilled') {
        skip(d, 'not_priced');
        continue;
      }
      const cost = price && count.segments <= MAX_SEGMENTS ? costOf(count.segments, price.perSegment) : 0;
      out.notices.push({
        debtorId: d.id,
        reference: d.reference,
        name: d.name,
        phone: d.e164!,
        level: decision.level,
        amountMinor: d.amountMinor,
        text,
        encoding: count.encoding,
        segments: count.segments,
        cost,
        sendAt: new Date(decision.sendAt),
        deferred: decision.sendAt > now,
      });
      out.totals.notices++;
      out.totals.segments += count.segments;
      out.totals.cost += cost;
    }
    return { preview: out, counts };
  }

  private async checkPlan(input: DunningPlanInput) {
    const account = await this.store.smsBilling.accountById(input.accountId);
    if (!account) throw new DomainError('SMS_ACCOUNT_NOT_FOUND', 'No such SMS account.');
    const problems: string[] = [];
    if (input.stages.length === 0) problems.push('at least one stage template is needed');
    input.stages.forEach((s, i) => {
      const unknown = unknownVariables(templateVariables(s));
      if (unknown.length) problems.push(`stage ${i + 1} uses unknown variable(s) ${unknown.join(', ')}`);
    });
    if (input.window) {
      try {
        windowMinute(input.window.from);
        windowMinute(input.window.to);
      } catch (err) {
        problems.push((err as Error).message);
      }
    }
    if (problems.length) {
      throw new DomainError('VALIDATION_FAILED', problems.join('; '), { problems });
    }
    return account;
  }

  private async mustPlan(id: string): Promise<DunningPlanRecord> {
    const p = await this.dunning.planById(id);
    if (!p) throw new DomainError('SMS_DUNNING_PLAN_NOT_FOUND', 'No such dunning plan.');
    return p;
  }

  private async mustDebtor(id: string): Promise<DunningDebtorRecord> {
    const d = await this.dunning.debtorById(id);
    if (!d) throw new DomainError('SMS_DUNNING_DEBTOR_NOT_FOUND', 'No such debtor.');
    return d;
  }
}

function rulesOf(p: DunningPlanRecord): DunningRules {
  return {
    thresholdMinor: p.thresholdMinor,
    stages: p.stages,
    maxPerPeriod: p.maxPerPeriod,
    periodDays: p.periodDays,
    minIntervalHours: p.minIntervalHours,
    window: p.windowFrom && p.windowTo ? { from: p.windowFrom, to: p.windowTo } : null,
  };
}

function view(p: DunningPlanRecord): DunningPlanView {
  const { windowFrom, windowTo, ...rest } = p;
  return { ...rest, window: windowFrom && windowTo ? { from: windowFrom, to: windowTo } : null };
}

export type { UtilityType };
