/**
 * The MediaChannel port on RTP: one RtpSession per call leg from the port pool, prompts decoded
 * from WAV files and paced out every 20 ms by a Player, RFC 4733 digits passed on.
 */
import { readFileSync, statSync } from 'node:fs';
import type {
  MediaBridge,
  MediaChannel,
  MediaChannels,
  PlaybackOptions,
  VoiceCodec,
} from '../../services/calls/ports.js';
import { RtpBridge } from './bridge.js';
import { MixingBridge } from './conference-bridge.js';
import { encodeG711 } from './g711.js';
import { decodePromptWav, Player } from './player.js';
import type { RtpPortPool } from './port-pool.js';
import { RtpSession, type AudioFrame } from './rtp-session.js';
import type { Scheduler } from './scheduler.js';
import { openDgramSocket, type RtpSocketOpener } from './udp-socket.js';

/**
 * Decoded prompts by path; null for a file that cannot be read (it plays as nothing). An entry is
 * read again when the file's modification time changes: an admin may replace a prompt while the
 * process runs (uploads are renamed into place, so a changed file is always complete).
 */
class PromptCache {
  private readonly byPath = new Map<string, { mtimeMs: number; samples: Int16Array | null }>();

  /** The samples of files in order, missing ones left out. */
  samples(files: string[]): Int16Array {
    const parts = files.map((f) => this.load(f)).filter((s): s is Int16Array => s !== null);
    const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  private load(path: string): Int16Array | null {
    // Prompts are a few hundred kB at most and read once per change, so sync reads are fine.
    let mtimeMs = -1;
    try {
      mtimeMs = statSync(path).mtimeMs;
    } catch {
      // missing: cached as null below
    }
    let cached = this.byPath.get(path);
    if (cached === undefined || cached.mtimeMs !== mtimeMs) {
      let samples: Int16Array | null;
      try {
        samples = decodePromptWav(readFileSync(path));
      } catch {
        samples = null;
      }
      cached = { mtimeMs, samples };
      this.byPath.set(path, cached);
    }
    return cached.samples;
  }
}

/**
 * Opens RTP media channels for calls.
 * @example const media = new RtpMediaChannels(new RtpPortPool(20000, 20999), createSystemScheduler(), '0.0.0.0');
 */
export class RtpMediaChannels implements MediaChannels {
  /** RTP audio frames sent on all channels. */
  framesSent = 0;
  private readonly prompts = new PromptCache();

  constructor(
    readonly pool: RtpPortPool,
    private readonly scheduler: Scheduler,
    private readonly host: string,
    /** node:dgram or the native batch addon (udp-batch.ts). */
    private readonly sockets: RtpSocketOpener = openDgramSocket,
  ) {}

  async open(codec: VoiceCodec, dtmfPayloadType: number): Promise<MediaChannel> {
    const session = await RtpSession.open({
      pool: this.pool,
      scheduler: this.scheduler,
      host: this.host,
      sockets: this.sockets,
      codec,
      dtmfPayloadType,
    });
    return new RtpMediaChannel(session, this.scheduler, this.prompts, () => this.framesSent++);
  }

  bridge(caller: MediaChannel, agent: MediaChannel, recordPath: string | null): MediaBridge {
    if (!(caller instanceof RtpMediaChannel) || !(agent instanceof RtpMediaChannel)) {
      throw new Error('only channels opened here can be bridged');
    }
    caller.stopPlayback();
    agent.stopPlayback();
    const count = (): void => void this.framesSent++;
    const bridge = new RtpBridge(caller.session, agent.session, this.scheduler, recordPath, count);
    const sessionOf = (c: MediaChannel): RtpSession => {
      if (!(c instanceof RtpMediaChannel)) throw new Error('only channels opened here can be mixed');
      return c.session;
    };
    return new MixingBridge(
      bridge,
      { caller: caller.session, agent: agent.session },
      sessionOf,
      this.scheduler,
      count,
    );
  }
}

class RtpMediaChannel implements MediaChannel {
  private player: Player | null = null;

  constructor(
    readonly session: RtpSession,
    private readonly scheduler: Scheduler,
    private readonly prompts: PromptCache,
    private readonly countFrame: () => void,
  ) {
    // A socket error must not take the process down; the call just loses media.
    session.on('error', () => undefined);
  }

  get localPort(): number {
    return this.session.port;
  }

  setRemote(address: string, port: number): void {
    this.session.setRemote(address, port);
  }

  setCodec(codec: VoiceCodec): void {
    this.session.setCodec(codec);
  }

  play(files: string[], options: PlaybackOptions): void {
    this.stopPlayback();
    const player = new Player(this.prompts.samples(files), {
      scheduler: this.scheduler,
      loop: options.loop,
      onFrame: (samples) => {
        this.session.sendFrame(encodeG711(this.session.codec, samples));
        this.countFrame();
      },
      onEnd: () => {
        if (this.player === player) this.player = null;
        options.onEnd();
      },
    });
    this.player = player;
    player.start();
  }

  stopPlayback(): void {
    this.player?.stop();
    this.player = null;
  }

  onDigit(fn: (digit: string) => void): void {
    this.session.on('dtmf', fn);
  }

  async sendDigits(digits: string): Promise<void> {
    for (const digit of digits) await this.session.sendDtmf(digit);
  }

  onAudio(fn: (samples: Int16Array) => void): () => void {
    const listener = (frame: AudioFrame) => fn(frame.samples);
    this.session.on('audio', listener);
    return () => this.session.off('audio', listener);
  }

  close(): void {
    this.stopPlayback();
    this.session.close();
  }
}
