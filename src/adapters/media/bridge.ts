/**
 * Two RTP sessions joined both ways: each received frame is sent on to the other side at once
 * (re-encoded when one speaks PCMU and the other PCMA), and a 20 ms clock takes one frame from each
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
/** Frames held per side for the recorder; beyond, the oldest go (a burst after a stall). */
const MAX_BUFFERED = 10;

/** A running bridge; see the file comment. */
export class RtpBridge implements MediaBridge {
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
  }

  stop(): RecordingSummary | null {
    if (this.stopped) return null;
    this.stopped = true;
    this.caller.off('audio', this.onCallerAudio);
    this.agent.off('audio', this.onAgentAudio);
    this.caller.off('dtmf', this.onCallerDigit);
    this.task?.cancel();
    if (this.recorder === null) return null;
    const meta = this.recorder.close();
    return { durationMs: meta.durationMs, pauses: meta.pauses };
  }

  private relay(frame: AudioFrame, to: RtpSession, buffer: Int16Array[]): void {
    if (this.stopped || !this.relaying) return;
    const codec = this.caller === to ? this.agent.codec : this.caller.codec;
    to.sendFrame(codec === to.codec ? frame.payload : encodeG711(to.codec, frame.samples));
    this.countFrame();
    if (this.recorder === null) return;
    buffer.push(frame.samples);
    if (buffer.length > MAX_BUFFERED) buffer.shift();
  }

  /** One recorded frame pair per 20 ms of wall clock, scheduled from the start so it never drifts. */
  private tick(at: number): void {
    this.task = this.scheduler.at(at, () => {
      if (this.stopped) return;
      this.recorder?.write(this.fromCaller.shift() ?? null, this.fromAgent.shift() ?? null);
      this.tick(at + FRAME_MS);
    });
  }
}
