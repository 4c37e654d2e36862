// SMS campaigns: one template to an audience (a list, customers with a tag, or a CSV), stored as
// queued messages with the campaign's id when it is created. The dispatcher takes a campaign's
// messages only while it runs, and no faster than its throttle (this service is its CampaignGate);
// a timer publishes progress and completes a campaign once nothing of it is queued.
import { randomUUID } from 'node:crypto';
import type { Clock, Logger, Store, Timer } from '../ports.js';
import type { Principal } from '../auth/principal.js';
import type { SmsCampaignRecord, SmsMessageRecord } from '../records.js';
import type { EventHub } from '../events/event-hub.js';
import type { CampaignGate } from './dispatcher.js';
import {
  authorOf,
  prepareBulk,
  type BulkAdmission,
  type BulkRecipient,
  type RecipientError,
} from './bulk.js';
import { DomainError } from '../../domain/errors.js';
import type { SmsType } from '../../domain/sms/index.js';
import { recipientsFromCsv } from '../../domain/sms/csv.js';
import {
  allowance,
  campaignProgress,
  campaignTransition,
  nextTokenAt,
  refill,
  type Bucket,
  type CampaignAction,
  type CampaignProgress,
} from '../../domain/sms/campaign.js';

/** Who a campaign goes to. */
export type Audience =
  | { kind: 'list'; recipients: readonly BulkRecipient[] }
  | { kind: 'tag'; tag: string }
  | { kind: 'csv'; csv: string };

export interface NewCampaign {
  name: string;
  template: string;
  type?: Extract<SmsType, 'marketing' | 'notification'>;
  from?: string;
  encoding?: 'auto' | 'gsm7' | 'ucs2';
  /** Messages per second for this campaign; absent = as fast as the bind allows. */
  throttlePerSec?: number;
  audience: Audience;
  /** Start at once instead of staying a draft. */
  start?: boolean;
  /** The SMS account to bill (users may name one; default: the caller's own). */
  accountId?: string;
}

/** A campaign with its live progress. */
export interface CampaignView extends SmsCampaignRecord {
  progress: CampaignProgress;
}

export interface CampaignOptions {
  defaultCountry: string;
  defaultSender: string;
  /** How often running campaigns' progress is published (and completion checked). */
  progressIntervalMs: number;
}

interface Running {
  perSec: number | null;
  bucket: Bucket;
}

const UNLIMITED = Number.MAX_SAFE_INTEGER;

/** Campaign use cases, and the gate the dispatcher asks which campaigns may send now. */
export class SmsCampaigns implements CampaignGate {
  private readonly running = new Map<string, Running>();
  /** Completed campaigns with messages still awaiting receipts: their progress is still published. */
  private readonly settling = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private readonly lastProgress = new Map<string, string>();
  private ticking: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly timer: Timer,
    private readonly hub: EventHub,
    private readonly log: Logger,
    private readonly options: CampaignOptions,
    private readonly admission?: BulkAdmission,
  ) {}

  /** Called when a campaign may send again (start, resume): the dispatcher wakes on it. */
  onRunnable(fn: () => void): void {
    this.listeners.add(fn);
  }

  /** Picks up the campaigns that were running before a restart. */
  async start(): Promise<void> {
    for (const c of await this.store.smsCampaigns.inStates(['running'])) this.track(c);
    this.arm();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer.clear();
    await this.ticking;
  }

  /** Stores the campaign and all its valid recipients' messages in one transaction. */
  async create(
    actor: Principal,
    input: NewCampaign,
  ): Promise<{ campaign: CampaignView; rejected: RecipientError[] }> {
    const recipients = await this.audience(input.audience);
    const at = new Date(this.clock.now());
    const id = randomUUID();
    const type = input.type ?? 'marketing';
    const prepared = prepareBulk(
      { template: input.template, recipients, type, ...pick(input, 'from', 'encoding') },
      { ...this.options, at, createdBy: authorOf(actor), campaignId: id },
    );
    let { messages, rejected } = prepared;
    // Billed like single sends; marketing to opted-out numbers is suppressed (reported in rejected).
    const screened =
      this.admission && messages.length
        ? await this.admission.screen(actor, input.accountId, prepared)
        : undefined;
    if (screened) ({ messages, rejected } = screened);
    if (messages.length === 0) {
      throw new DomainError('SMS_AUDIENCE_INVALID', 'no recipient of this campaign can be sent to', {
        rejected: rejected.slice(0, 20),
      });
    }
    const campaign: SmsCampaignRecord = {
      id,
      name: input.name,
      template: input.template,
      type,
      sender: input.from ?? this.options.defaultSender,
      encoding: input.encoding ?? 'auto',
      throttlePerSec: input.throttlePerSec ?? null,
      state: input.start ? 'running' : 'draft',
      audience: describe(input.audience),
      total: messages.length,
      rejected: rejected.length,
      createdBy: authorOf(actor),
      createdAt: at,
      updatedAt: at,
      startedAt: input.start ? at : null,
      finishedAt: null,
    };
    await this.store.transaction(async (tx) => {
      const write = async (list: SmsMessageRecord[]) => {
        await tx.smsCampaigns.insert(campaign);
        await tx.sms.insertMany(list);
      };
      if (!screened) return write(messages);
      const charged = await this.admission!.charge(tx, actor, screened, async (list) => {
        campaign.total = list.length;
        campaign.rejected = screened.rejected.length + (screened.messages.length - list.length);
        await write(list);
      });
      ({ messages, rejected } = charged);
    });
    this.log.info(
      { campaign: id, total: messages.length, rejected: rejected.length },
      'sms campaign created',
    );
    if (campaign.state === 'running') this.runnable(campaign);
    return { campaign: { ...campaign, progress: progressOfNew(messages) }, rejected };
  }

  /** start | pause | resume | cancel. */
  async act(
    actor: Principal,
    id: string,
    action: Exclude<CampaignAction, 'complete'>,
  ): Promise<CampaignView> {
    const c = await this.mustGet(id);
    const next = campaignTransition(c.state, action);
    if (!next) {
      throw new DomainError('SMS_CAMPAIGN_STATE_INVALID', `a ${c.state} campaign cannot ${action}`, {
        state: c.state,
      });
    }
    const at = new Date(this.clock.now());
    const patch: Partial<SmsCampaignRecord> = { state: next, updatedAt: at };
    if (action === 'start') patch.startedAt = at;
    if (next === 'cancelled') patch.finishedAt = at;
    // Leaving 'running' first, so the dispatcher takes nothing more of it while we write.
    if (next !== 'running') this.running.delete(id);
    await this.store.transaction(async (tx) => {
      await tx.smsCampaigns.update(id, patch);
      if (next === 'cancelled') await tx.smsCampaigns.cancelQueued(id, at);
    });
    if (next === 'cancelled') await this.refundCancelled(id, at);
    this.log.info({ campaign: id, state: next, by: authorOf(actor) }, 'sms campaign state changed');
    const updated = { ...c, ...patch };
    if (next === 'running') this.runnable(updated);
    const view = await this.view(updated);
    this.publish(view);
    return view;
  }

  async get(id: string): Promise<CampaignView> {
    return this.view(await this.mustGet(id));
  }

  async list(q: { state?: string; limit: number; offset: number }): Promise<SmsCampaignRecord[]> {
    return this.store.smsCampaigns.list(q);
  }

  /** The campaign's messages (its results), oldest first. */
  async messages(
    id: string,
    q: { status?: string; limit: number; offset: number },
  ): Promise<SmsMessageRecord[]> {
    await this.mustGet(id);
    return this.store.smsCampaigns.messages(id, q);
  }

  /** Gives back what the cancelled, never-sent messages of a campaign were charged. */
  private async refundCancelled(id: string, at: Date): Promise<void> {
    if (!this.admission) return;
    let refunded = 0;
    for (let offset = 0; ; offset += 1000) {
      const page = await this.store.smsCampaigns.messages(id, { status: 'cancelled', limit: 1000, offset });
      for (const m of page) {
        if (m.costMinor > 0) {
          refunded += await this.store.transaction((tx) => this.admission!.refund(tx, m.id, at));
        }
      }
      if (page.length < 1000) break;
    }
    if (refunded) this.log.info({ campaign: id, refunded }, 'sms campaign cancel refunded');
  }

  // --- CampaignGate ---

  allowance(nowMs: number): { id: string; limit: number }[] {
    const out: { id: string; limit: number }[] = [];
    for (const [id, r] of this.running) {
      if (r.perSec === null) {
        out.push({ id, limit: UNLIMITED });
        continue;
      }
      r.bucket = refill(r.bucket, r.perSec, nowMs);
      const n = allowance(r.bucket);
      if (n > 0) out.push({ id, limit: n });
    }
    return out;
  }

  took(campaignId: string, n: number): void {
    const r = this.running.get(campaignId);
    if (r && r.perSec !== null) r.bucket = { ...r.bucket, tokens: r.bucket.tokens - n };
  }

  nextWakeAt(nowMs: number): number | undefined {
    let at: number | undefined;
    for (const r of this.running.values()) {
      if (r.perSec === null) continue;
      const t = Math.max(nowMs, nextTokenAt(refill(r.bucket, r.perSec, nowMs), r.perSec));
      if (t > nowMs && (at === undefined || t < at)) at = t;
    }
    return at;
  }

  isRunning(campaignId: string): boolean {
    return this.running.has(campaignId);
  }

  // --- internals ---

  private async audience(a: Audience): Promise<BulkRecipient[]> {
    switch (a.kind) {
      case 'list':
        return [...a.recipients];
      case 'csv':
        try {
          return recipientsFromCsv(a.csv);
        } catch (err) {
          throw new DomainError('SMS_AUDIENCE_INVALID', (err as Error).message);
        }
      case 'tag': {
        const out: BulkRecipient[] = [];
        for (let offset = 0; ; offset += 1000) {
          const page = await this.store.customers.search({ tag: a.tag, limit: 1000, offset });
          for (const c of page) {
            // Blacklisted customers get no campaign; the first number is the customer's main one.
            if (c.blacklisted || !c.phones[0]) continue;
            out.push({ to: c.phones[0], variables: { name: c.name } });
          }
          if (page.length < 1000) return out;
        }
      }
    }
  }

  private async mustGet(id: string): Promise<SmsCampaignRecord> {
    const c = await this.store.smsCampaigns.byId(id);
    if (!c) throw new DomainError('SMS_CAMPAIGN_NOT_FOUND', 'No such campaign.');
    return c;
  }

  private async view(c: SmsCampaignRecord): Promise<CampaignView> {
    return { ...c, progress: campaignProgress(await this.store.smsCampaigns.counts(c.id)) };
  }

  private track(c: SmsCampaignRecord): void {
    const perSec = c.throttlePerSec;
    this.running.set(c.id, { perSec, bucket: { tokens: perSec ? 1 : 0, atMs: this.clock.now() } });
  }

  private runnable(c: SmsCampaignRecord): void {
    this.track(c);
    this.arm();
    for (const fn of this.listeners) fn();
  }

  private arm(): void {
    if (this.stopped || (this.running.size === 0 && this.settling.size === 0)) return;
    this.timer.set(this.clock.now() + this.options.progressIntervalMs, () => {
      this.ticking = this.tick()
        .catch((err: unknown) => this.log.error({ err }, 'sms campaign progress failed'))
        .finally(() => {
          this.ticking = undefined;
          this.arm();
        });
    });
  }

  /** Publishes changed progress of running campaigns; completes those with nothing left queued. */
  private async tick(): Promise<void> {
    for (const [id, tracked] of [...this.running]) {
      const c = await this.store.smsCampaigns.byId(id);
      // Paused and resumed while this read was out: the entry is a new one, not ours to judge.
      if (this.running.get(id) !== tracked) continue;
      if (!c || c.state !== 'running') {
        this.running.delete(id);
        continue;
      }
      let view = await this.view(c);
      // Messages still waiting: the dispatcher takes another look. Its wakes come from events (a
      // send, a freed slot, a resume), and a wake lost in a race between them (a pause and resume
      // while a batch was in flight) would otherwise leave them queued until the next event.
      if (view.progress.queued > 0) for (const fn of this.listeners) fn();
      if (view.progress.queued === 0) {
        const at = new Date(this.clock.now());
        await this.store.smsCampaigns.update(id, { state: 'completed', finishedAt: at, updatedAt: at });
        this.running.delete(id);
        view = { ...view, state: 'completed', finishedAt: at, updatedAt: at };
        this.log.info({ campaign: id }, 'sms campaign completed');
        if (view.progress.submitted > 0) this.settling.add(id);
      }
      this.publish(view);
    }
    // Receipts keep arriving after the last message left: live progress follows them to the end.
    for (const id of [...this.settling]) {
      const c = await this.store.smsCampaigns.byId(id);
      const view = c && (await this.view(c));
      if (!view || view.progress.submitted === 0) this.settling.delete(id);
      if (view) this.publish(view);
    }
  }

  private publish(v: CampaignView): void {
    const key = `${v.state}:${JSON.stringify(v.progress)}`;
    if (this.lastProgress.get(v.id) === key) return;
    this.lastProgress.set(v.id, key);
    if ((v.state === 'completed' && !this.settling.has(v.id)) || v.state === 'cancelled') {
      this.lastProgress.delete(v.id);
    }
    this.hub.publish(
      'sms.campaign.progress',
      { id: v.id, name: v.name, state: v.state, progress: v.progress },
      { staff: true },
      this.clock.now(),
    );
  }
}

function pick<T extends object, K extends keyof T>(o: T, ...keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/** What is kept of the audience on the campaign: its kind and tag, not the whole list. */
function describe(a: Audience): Record<string, unknown> {
  return a.kind === 'tag' ? { kind: 'tag', tag: a.tag } : { kind: a.kind };
}

function progressOfNew(messages: readonly SmsMessageRecord[]): CampaignProgress {
  return campaignProgress({ queued: messages.length });
}
