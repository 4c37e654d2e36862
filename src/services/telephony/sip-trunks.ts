/**
 * The SIP trunks: those of the configuration file (sip.trunks, read-only here) and those admins
 * add in the console (stored). Calls read the current set from memory — the inbound admission,
 * the outbound dialer, the OPTIONS pings and the registrations all follow `onChange`, so an edit
 * applies without a restart. Names are unique across both kinds: a console trunk never shadows a
 * configuration trunk, nor the reverse.
 */
import { DomainError } from '../../domain/errors.js';
import type { AuditTrail } from '../audit.js';
import type { Actor } from '../auth/principal.js';
import type { Clock, Logger, Store } from '../ports.js';
import {
  TRUNK_CALLER_ID,
  TRUNK_DID,
  TRUNK_NAME,
  proxyProblem,
  sourceProblem,
  validDomain,
} from './trunk-rules.js';

/** A trunk as calls use it. */
export interface SipTrunk {
  name: string;
  /** Addresses or CIDR ranges whose INVITEs are admitted without authentication. */
  sources: string[];
  /** Numbers (DIDs) these sources may call; '*' for any. */
  dids: string[];
  /** The carrier's proxy, host[:port]; null for an inbound-only trunk. */
  outboundProxy: string | null;
  transport: 'udp' | 'tcp';
  /** The carrier's SIP domain; null for the proxy's host. */
  domain: string | null;
  username: string | null;
  password: string | null;
  /** Register with the proxy every so many seconds; 0 for trust by address only. */
  registerExpires: number;
  /** The number sent on calls out through this trunk; null for voice.callerId. */
  callerId: string | null;
}

/** A console trunk as stored. */
export interface SipTrunkRecord extends SipTrunk {
  createdAt: Date;
  updatedAt: Date;
}

/** The stored console trunks. */
export interface SipTrunkRepo {
  /** By name. */
  list(): Promise<SipTrunkRecord[]>;
  byName(name: string): Promise<SipTrunkRecord | undefined>;
  insert(t: SipTrunkRecord): Promise<void>;
  update(name: string, patch: Omit<SipTrunkRecord, 'name' | 'createdAt'>): Promise<void>;
  delete(name: string): Promise<boolean>;
  /** The trunk an admin chose for calls out; null when the configuration decides. */
  outboundChoice(): Promise<string | null>;
  /** Sets the choice, or with null clears it. */
  chooseOutbound(name: string | null, at: Date): Promise<void>;
}

/**
 * Which trunk carries calls out, and why. The rule: the console's choice when an admin made one,
 * else the configuration's voice.outboundTrunk, else the first trunk with an outbound proxy.
 */
export interface OutboundTrunkView {
  /** The trunk calls go out through now; null when no trunk can place calls. */
  inForce: string | null;
  /** Why that one: 'console' chosen here, 'config' voice.outboundTrunk, 'first' the first with a proxy. */
  source: 'console' | 'config' | 'first' | null;
  /** The admin's choice; null when none (the configuration decides). */
  chosen: string | null;
  /** voice.outboundTrunk of the configuration file; null when unset. */
  configured: string | null;
  /** Set when the choice names a trunk that no longer exists or cannot place calls (it is skipped). */
  problem: string | null;
}

/** What an admin sends. On update, an absent password keeps the stored one and null clears it. */
export interface SipTrunkInput {
  name?: string;
  sources: string[];
  dids: string[];
  outboundProxy?: string | null;
  transport?: 'udp' | 'tcp';
  domain?: string | null;
  username?: string | null;
  password?: string | null;
  registerExpires?: number;
  callerId?: string | null;
}

/** Where a trunk stands on the wire, as the pings and registrations last saw it. */
export interface TrunkHealth {
  /** Null until pinged (or when it has no outbound proxy, or pings are off). */
  reachable: boolean | null;
  detail: string | null;
  registration: 'idle' | 'registered' | 'failed' | null;
}

/** A trunk as admins see it: never its password. */
export interface SipTrunkView extends Omit<SipTrunk, 'password'> {
  /** 'config': from sip.trunks, change it in the file; 'console': added over the API. */
  origin: 'config' | 'console';
  passwordSet: boolean;
  /** False for a console trunk whose name a configuration trunk took since (see `problem`). */
  active: boolean;
  /** Whether calls out go through this trunk now (see OutboundTrunkView for the rule). */
  outbound: boolean;
  problem: string | null;
  health: TrunkHealth;
  createdAt: Date | null;
  updatedAt: Date | null;
}

const NO_HEALTH: TrunkHealth = { reachable: null, detail: null, registration: null };

function invalid(path: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', message, { path });
}

/** The trunk set, its validation and its changes. */
export class SipTrunks {
  private stored: SipTrunkRecord[] = [];
  /** The console's outbound choice (a trunk name), null when the configuration decides. */
  private chosen: string | null = null;
  private readonly listeners = new Set<(trunks: readonly SipTrunk[]) => void>();
  /** Set by the voice side while SIP runs: each trunk's pings and registration. */
  health: ((name: string) => TrunkHealth) | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
    private readonly configured: readonly SipTrunk[],
    private readonly log: Logger,
    /** voice.outboundTrunk: the trunk calls go out through; null for the first with a proxy. */
    private readonly outboundName: string | null = null,
    /** voice.callerId: what calls out send when their trunk has no caller ID of its own. */
    private readonly defaultCallerId: string | null = null,
  ) {}

  /** Reads the console trunks; call once at start, before voice starts. */
  async load(): Promise<void> {
    this.stored = await this.store.sipTrunks.list();
    this.chosen = await this.store.sipTrunks.outboundChoice();
    const problem = this.outboundState().problem;
    if (problem !== null) this.log.error({ trunk: this.chosen }, problem);
    for (const t of this.stored) {
      if (this.fromConfig(t.name)) {
        this.log.error(
          { trunk: t.name },
          'a console trunk has the name of a configuration trunk: the configuration one is used; rename or delete one of them',
        );
      }
    }
  }

  /** Every trunk calls use now: the configuration's first, then the console's by name. */
  current(): SipTrunk[] {
    return [...this.configured, ...this.stored.filter((t) => !this.fromConfig(t.name))];
  }

  /**
   * The trunk calls go out through: the console's choice, else voice.outboundTrunk, else the first
   * with an outbound proxy. Read at each call out (the dialer follows `onChange`).
   */
  outbound(): SipTrunk | null {
    const { inForce } = this.outboundState();
    return inForce === null ? null : (this.current().find((t) => t.name === inForce) ?? null);
  }

  /** Which trunk carries calls out, and why (the rule of `outbound`). */
  outboundState(): OutboundTrunkView {
    const trunks = this.current();
    const base = { chosen: this.chosen, configured: this.outboundName };
    let problem: string | null = null;
    if (this.chosen !== null) {
      const t = trunks.find((x) => x.name === this.chosen);
      if (t?.outboundProxy != null) return { ...base, inForce: t.name, source: 'console', problem };
      problem =
        t === undefined
          ? `The outbound trunk chosen in the console, "${this.chosen}", no longer exists: the configuration's choice is used.`
          : `The outbound trunk chosen in the console, "${this.chosen}", has no outbound proxy: the configuration's choice is used.`;
    }
    if (this.outboundName !== null) {
      const t = trunks.find((x) => x.name === this.outboundName);
      return { ...base, inForce: t?.name ?? null, source: t ? 'config' : null, problem };
    }
    const first = trunks.find((x) => x.outboundProxy !== null);
    return { ...base, inForce: first?.name ?? null, source: first ? 'first' : null, problem };
  }

  /**
   * Chooses the trunk calls go out through (a console or a configuration trunk), or with null
   * returns the choice to the configuration. Applies to the next call out; audited as
   * `sip_trunk.outbound`.
   */
  async chooseOutbound(actor: Actor, name: string | null): Promise<OutboundTrunkView> {
    const wanted = name?.trim() || null;
    if (wanted !== null) {
      const t = this.current().find((x) => x.name === wanted);
      if (!t) {
        throw new DomainError('TRUNK_NOT_FOUND', `No SIP trunk named "${wanted}".`, { path: '/trunk' });
      }
      this.checkOutbound(t, '/trunk');
    }
    const previous = this.outboundState().inForce;
    await this.changing(async (tx) => {
      await tx.sipTrunks.chooseOutbound(wanted, new Date(this.clock.now()));
      await this.audit.record(
        tx,
        actor,
        'sip_trunk.outbound',
        wanted === null && previous === null ? null : { type: 'sip_trunk', id: wanted ?? previous ?? '' },
        { chosen: wanted, previous },
      );
    });
    return this.outboundState();
  }

  /** Calls `fn` with the new set after every change; returns the unsubscribe. */
  onChange(fn: (trunks: readonly SipTrunk[]) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Every trunk, configuration ones first. */
  list(): SipTrunkView[] {
    const outbound = this.outboundState().inForce;
    return [
      ...this.configured.map((t) => this.view(t, 'config', null, outbound)),
      ...this.stored.map((t) => this.view(t, 'console', t, outbound)),
    ];
  }

  get(name: string): SipTrunkView {
    const found = this.list().find((t) => t.name === name);
    if (!found) throw new DomainError('TRUNK_NOT_FOUND', `No SIP trunk named "${name}".`);
    return found;
  }

  async create(actor: Actor, input: SipTrunkInput): Promise<SipTrunkView> {
    const name = (input.name ?? '').trim();
    if (!TRUNK_NAME.test(name)) {
      throw invalid(
        '/name',
        'A trunk name is 1-63 letters, digits, "_", "." or "-", starting with a letter or digit.',
      );
    }
    if (this.fromConfig(name) || this.stored.some((t) => t.name === name)) {
      throw new DomainError('TRUNK_NAME_TAKEN', `A trunk named "${name}" already exists.`, { path: '/name' });
    }
    const now = new Date(this.clock.now());
    const record: SipTrunkRecord = { ...this.clean(input, null), name, createdAt: now, updatedAt: now };
    await this.changing(async (tx) => {
      if (await tx.sipTrunks.byName(name)) {
        throw new DomainError('TRUNK_NAME_TAKEN', `A trunk named "${name}" already exists.`, {
          path: '/name',
        });
      }
      await tx.sipTrunks.insert(record);
      await this.audit.record(
        tx,
        actor,
        'sip_trunk.create',
        { type: 'sip_trunk', id: name },
        summary(record),
      );
    });
    return this.get(name);
  }

  /** Replaces a console trunk's settings (its name stays). */
  async update(actor: Actor, name: string, input: SipTrunkInput): Promise<SipTrunkView> {
    this.editable(name);
    if (input.name !== undefined && input.name.trim() !== name) {
      throw invalid('/name', 'A trunk cannot be renamed: create a new one and delete this one.');
    }
    await this.changing(async (tx) => {
      const current = await tx.sipTrunks.byName(name);
      if (!current) throw new DomainError('TRUNK_NOT_FOUND', `No SIP trunk named "${name}".`);
      const next = this.clean(input, current);
      if (this.chosen === name) this.checkOutbound({ ...next, name }, '');
      await tx.sipTrunks.update(name, { ...next, updatedAt: new Date(this.clock.now()) });
      await this.audit.record(
        tx,
        actor,
        'sip_trunk.update',
        { type: 'sip_trunk', id: name },
        {
          ...summary(next),
          changed: changedFields(current, next),
        },
      );
    });
    return this.get(name);
  }

  /** Deletes a console trunk (also one a configuration trunk took the name of since). */
  async remove(actor: Actor, name: string): Promise<void> {
    if (!this.stored.some((t) => t.name === name)) this.editable(name);
    if (this.chosen === name && !this.fromConfig(name)) {
      throw new DomainError(
        'TRUNK_IS_OUTBOUND',
        `Calls out go through "${name}": choose another outbound trunk before deleting it.`,
      );
    }
    await this.changing(async (tx) => {
      if (!(await tx.sipTrunks.delete(name))) {
        throw new DomainError('TRUNK_NOT_FOUND', `No SIP trunk named "${name}".`);
      }
      await this.audit.record(tx, actor, 'sip_trunk.delete', { type: 'sip_trunk', id: name });
    });
  }

  /**
   * A trunk that carries calls out needs a proxy to send them to and a number to send them from.
   * `at` is the path of the field at fault: '/trunk' when choosing, '' for the trunk's own fields.
   */
  private checkOutbound(t: SipTrunk, at: string): void {
    if (t.outboundProxy === null) {
      throw new DomainError(
        'TRUNK_OUTBOUND_NO_PROXY',
        `The trunk "${t.name}" has no outbound proxy, so it cannot carry calls out.`,
        { path: at || '/outboundProxy' },
      );
    }
    if (t.callerId === null && this.defaultCallerId === null) {
      throw new DomainError(
        'TRUNK_OUTBOUND_NO_CALLER_ID',
        `Calls out through "${t.name}" need a caller ID: the trunk's own, or voice.callerId.`,
        { path: at || '/callerId' },
      );
    }
  }

  private fromConfig(name: string): boolean {
    return this.configured.some((t) => t.name === name);
  }

  private editable(name: string): void {
    if (this.fromConfig(name)) {
      throw new DomainError(
        'TRUNK_READ_ONLY',
        `The trunk "${name}" comes from the configuration file (sip.trunks); change it there.`,
      );
    }
  }

  /** Writes in a transaction, then reloads the set and tells the listeners (also after a failure). */
  private async changing(fn: (tx: Store) => Promise<void>): Promise<void> {
    try {
      await this.store.transaction(fn);
    } finally {
      this.stored = await this.store.sipTrunks.list();
      this.chosen = await this.store.sipTrunks.outboundChoice();
      const trunks = this.current();
      for (const fn of this.listeners) {
        try {
          fn(trunks);
        } catch (err) {
          this.log.error({ err }, 'applying the SIP trunks failed');
        }
      }
    }
  }

  /** Checked and trimmed fields; `current` supplies the password when the input leaves it out. */
  private clean(input: SipTrunkInput, current: SipTrunk | null): Omit<SipTrunk, 'name'> {
    const opt = (v: string | null | undefined): string | null => {
      const s = v?.trim();
      return s === undefined || s === '' ? null : s;
    };
    const sources = input.sources.map((s) => s.trim());
    if (sources.length === 0) throw invalid('/sources', 'A trunk needs at least one source address.');
    sources.forEach((s, i) => {
      const problem = sourceProblem(s);
      if (problem !== null) {
        throw new DomainError('TRUNK_SOURCE_INVALID', `"${s}": ${problem}.`, { path: `/sources/${i}` });
      }
    });
    const dids = input.dids.map((d) => d.trim().replace(/[\s().-]/g, ''));
    if (dids.length === 0) throw invalid('/dids', 'A trunk needs at least one number, or "*".');
    dids.forEach((d, i) => {
      if (!TRUNK_DID.test(d))
        throw invalid(`/dids/${i}`, `"${d}": a number is 1-20 digits with an optional "+", or "*".`);
    });
    const outboundProxy = opt(input.outboundProxy);
    if (outboundProxy !== null) {
      const problem = proxyProblem(outboundProxy);
      if (problem !== null) {
        throw new DomainError('TRUNK_PROXY_INVALID', `"${outboundProxy}": ${problem}.`, {
          path: '/outboundProxy',
        });
      }
    }
    const domain = opt(input.domain);
    if (domain !== null && !validDomain(domain))
      throw invalid('/domain', `"${domain}" is not a host name or address.`);
    const callerId = opt(input.callerId);
    if (callerId !== null && !TRUNK_CALLER_ID.test(callerId)) {
      throw invalid('/callerId', 'A caller ID is 2-20 digits with an optional leading "+".');
    }
    const username = opt(input.username);
    const password = input.password === undefined ? (current?.password ?? null) : opt(input.password);
    const registerExpires = input.registerExpires ?? 0;
    if (registerExpires > 0 && (outboundProxy === null || username === null)) {
      throw invalid('/registerExpires', 'Registering needs an outbound proxy and a username.');
    }
    return {
      sources: [...new Set(sources)],
      dids: [...new Set(dids)],
      outboundProxy,
      transport: input.transport ?? 'udp',
      domain,
      username,
      password,
      registerExpires,
      callerId,
    };
  }

  private view(
    t: SipTrunk,
    origin: 'config' | 'console',
    record: SipTrunkRecord | null,
    outbound: string | null,
  ): SipTrunkView {
    const { password, ...rest } = t;
    const shadowed = origin === 'console' && this.fromConfig(t.name);
    return {
      ...rest,
      origin,
      passwordSet: password !== null && password !== '',
      active: !shadowed,
      outbound: !shadowed && outbound === t.name,
      problem: shadowed
        ? 'A configuration trunk has the same name and is used instead: delete this one (and add it again under another name if it is still needed).'
        : null,
      health: shadowed ? NO_HEALTH : (this.health?.(t.name) ?? NO_HEALTH),
      createdAt: record?.createdAt ?? null,
      updatedAt: record?.updatedAt ?? null,
    };
  }
}

/** What the audit log keeps of a trunk: never the password, only whether there is one. */
function summary(t: Omit<SipTrunk, 'name'>): Record<string, unknown> {
  const { password, ...rest } = t;
  return { ...rest, passwordSet: password !== null };
}

function changedFields(a: Omit<SipTrunk, 'name'>, b: Omit<SipTrunk, 'name'>): string[] {
  return (Object.keys(b) as (keyof typeof b)[]).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

/** The configuration's sip.trunks in the service's shape. */
export function configTrunks(
  trunks: readonly {
    name: string;
    sources: string[];
    dids: string[];
    outboundProxy?: string;
    transport: 'udp' | 'tcp';
    domain?: string;
    username?: string;
    password?: string;
    registerExpires: number;
    callerId?: string;
  }[],
): SipTrunk[] {
  return trunks.map((t) => ({
    name: t.name,
    sources: t.sources,
    dids: t.dids,
    outboundProxy: t.outboundProxy ?? null,
    transport: t.transport,
    domain: t.domain ?? null,
    username: t.username ?? null,
    password: t.password ?? null,
    registerExpires: t.registerExpires,
    callerId: t.callerId ?? null,
  }));
}
