/**
 * A third leg mixed into a two-way bridge (a supervisor listening, whispering or barging in, or a
 * second agent in a conference). While it is in, the bridge's direct relay is diverted here: a
 * 20 ms clock takes one frame from each leg, mixes them by the mode's hearing rules (mixer.ts) and
 * sends each leg its own mix. Leaving gives the bridge back its plain relay.
 *
 * Recording: the stereo file keeps the caller left and the agent right; a third party whom someone
 * hears (whisper, barge, conference) is mixed into the right channel, so the recording holds
 * everything the contact center side said. A listening supervisor is never recorded.
 */
import type { MediaBridge, MediaChannel, MixMode, RecordingSummary } from '../../services/calls/ports.js';
import type { BridgeMixer, RtpBridge } from './bridge.js';
import { encodeG711 } from './g711.js';
import { bargeRules, listenRules, mixFrames, whisperRules, type HearingRules } from './mixer.js';
import type { AudioFrame, RtpSession } from './rtp-session.js';
import type { ScheduledTask, Scheduler } from './scheduler.js';

const FRAME_MS = 20;
/** Frames held per leg; beyond, the oldest go (a burst after a stall). */
const MAX_BUFFERED = 5;
const LEGS = { caller: 'caller', agent: 'agent', supervisor: 'third' } as const;

/** Who hears whom in each mode, with the legs named caller, agent and third. */
export function rulesFor(mode: MixMode): HearingRules {
  if (mode === 'listen') return listenRules(LEGS);
  if (mode === 'whisper') return whisperRules(LEGS);
  return bargeRules(LEGS);
}

/** The mix of three RTP legs; see the file comment. */
export class ThreeWayMix implements BridgeMixer {
  private readonly queues = new Map<string, Int16Array[]>([
    ['caller', []],
    ['agent', []],
    ['third', []],
  ]);
  private readonly thirdRecorded: Int16Array[] = [];
  private rules: HearingRules;
  private task: ScheduledTask | null = null;
  private stopped = false;
  private readonly onThird = (f: AudioFrame): void => {
    this.push('third', f.samples);
    if (this.mode !== 'listen') {
      this.thirdRecorded.push(f.samples);
      if (this.thirdRecorded.length > MAX_BUFFERED) this.thirdRecorded.shift();
    }
  };

  constructor(
    private readonly legs: { caller: RtpSession; agent: RtpSession; third: RtpSession },
    private mode: MixMode,
    private readonly scheduler: Scheduler,
    private readonly countFrame: () => void,
  ) {
    this.rules = rulesFor(mode);
    legs.third.on('audio', this.onThird);
    this.tick(scheduler.now() + FRAME_MS);
  }

  get currentMode(): MixMode {
    return this.mode;
  }

  /** Changes who hears whom from the next frame on. */
  setMode(mode: MixMode): void {
    this.mode = mode;
    this.rules = rulesFor(mode);
    if (mode === 'listen') this.thirdRecorded.length = 0;
  }

  heard(leg: 'caller' | 'agent', frame: AudioFrame): void {
    this.push(leg, frame.samples);
  }

  recordedAgentSide(agent: Int16Array | null): Int16Array | null {
    const third = this.thirdRecorded.shift();
    if (third === undefined) return agent;
    if (agent === null) return third;
    const out = new Int16Array(agent.length);
    for (let i = 0; i < out.length; i++)
      out[i] = Math.max(-32768, Math.min(32767, agent[i]! + (third[i] ?? 0)));
    return out;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.task?.cancel();
    this.legs.third.off('audio', this.onThird);
  }

  private push(leg: string, samples: Int16Array): void {
    const q = this.queues.get(leg)!;
    q.push(samples);
    if (q.length > MAX_BUFFERED) q.shift();
  }

  /** One mix per 20 ms, scheduled from the start so it never drifts. */
  private tick(at: number): void {
    this.task = this.scheduler.at(at, () => {
      if (this.stopped) return;
      const frames = new Map<string, Int16Array>();
      for (const [leg, q] of this.queues) {
        const f = q.shift();
        if (f !== undefined) frames.set(leg, f);
      }
      // Nobody talking: nothing to send (no comfort noise, as the plain relay).
      if (frames.size > 0) {
        const mixed = mixFrames(frames, this.rules);
        for (const [leg, session] of [
          ['caller', this.legs.caller],
          ['agent', this.legs.agent],
          ['third', this.legs.third],
        ] as const) {
          const out = mixed.get(leg);
          if (out === undefined) continue;
          session.sendFrame(encodeG711(session.codec, out));
          this.countFrame();
        }
      }
      this.tick(at + FRAME_MS);
    });
  }
}

/**
 * The MediaBridge the media adapter hands out: the two-way RtpBridge, plus a third leg joining and
 * leaving (`sessionOf` finds the RTP session of a channel opened by the same adapter).
 */
export class MixingBridge implements MediaBridge {
  private mix: ThreeWayMix | null = null;

  constructor(
    private readonly bridge: RtpBridge,
    private readonly legs: { caller: RtpSession; agent: RtpSession },
    private readonly sessionOf: (c: MediaChannel) => RtpSession,
    private readonly scheduler: Scheduler,
    private readonly countFrame: () => void,
  ) {}

  get recordingPaused(): boolean {
    return this.bridge.recordingPaused;
  }

  get mixMode(): MixMode | null {
    return this.mix?.currentMode ?? null;
  }

  pauseRecording(): void {
    this.bridge.pauseRecording();
  }

  resumeRecording(): void {
    this.bridge.resumeRecording();
  }

  /** A hold stops relaying, and the mix with it (the held party hears hold music instead). */
  setRelay(on: boolean): void {
    this.bridge.setRelay(on);
  }

  join(third: MediaChannel, mode: MixMode): void {
    third.stopPlayback();
    this.leave();
    this.mix = new ThreeWayMix(
      { ...this.legs, third: this.sessionOf(third) },
      mode,
      this.scheduler,
      this.countFrame,
    );
    this.bridge.mixer = this.mix;
  }

  setMixMode(mode: MixMode): void {
    this.mix?.setMode(mode);
  }

  leave(): void {
    this.mix?.stop();
    this.mix = null;
    this.bridge.mixer = null;
  }

  stop(): RecordingSummary | null {
    this.leave();
    return this.bridge.stop();
  }
}
