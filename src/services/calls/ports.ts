/**
 * What call control needs from telephony, so the service never touches SIP or RTP: calls arrive
 * from an InboundCalls source, each as a CallLeg the service plays to and hangs up. The media
 * ports let the SIP adapter get RTP without importing the media adapter (main.ts joins them).
 */

/** The G.711 variants a leg can speak. */
export type VoiceCodec = 'pcmu' | 'pcma';

/** How a playback runs; `onEnd` fires once when the files ran out, never after stop or replace. */
export interface PlaybackOptions {
  /** Repeat until stopped (music on hold). */
  loop: boolean;
  onEnd: () => void;
}

/** One caller's side of a call, answered and with media flowing. */
export interface CallLeg {
  /** Plays WAV files in order, replacing any playback; unreadable files are skipped. */
  play(files: string[], options: PlaybackOptions): void;
  stopPlayback(): void;
  /** Each DTMF digit the caller presses. */
  onDigit(fn: (digit: string) => void): void;
  /** The caller's audio, 8 kHz samples, one 20 ms frame at a time; returns a function that stops it. */
  onAudio(fn: (samples: Int16Array) => void): () => void;
  /** The caller hung up (not called when we hang up). */
  onHangup(fn: () => void): void;
  /** The far end put the call on hold (true) or took it off (false), e.g. by a re-INVITE. */
  onRemoteHold(fn: (held: boolean) => void): void;
  /** Whether the far end holds the call now. */
  readonly remoteHeld: boolean;
  /**
   * The far end asks to transfer the call (a SIP REFER, RFC 3515) to `target`, the user part of
   * the Refer-To URI (a queue name, an agent's SIP user or a number); the handler's outcome is
   * reported back to it. Legs that cannot be referred (browser phones) do not offer this.
   */
  onRefer?(fn: (target: string) => Promise<ReferOutcome>): void;
  /** Ends the call from our side; `reason` is told to phones that can show it (the browser softphone). */
  hangup(reason?: string): void;
  /** The leg's media, for bridging it to another leg. */
  readonly media: MediaChannel;
  /**
   * Legs whose transport can drop and come back (the browser softphone) report it here: false when
   * the far end is gone without hanging up (network lost, page closed), true when it is back. The
   * media channel stays open meanwhile, so a bridge and its recording carry on.
   */
  onLinkChange?(fn: (up: boolean) => void): void;
}

/** How a transfer the far end asked for ended, as a SIP status (200 done, 4xx-6xx refused). */
export interface ReferOutcome {
  status: number;
  reason: string;
}

/** A new answered call. */
export interface InboundCall {
  /** The signalling's call id (SIP Call-ID). */
  callId: string;
  /** The caller's number (or user part) as signalled. */
  caller: string;
  /** The dialed number. */
  dnis: string;
  leg: CallLeg;
}

/** A source of answered inbound calls (the SIP adapter). */
export interface InboundCalls {
  onCall(fn: (call: InboundCall) => void): void;
}

/** Media of one leg: an RTP port with a prompt player and a DTMF receiver. */
export interface MediaChannel {
  readonly localPort: number;
  /** Where to send RTP (from the SDP offer); the first packet received may move it (NAT). */
  setRemote(address: string, port: number): void;
  /** Switches the G.711 variant (the peer's SDP answer chose it). */
  setCodec(codec: VoiceCodec): void;
  play(files: string[], options: PlaybackOptions): void;
  stopPlayback(): void;
  onDigit(fn: (digit: string) => void): void;
  /** Sends digits as RFC 4733 events, one after the other; settles once the last one ended. */
  sendDigits(digits: string): Promise<void>;
  /** Decoded audio received; returns a function that stops it. */
  onAudio(fn: (samples: Int16Array) => void): () => void;
  /** Stops playback, closes the socket and returns the port. */
  close(): void;
}

/** What a finished recording holds besides audio (offsets in ms from its start). */
export interface RecordingSummary {
  durationMs: number;
  /** Spans written as silence. */
  pauses: { fromMs: number; toMs: number }[];
}

/**
 * Who hears whom when a third leg is mixed into a bridge: listen (the third hears both, nobody
 * hears it), whisper (the agent hears it, the caller does not), barge and conference (everyone).
 */
export type MixMode = 'listen' | 'whisper' | 'barge' | 'conference';

/** Two legs' audio joined both ways, and optionally recorded. */
export interface MediaBridge {
  /** A third leg is mixed in by `mode` (replacing any third leg); recorded on the agent's side unless listening. */
  join(third: MediaChannel, mode: MixMode): void;
  /** Changes who hears whom while a third leg is in. */
  setMixMode(mode: MixMode): void;
  /** The third leg leaves: the two legs are relayed directly again. */
  leave(): void;
  /** The mode while a third leg is in, else null. */
  readonly mixMode: MixMode | null;
  /** Writes silence instead of audio, and notes no digits, until resumed (card numbers). */
  pauseRecording(): void;
  resumeRecording(): void;
  readonly recordingPaused: boolean;
  /** Stops (false) or restarts (true) relaying audio both ways, for a hold; the recording goes on. */
  setRelay(on: boolean): void;
  /** Stops relaying and closes the recording; its summary (null when nothing was recorded). */
  stop(): RecordingSummary | null;
}

/** Opens media channels from the configured port range. */
export interface MediaChannels {
  open(codec: VoiceCodec, dtmfPayloadType: number): Promise<MediaChannel>;
  /**
   * Relays audio between two channels of this source both ways (transcoding PCMU/PCMA when they
   * differ) and records a stereo WAV at `recordPath` when given: caller left, agent right.
   */
  bridge(caller: MediaChannel, agent: MediaChannel, recordPath: string | null): MediaBridge;
}

/** How ringing an agent's phone ended. */
export type RingOutcome =
  | { kind: 'answered'; leg: CallLeg }
  /** The phone refused (486, 603, any 4xx-6xx) or could not be reached (408, 503). */
  | { kind: 'refused'; status: number }
  /**
   * We cancelled it (the signal fired): `status` is the phone's final answer, 487 for a CANCEL it
   * took, or a 2xx that crossed the CANCEL (the call was then hung up at once).
   */
  | { kind: 'cancelled'; status: number };

/** A call placed to an agent's phone. */
export interface AgentCall {
  /** The signalling's call id of the agent leg. */
  readonly callId: string;
  /** Where it went (the registered contact). */
  readonly target: string;
  /** Settles once the phone answered, refused, or the ringing was cancelled. */
  readonly outcome: Promise<RingOutcome>;
}

/** Agents' registered phones (the SIP registrar's bindings and outbound INVITEs). */
export interface AgentPhones {
  /**
   * Rings the phone registered for `username` with the caller's number as the calling party;
   * aborting `signal` cancels the ringing. Null when no phone is registered.
   */
  ring(
    username: string,
    options: { caller: string; signal: AbortSignal; onRinging: () => void },
  ): Promise<AgentCall | null>;
  /**
   * Rings the phone the agent chose, by agent: the browser softphone needs no SIP account
   * (`username` undefined), a SIP phone does. Phones that only know SIP accounts leave it out.
   */
  ringAgent?(
    agentId: string,
    username: string | undefined,
    options: { caller: string; signal: AbortSignal; onRinging: () => void },
  ): Promise<AgentCall | null>;
}
