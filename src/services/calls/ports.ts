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
  /** Ends the call from our side. */
  hangup(): void;
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
  play(files: string[], options: PlaybackOptions): void;
  stopPlayback(): void;
  onDigit(fn: (digit: string) => void): void;
  /** Decoded audio received; returns a function that stops it. */
  onAudio(fn: (samples: Int16Array) => void): () => void;
  /** Stops playback, closes the socket and returns the port. */
  close(): void;
}

/** Opens media channels from the configured port range. */
export interface MediaChannels {
  open(codec: VoiceCodec, dtmfPayloadType: number): Promise<MediaChannel>;
}
