/**
 * Inbound voice calls: each call the telephony source answers runs the IVR flow chosen for its
 * dialed number (and the time), and may end up waiting in a queue as a voice interaction (see IvrCall).
 */
import type { Flow } from '../../domain/ivr/index.js';
import type { Timer } from '../ports.js';
import { holdDigits } from './held-digits.js';
import { IvrCall, type CallDeps, type CallSettings } from './ivr-call.js';
import type { InboundCall, InboundCalls } from './ports.js';

/** The flow that answers a dialed number now (numbers → flows in the database), or null. */
export type FlowChooser = (dnis: string, now: number) => Promise<{ flowId: string; flow: Flow } | null>;

/** What CallService needs: the call dependencies, with a fresh Timer per call. */
export type CallServiceDeps = Omit<CallDeps, 'timer'> & {
  newTimer: () => Timer;
  /** Numbers → flows; without one (or when it finds none) every call runs the fallback flow. */
  chooseFlow?: FlowChooser;
};

/** How calls are run; `fallbackFlow` answers numbers that have no flow of their own. */
export type CallServiceSettings = Omit<CallSettings, 'flow' | 'flowId'> & { fallbackFlow: Flow | null };

/**
 * Runs every inbound call through the IVR.
 * @example new CallService(sipCalls, deps, { fallbackFlow: flow, language: 'en', promptsDir: './prompts', holdPrompt: 'queue-hold' }).start();
 */
export class CallService {
  private readonly calls = new Set<IvrCall>();
  private readonly byCallId = new Map<string, IvrCall>();

  constructor(
    private readonly source: InboundCalls,
    private readonly deps: CallServiceDeps,
    private readonly settings: CallServiceSettings,
  ) {}

  /** Calls now in the IVR or waiting in a queue. */
  get activeCalls(): number {
    return this.calls.size;
  }

  /** The call with this signalling id, while it is in the IVR or waiting. */
  live(callId: string): IvrCall | undefined {
    return this.byCallId.get(callId);
  }

  /**
   * Ends every call still in the IVR or waiting (Hotline is stopping): each hears the closing
   * prompt, gets BYE, and its interaction and CDR are final when this settles.
   */
  async shutdown(closingPrompt: string, maxMs: number): Promise<void> {
    await Promise.all([...this.calls].map((c) => c.shutdown(closingPrompt, maxMs)));
  }

  start(): void {
    this.source.onCall((call) => {
      // Numbers stay out of info logs; the call id is enough to follow a call.
      this.deps.log.info({ callId: call.callId }, 'inbound call');
      this.deps.log.debug(
        { callId: call.callId, caller: call.caller, dnis: call.dnis },
        'inbound call numbers',
      );
      this.begin(call).then(undefined, (err: unknown) => {
        this.deps.log.error({ err, callId: call.callId }, 'call failed to start');
        call.leg.hangup();
      });
    });
  }

  private async begin(arrived: InboundCall): Promise<void> {
    const call = { ...arrived, leg: holdDigits(arrived.leg) };
    let hungUp = false;
    call.leg.onHangup(() => (hungUp = true));
    const chosen = await this.flowFor(call);
    if (hungUp) return;
    if (chosen === null) {
      this.deps.log.warn({ callId: call.callId }, 'no IVR flow for the dialed number: hanging up');
      call.leg.hangup();
      return;
    }
    const { newTimer, chooseFlow: _c, ...rest } = this.deps;
    const { fallbackFlow: _f, ...settings } = this.settings;
    let ivr: IvrCall | undefined = undefined;
    let endedEarly = false;
    ivr = new IvrCall(call, { ...rest, timer: newTimer() }, { ...settings, ...chosen }, () => {
      if (ivr) {
        this.calls.delete(ivr);
        if (this.byCallId.get(call.callId) === ivr) this.byCallId.delete(call.callId);
      } else endedEarly = true;
    });
    if (!endedEarly) {
      this.calls.add(ivr);
      this.byCallId.set(call.callId, ivr);
    }
  }

  /** The number's own flow, else the configured one. */
  private async flowFor(call: InboundCall): Promise<{ flow: Flow; flowId: string | null } | null> {
    const chosen = await this.deps.chooseFlow?.(call.dnis, this.deps.clock.now());
    if (chosen) return chosen;
    return this.settings.fallbackFlow ? { flow: this.settings.fallbackFlow, flowId: null } : null;
  }
}
