/**
 * Calls to external numbers through the trunk, and the bridge between one of our legs (a caller
 * in the IVR, a caller an agent transferred, an agent dialling out) and the external party. The
 * number is checked first (E.164 in the default country, then the dial plan: refused numbers never
 * reach the trunk). Once both legs are up, a hang-up on either side ends the other, closes the
 * recording and writes both legs' CDRs before `onEnded` runs.
 */
import { randomUUID } from 'node:crypto';
import { DomainError } from '../../domain/errors.js';
import type { OutboundVerdict } from '../../domain/ivr/outbound-number.js';
import type { Clock, Logger, Store } from '../ports.js';
import type { CdrEndCause, CdrRecord, CdrRole } from '../records.js';
import type { CallLeg, MediaBridge, MediaChannels } from './ports.js';
import type { TrunkCall, TrunkDialer, TrunkFailure } from './trunk-ports.js';

/** What ExternalCalls needs. */
export interface ExternalCallsDeps {
  /** Null while SIP is off: every call out fails with TRUNK_UNAVAILABLE. */
  dialer: TrunkDialer | null;
  media: Pick<MediaChannels, 'bridge'> | null;
  store: Pick<Store, 'voice'>;
  clock: Clock;
  log: Logger;
  /** Normalises and checks a number against the dial plan. */
  check: (input: string) => OutboundVerdict;
  ringTimeoutMs: number;
  /** Where recordings are written (`<dir>/<recording id>.wav`). */
  recordingsDir: string;
}

/** Our side of a call to be bridged to the external party. */
export interface NearLeg {
  leg: CallLeg;
  /** For its CDR. */
  callId: string;
  direction: 'inbound' | 'outbound';
  from: string;
  to: string;
  agentId: string | null;
  startedAt: number;
  answeredAt: number;
}

/** How a call to an external number ended before the bridge. */
export type DialFailure = TrunkFailure | 'trunk_unavailable';

/** A bridged call between our leg and the external party. */
export interface ExternalBridge {
  readonly recordingId: string | null;
  /** Hangs up both legs (shutdown, force release); settles once the records are written. */
  end(cause: CdrEndCause): Promise<void>;
  /** Settles once the call ended and its records are written. */
  readonly ended: Promise<CdrEndCause>;
  readonly bridge: MediaBridge;
}

/**
 * Dials external numbers and bridges them; see the file comment.
 * @example const number = external.allowed('+12025550143'); const out = await external.dial(number, signal);
 */
export class ExternalCalls {
  private readonly live = new Set<ExternalBridge>();

  constructor(private readonly deps: ExternalCallsDeps) {}

  /** SIP started (or stopped: nulls): where calls go out and the media they bridge. */
  use(dialer: TrunkDialer | null, media: Pick<MediaChannels, 'bridge'> | null): void {
    this.deps.dialer = dialer;
    this.deps.media = media;
  }

  /** Bridged external calls now up. */
  get activeCalls(): number {
    return this.live.size;
  }

  /**
   * The number in E.164, or DIAL_PLAN_REFUSED (the number is not allowed) / PHONE_NUMBER_INVALID.
   * The number itself is logged at debug only.
   */
  allowed(input: string): string {
    const verdict = this.deps.check(input);
    if (verdict.ok) return verdict.number;
    this.deps.log.info({ reason: verdict.reason }, 'external number refused');
    this.deps.log.debug({ number: input }, 'refused number');
    if (verdict.reason === 'not_a_number') {
      throw new DomainError('PHONE_NUMBER_INVALID', 'That is not a phone number that can be dialled.', {
        path: '/to',
      });
    }
    throw new DomainError('DIAL_PLAN_REFUSED', 'The dial plan does not allow calls to this number.');
  }

  /** Whether a trunk can place calls now. */
  get available(): boolean {
    return this.deps.dialer !== null && this.deps.media !== null;
  }

  /** Sends the INVITE (through the trunk) for an allowed number; TRUNK_UNAVAILABLE without a trunk. */
  async dial(number: string, signal: AbortSignal, onRinging?: () => void): Promise<TrunkCall> {
    const dialer = this.deps.dialer;
    if (dialer === null || this.deps.media === null) {
      throw new DomainError('TRUNK_UNAVAILABLE', 'Calls out need SIP enabled and an outbound trunk.');
    }
    return dialer.dial(number, {
      signal,
      ringTimeoutMs: this.deps.ringTimeoutMs,
      ...(onRinging ? { onRinging } : {}),
    });
  }

  /** The external leg's CDR for a call that did not come up. */
  async failed(
    call: TrunkCall,
    o: {
      startedAt: number;
      cause: CdrEndCause;
      status: number;
      agentId: string | null;
      interactionId: string | null;
    },
  ): Promise<void> {
    await this.deps.store.voice
      .insertCdrs([
        {
          ...this.externalCdr(call, o.startedAt, null, o.cause, o.agentId, o.interactionId, null),
          sipStatus: o.status,
        },
      ])
      .catch((err: unknown) => this.deps.log.error({ err, callId: call.callId }, 'call record failed'));
  }

  /**
   * Bridges our leg to the answered external leg, recorded when `record` (near side left, external
   * right when `externalLeft` is false; customer left / agent right for dial-out). Either hang-up
   * ends both; then both CDRs are written and the returned `ended` settles.
   */
  connect(o: {
    near: NearLeg;
    call: TrunkCall;
    external: CallLeg;
    startedAt: number;
    answeredAt: number;
    interactionId: string | null;
    agentId: string | null;
    record: boolean;
    /** The external party is the customer: it takes the recording's left channel. */
    externalIsCustomer: boolean;
    /** The external leg's CDR role (a consulted number); default by direction. */
    externalRole?: CdrRole;
    nearCause: CdrEndCause;
    externalCause: CdrEndCause;
  }): ExternalBridge {
    const { store, log, clock } = this.deps;
    const media = this.deps.media;
    if (media === null) throw new DomainError('TRUNK_UNAVAILABLE', 'SIP is not running.');
    let recordingId: string | null = o.record && o.interactionId !== null ? randomUUID() : null;
    const path = recordingId === null ? null : `${this.deps.recordingsDir}/${recordingId}.wav`;
    const [left, right] = o.externalIsCustomer
      ? [o.external.media, o.near.leg.media]
      : [o.near.leg.media, o.external.media];
    let bridge: MediaBridge;
    try {
      bridge = media.bridge(left, right, path);
    } catch (err) {
      log.error({ err, interactionId: o.interactionId }, 'recording could not start');
      recordingId = null;
      bridge = media.bridge(left, right, null);
    }
    const saved =
      recordingId === null || o.interactionId === null
        ? Promise.resolve()
        : store.voice
            .insertRecording({
              id: recordingId,
              interactionId: o.interactionId,
              filePath: path!,
              startedAt: new Date(o.answeredAt),
              endedAt: null,
              durationMs: null,
              pauses: [],
            })
            .catch((err: unknown) => {
              log.error({ err, interactionId: o.interactionId }, 'recording row not written');
              recordingId = null;
            });
    let done = false;
    let settle!: (cause: CdrEndCause) => void;
    const ended = new Promise<CdrEndCause>((r) => (settle = r));
    const end = async (cause: CdrEndCause): Promise<void> => {
      if (done) return ended.then(() => undefined);
      done = true;
      this.live.delete(handle);
      if (cause !== o.externalCause) o.external.hangup();
      if (cause !== o.nearCause) o.near.leg.hangup();
      const summary = bridge.stop();
      try {
        await saved;
        const now = new Date(clock.now());
        if (recordingId !== null) {
          await store.voice.updateRecording(recordingId, {
            endedAt: now,
            durationMs: summary?.durationMs ?? 0,
            pauses: summary?.pauses ?? [],
          });
        }
        const n = o.near;
        const nearCdr: CdrRecord = {
          id: randomUUID(),
          callId: n.callId,
          direction: n.direction,
          fromAddress: n.from,
          toAddress: n.to,
          agentId: n.agentId,
          interactionId: o.interactionId,
          recordingId,
          startedAt: new Date(n.startedAt),
          answeredAt: new Date(n.answeredAt),
          endedAt: now,
          endCause: cause,
          sipStatus: n.direction === 'inbound' ? null : 200,
        };
        await store.voice.insertCdrs([
          nearCdr,
          {
            ...this.externalCdr(
              o.call,
              o.startedAt,
              o.answeredAt,
              cause,
              o.agentId,
              o.interactionId,
              recordingId,
            ),
            ...(o.externalRole === undefined ? {} : { role: o.externalRole }),
          },
        ]);
      } catch (err) {
        log.error({ err, interactionId: o.interactionId }, 'call records failed');
      }
      log.info({ interactionId: o.interactionId, callId: o.call.callId, cause }, 'external call ended');
      settle(cause);
    };
    const handle: ExternalBridge = {
      get recordingId() {
        return recordingId;
      },
      end,
      ended,
      bridge,
    };
    this.live.add(handle);
    o.external.onHangup(() => void end(o.externalCause));
    o.near.leg.onHangup(() => void end(o.nearCause));
    return handle;
  }

  /** The caller's CDR for a caller who hung up (or was let go) before the far end answered. */
  async callerEnded(o: {
    callId: string;
    caller: string;
    dnis: string;
    startedAt: number;
    interactionId: string | null;
  }): Promise<void> {
    await this.deps.store.voice
      .insertCdrs([
        {
          id: randomUUID(),
          callId: o.callId,
          direction: 'inbound',
          fromAddress: o.caller,
          toAddress: o.dnis,
          agentId: null,
          interactionId: o.interactionId,
          recordingId: null,
          startedAt: new Date(o.startedAt),
          answeredAt: new Date(o.startedAt),
          endedAt: new Date(this.deps.clock.now()),
          endCause: 'caller_hangup',
          sipStatus: null,
        },
      ])
      .catch((err: unknown) => this.deps.log.error({ err, callId: o.callId }, 'call record failed'));
  }

  /** Hangs up every bridged external call (shutdown); settles once their records are written. */
  async stop(): Promise<void> {
    await Promise.all([...this.live].map((b) => b.end('shutdown')));
  }

  private externalCdr(
    call: TrunkCall,
    startedAt: number,
    answeredAt: number | null,
    cause: CdrEndCause,
    agentId: string | null,
    interactionId: string | null,
    recordingId: string | null,
  ): CdrRecord {
    return {
      id: randomUUID(),
      callId: call.callId,
      direction: 'outbound',
      fromAddress: call.callerId,
      toAddress: call.target,
      agentId,
      interactionId,
      recordingId,
      startedAt: new Date(startedAt),
      answeredAt: answeredAt === null ? null : new Date(answeredAt),
      endedAt: new Date(this.deps.clock.now()),
      endCause: cause,
      sipStatus: answeredAt === null ? null : 200,
    };
  }
}

/** The CDR cause of a trunk failure. */
export function failureCdrCause(cause: DialFailure): CdrEndCause {
  return cause === 'trunk_unavailable' ? 'unreachable' : cause;
}
