/**
 * Inbound voice calls: each call the telephony source answers runs the IVR and may end up waiting
 * in a queue as a voice interaction (see IvrCall).
 */
import type { Timer } from '../ports.js';
import { IvrCall, type CallDeps, type CallSettings } from './ivr-call.js';
import type { InboundCalls } from './ports.js';

/** What CallService needs: the call dependencies, with a fresh Timer per call. */
export type CallServiceDeps = Omit<CallDeps, 'timer'> & { newTimer: () => Timer };

/**
 * Runs every inbound call through the IVR.
 * @example new CallService(sipCalls, deps, { flow, language: 'en', promptsDir: './prompts', holdPrompt: 'queue-hold' }).start();
 */
export class CallService {
  private readonly calls = new Set<IvrCall>();
  private readonly byCallId = new Map<string, IvrCall>();

  constructor(
    private readonly source: InboundCalls,
    private readonly deps: CallServiceDeps,
    private readonly settings: CallSettings,
  ) {}

  /** Calls now in the IVR or waiting in a queue. */
  get activeCalls(): number {
    return this.calls.size;
  }

  /** The call with this signalling id, while it is in the IVR or waiting. */
  live(callId: string): IvrCall | undefined {
    return this.byCallId.get(callId);
  }

  start(): void {
    this.source.onCall((call) => {
      // Numbers stay out of info logs; the call id is enough to follow a call.
      this.deps.log.info({ callId: call.callId }, 'inbound call');
      this.deps.log.debug(
        { callId: call.callId, caller: call.caller, dnis: call.dnis },
        'inbound call numbers',
      );
      const { newTimer, ...rest } = this.deps;
      let ivr: IvrCall | undefined = undefined;
      let endedEarly = false;
      ivr = new IvrCall(call, { ...rest, timer: newTimer() }, this.settings, () => {
        if (ivr) {
          this.calls.delete(ivr);
          if (this.byCallId.get(call.callId) === ivr) this.byCallId.delete(call.callId);
        } else endedEarly = true;
      });
      if (!endedEarly) {
        this.calls.add(ivr);
        this.byCallId.set(call.callId, ivr);
      }
    });
  }
}
