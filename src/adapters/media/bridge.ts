/**
 * Two RTP sessions joined both ways: each received frame is sent on to the other side at once
 * (re-encoded when one speaks PCMU and the other PCMA; with native sockets and one codec, relayed
 * below JavaScript as it arrives, see RtpSession.relayTo), and a 20 ms clock takes one frame from each
 * side into a stereo CallRecorder (caller left, agent right), so gaps and bursts in either stream
 * never shift the two channels against each other. Digits from the caller are noted in the
 * recording's metadata, except while it is paused.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MediaBridge, RecordingSummary } from '../../services/calls/ports.js';
import { encodeG711 } from './g711.js';
import { CallRecorder } from './recorder.js';
import type { AudioFrame, RtpSession } from './rtp-session.js';
import type { ScheduledTask, Scheduler } from './scheduler.js';

const FRAME_MS = 20;

/** Takes over relaying while a third leg is mixed in (conference-bridge.ts). */
export interface BridgeMixer {
  /** A frame from the caller or the agent, to be mixed instead of relayed. */
  heard(leg: 'caller' | 'agent', frame: AudioFrame): void;
  /** The agent's recorded frame with whatever else is recorded on the agent's side. */
  recordedAgentSide(agent: Int16Array | null): Int16Array | null;
}
/** Frames held per side for the recorder; beyond, the oldest go (a burst after a stall). */
const MAX_BUFFERED = 10;

/** A running bridge; see the file comment. */
export class RtpBridge implements Pick<
  MediaBridge,
  'pauseRecording' | 'resumeRecording' | 'recordingPaused' | 'stop'
> {
  private currentMixer: BridgeMixer | null = null;
  private readonly recorder: CallRecorder | null;
  private readonly fromCaller: Int16Array[] = [];
  private readonly fromAgent: Int16Array[] = [];
  private task: ScheduledTask | null = null;
  private stopped = false;
  private relaying = true;
  private readonly onCallerAudio = (f: AudioFrame): void => this.relay(f, this.agent, this.fromCaller);
  private readonly onAgentAudio = (f: AudioFrame): void => this.relay(f, this.caller, this.fromAgent);
  private readonly onCallerDigit = (digit: string): void => this.recorder?.noteDtmf(digit);

  constructor(
    private readonly caller: RtpSession,
    private readonly agent: RtpSession,
    private readonly scheduler: Scheduler,
    recordPath: string | null,
    private readonly countFrame: () => void,
  ) {
    if (recordPath !== null) mkdirSync(dirname(recordPath), { recursive: true });
    this.recorder = recordPath === null ? null : new CallRecorder(recordPath);
    caller.on('audio', this.onCallerAudio);
    agent.on('audio', this.onAgentAudio);
    caller.on('dtmf', this.onCallerDigit);
    if (this.recorder !== null) this.tick(scheduler.now() + FRAME_MS);
  }

  /** While set, received audio goes to the mixer instead of straight to the other leg. */
  get mixer(): BridgeMixer | null {
    return this.currentMixer;
  }

  set mixer(mixer: BridgeMixer | null) {
    this.currentMixer = mixer;
    if (mixer !== null) this.stopRelays();
  }

  get recordingPaused(): boolean {
    return this.recorder?.paused ?? false;
  }

  pauseRecording(): void {
    this.recorder?.pause();
  }

  resumeRecording(): void {
    this.recorder?.resume();
  }

  setRelay(on: boolean): void {
    this.relaying = on;
    if (!on) this.stopRelays();
  }

  stop(): RecordingSummary | null {
    if (this.stopped) return null;
    this.stopped = true;
    this.stopRelays();
    this.caller.off('audio', this.onCallerAudio);
    this.agent.off('audio', this.onAgentAudio);
    this.caller.off('dtmf', this.onCallerDigit);
    this.task?.cancel();
    if (this.recorder === null) return null;
    const meta = this.recorder.close();
    return { durationMs: meta.durationMs, pauses: meta.pauses };
  }

  private stopRelays(): void {
    this.caller.stopRelay();
    this.agent.stopRelay();
  }

  private relay(frame: AudioFrame, to: RtpSession, buffer: Int16Array[]): void {
    if (this.stopped || !this.relaying) return;
    if (this.currentMixer !== null) this.currentMixer.heard(to === this.agent ? 'caller' : 'agent', frame);
    else {
      if (!frame.relayed) {
        const from = to === this.agent ? this.caller : this.agent;
        to.sendFrame(from.codec === to.codec ? frame.payload : encodeG711(to.codec, frame.samples));
        // Later frames go straight through below JavaScript once both legs' sockets allow it.
        from.relayTo(to);
      }
      this.countFrame();
    }
    if (this.recorder === null) return;
    buffer.push(frame.samples);
    if (buffer.length > MAX_BUFFERED) buffer.shift();
  }

  /** One recorded frame pair per 20 ms of wall clock, scheduled from the start so it never drifts. */
  private tick(at: number): void {
    this.task = this.scheduler.at(at, () => {
      if (this.stopped) return;
      const agent = this.fromAgent.shift() ?? null;
      this.recorder?.write(
        this.fromCaller.shift() ?? null,
        this.mixer === null ? agent : this.mixer.recordedAgentSide(agent),
      );
      this.tick(at + FRAME_MS);
    });
  }
}
