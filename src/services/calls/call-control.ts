/**
 * Control of a connected call (caller bridged to an agent's phone): hold and resume, and digits
 * sent to the caller's side. A hold comes from the API (the agent or a supervisor), from the
 * agent's phone (re-INVITE) or from the caller's (re-INVITE). While any hold stands the bridge
 * stops relaying; the party not holding hears the hold music (the caller when the agent's side
 * holds, the agent when the caller holds). Each change is an interaction event, `held` or
 * `resumed` with who did it. A blind transfer to a queue hands the caller back to routing.
 */
import { DomainError } from '../../domain/errors.js';
import type { Principal } from '../auth/principal.js';
import type { InteractionDesk } from '../interactions.js';
import type { Clock, Logger, Store } from '../ports.js';
import type { CallLeg, MediaBridge } from './ports.js';
import type { EventHub } from '../events/event-hub.js';

/**
 * Who put the call on hold; `connection`: the agent's browser phone lost its connection and the
 * call waits for it (the caller hears hold music like any hold from the agent's side).
 */
export type HoldSource = 'api' | 'agent' | 'caller' | 'connection';

/** A call as the connector hands it over once bridged. */
export interface ConnectedCall {
  interactionId: string;
  agentId: string;
  caller: CallLeg;
  agent: CallLeg;
  bridge: MediaBridge;
  /**
   * Ends the call from our side as the agent hanging up: BYE to both legs, CDRs `agent_hangup`, the
   * interaction to wrap-up. For the desk's hang-up button when the agent's phone is a SIP phone.
   */
  hangUp?: () => Promise<void>;
}

/** The hold state of a call, as the API shows it. */
export interface CallHoldState {
  interactionId: string;
  held: boolean;
  /** Who holds it now (several at once: the agent pressed hold and the caller did too). */
  heldBy: HoldSource[];
}

/** What call control needs. */
export interface CallControlDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  interactions: Pick<InteractionDesk, 'get'>;
  /** The music looped to the held party (the queue's hold prompt). */
  holdFiles: string[];
  /** Where `call.hold` events go (the agent's desktop shows a hold from the phone's key at once). */
  hub?: Pick<EventHub, 'publish'>;
}

interface Controlled {
  call: ConnectedCall;
  holds: Set<HoldSource>;
  music: { caller: boolean; agent: boolean };
  ended: boolean;
}

const DIGITS = /^[0-9*#A-D]{1,32}$/;

/** Where transfers are carried out (the AgentConnector, while SIP runs). */
export interface CallTransfers {
  /** Re-queues the caller as a new linked interaction; resolves with its id. */
  transferToQueue(interactionId: string, queueId: string): Promise<string>;
  /** The same, offered straight to one available agent (whose phone rings). */
  transferToAgent(interactionId: string, agentId: string): Promise<string>;
}

/** Where transfers to external numbers are carried out (NumberTransfers, while SIP runs). */
export interface NumberTransferPort {
  /** Checks the number, releases the agent and rings it; resolves with the number in E.164. */
  transferToNumber(interactionId: string, number: string): Promise<string>;
}

/** Where a blind transfer goes: a queue, an agent, or an external number through the trunk (one branch each). */
export type TransferTarget = { queueId: string } | { agentId: string } | { number: string };

/** What a blind transfer answers. */
export interface TransferDone {
  /** The interaction the caller now is: the new one in the queue, or this one for a number. */
  interactionId: string;
  transferredFrom: string;
  /** The number dialled (E.164), for a transfer to a number. */
  number?: string;
}

/**
 * Holds, resumes and sends digits on connected calls; see the file comment.
 * @example const control = new CallControl(deps); connector hooks: control.attach(call) / control.detach(id)
 */
export class CallControl {
  private readonly calls = new Map<string, Controlled>();
  /** Set by main.ts once the call side runs. */
  transfers: CallTransfers | null = null;
  /** Set by main.ts once the call side runs. */
  numberTransfers: NumberTransferPort | null = null;

  constructor(private readonly deps: CallControlDeps) {}

  /** A call was bridged: its legs' hold signalling is followed from now on. */
  attach(call: ConnectedCall): void {
    const c: Controlled = { call, holds: new Set(), music: { caller: false, agent: false }, ended: false };
    this.calls.set(call.interactionId, c);
    const follow = (source: HoldSource) => (held: boolean) => {
      if (!c.ended) void this.change(c, source, held);
    };
    call.caller.onRemoteHold(follow('caller'));
    call.agent.onRemoteHold(follow('agent'));
    // A hold signalled before the bridge was up (the caller pressed hold while it rang) still counts.
    if (call.caller.remoteHeld) void this.change(c, 'caller', true);
    if (call.agent.remoteHeld) void this.change(c, 'agent', true);
  }

  /** The call ended (its legs are being hung up): no more control. */
  detach(interactionId: string): void {
    const c = this.calls.get(interactionId);
    if (c === undefined) return;
    c.ended = true;
    this.calls.delete(interactionId);
  }

  /**
   * The agent's phone lost its connection (true) or is back (false): the caller hears hold music
   * meanwhile. Not the API's hold: resuming through the API does not take this one off.
   */
  async connectionHold(interactionId: string, held: boolean): Promise<void> {
    const c = this.calls.get(interactionId);
    if (c === undefined || c.ended) return;
    await this.change(c, 'connection', held);
  }

  /** Puts the caller on hold music and stops the relay (the owning agent, or a supervisor). */
  async hold(actor: Principal, interactionId: string): Promise<CallHoldState> {
    const c = await this.controlled(actor, interactionId);
    await this.change(c, 'api', true);
    return this.state(c);
  }

  /**
   * Hangs up the connected call (the owning agent, or a supervisor), as if the agent's phone had:
   * both legs get a BYE, the CDRs say agent_hangup and the interaction goes to wrap-up.
   */
  async hangUp(actor: Principal, interactionId: string): Promise<void> {
    const c = await this.controlled(actor, interactionId);
    if (c.call.hangUp === undefined) {
      throw new DomainError('CALL_NOT_CONNECTED', 'This interaction has no call connected to an agent now.');
    }
    this.deps.log.info({ interactionId }, 'hung up from the desk');
    await c.call.hangUp();
  }

  /** Takes the API's hold off; the call talks again unless a phone still holds it. */
  async resume(actor: Principal, interactionId: string): Promise<CallHoldState> {
    const c = await this.controlled(actor, interactionId);
    await this.change(c, 'api', false);
    return this.state(c);
  }

  /** The hold state of a connected call. */
  async holdState(actor: Principal, interactionId: string): Promise<CallHoldState> {
    return this.state(await this.controlled(actor, interactionId));
  }

  /**
   * Sends digits to the caller's side as RFC 4733 events (a remote IVR's menu); settles once sent.
   * The digits are logged at debug only: they may be account numbers or PINs.
   */
  async sendDigits(actor: Principal, interactionId: string, digits: string): Promise<{ sent: number }> {
    const normalized = digits.toUpperCase();
    if (!DIGITS.test(normalized)) {
      throw new DomainError('VALIDATION_FAILED', 'Digits are 1 to 32 of 0-9, *, #, A-D.', {
        path: '/digits',
      });
    }
    const c = await this.controlled(actor, interactionId);
    this.deps.log.info({ interactionId, count: normalized.length }, 'sending digits to the caller');
    this.deps.log.debug({ interactionId, digits: normalized }, 'digits');
    await c.call.caller.media.sendDigits(normalized);
    return { sent: normalized.length };
  }

  /**
   * Blind transfer of the connected caller (the owning agent, or a supervisor): to a queue or an
   * agent, the agent's leg is hung up, this interaction goes to wrap-up and the caller waits as a
   * new interaction linked to it, hearing hold music (offered straight to the named agent).
   */
  async transfer(actor: Principal, interactionId: string, to: TransferTarget): Promise<TransferDone> {
    const c = await this.controlled(actor, interactionId);
    if ('number' in to) return this.transferToNumber(c, interactionId, to.number);
    const transfers = this.transfers;
    if (transfers === null) {
      throw new DomainError('CALL_NOT_CONNECTED', 'This interaction has no call connected to an agent now.');
    }
    const next =
      'agentId' in to
        ? await transfers.transferToAgent(interactionId, to.agentId)
        : await transfers.transferToQueue(interactionId, to.queueId);
    await this.deps.store.interactions
      .appendEvents([
        {
          interactionId,
          at: new Date(this.deps.clock.now()),
          type: 'transferred',
          agentId: c.call.agentId,
          details: { ...to, to: next },
        },
      ])
      .catch((err: unknown) => this.deps.log.warn({ err, interactionId }, 'transfer event not written'));
    return { interactionId: next, transferredFrom: interactionId };
  }

  /** Blind transfer to an external number: the agent goes to wrap-up, the caller to the number. */
  private async transferToNumber(c: Controlled, interactionId: string, input: string): Promise<TransferDone> {
    const port = this.numberTransfers;
    if (port === null) {
      throw new DomainError('TRUNK_UNAVAILABLE', 'Calls out need SIP enabled and an outbound trunk.');
    }
    const number = await port.transferToNumber(interactionId, input);
    await this.deps.store.interactions
      .appendEvents([
        {
          interactionId,
          at: new Date(this.deps.clock.now()),
          type: 'transferred',
          agentId: c.call.agentId,
          details: { to: 'number' },
        },
      ])
      .catch((err: unknown) => this.deps.log.warn({ err, interactionId }, 'transfer event not written'));
    return { interactionId, transferredFrom: interactionId, number };
  }

  private async controlled(actor: Principal, interactionId: string): Promise<Controlled> {
    // Someone who may not see the interaction gets INTERACTION_NOT_FOUND from here.
    await this.deps.interactions.get(actor, interactionId);
    const c = this.calls.get(interactionId);
    if (c === undefined || c.ended) {
      throw new DomainError('CALL_NOT_CONNECTED', 'This interaction has no call connected to an agent now.');
    }
    if (actor.kind === 'user' && actor.role === 'agent' && actor.agentId !== c.call.agentId) {
      throw new DomainError('AUTH_FORBIDDEN', 'Only the agent on the call or a supervisor may do this.');
    }
    return c;
  }

  private state(c: Controlled): CallHoldState {
    const heldBy = [...c.holds].sort();
    return { interactionId: c.call.interactionId, held: heldBy.length > 0, heldBy };
  }

  private async change(c: Controlled, source: HoldSource, held: boolean): Promise<void> {
    if (c.holds.has(source) === held) return;
    if (held) c.holds.add(source);
    else c.holds.delete(source);
    this.apply(c);
    const { interactionId, agentId } = c.call;
    this.deps.log.info({ interactionId, by: source }, held ? 'call held' : 'call resumed');
    this.deps.hub?.publish('call.hold', this.state(c), { agentIds: [agentId] }, this.deps.clock.now());
    await this.deps.store.interactions
      .appendEvents([
        {
          interactionId,
          at: new Date(this.deps.clock.now()),
          type: held ? 'held' : 'resumed',
          agentId,
          details: { by: source },
        },
      ])
      .catch((err: unknown) => this.deps.log.warn({ err, interactionId }, 'hold event not written'));
  }

  /** Relay off while anyone holds; music to whoever is not the one holding. */
  private apply(c: Controlled): void {
    const { caller, agent, bridge } = c.call;
    const agentSide = c.holds.has('api') || c.holds.has('agent') || c.holds.has('connection');
    const callerSide = c.holds.has('caller');
    bridge.setRelay(!agentSide && !callerSide);
    this.music(c, 'caller', caller, agentSide && !callerSide);
    this.music(c, 'agent', agent, callerSide && !agentSide);
  }

  private music(c: Controlled, who: 'caller' | 'agent', leg: CallLeg, on: boolean): void {
    if (c.music[who] === on) return;
    c.music[who] = on;
    if (on) leg.play(this.deps.holdFiles, { loop: true, onEnd: () => undefined });
    else leg.stopPlayback();
  }
}
