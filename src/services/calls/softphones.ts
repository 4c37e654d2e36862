/**
 * The browser softphone's side of call control: which phone each agent chose for this login
 * (kept in memory, SIP by default), the agents' open event streams that carry WebRTC signalling,
 * and an AgentPhones that rings whichever phone the agent chose.
 */
import type { AgentCall, AgentPhones } from './ports.js';

/** The kinds of phone an agent can take calls on. */
export type PhoneKind = 'browser' | 'sip';

/** A signalling message from an agent's browser (over the events WebSocket). */
export type SoftphoneMessage =
  /** `offerId`: which offer of a call this answers (a call offered again has a new one). */
  | { type: 'webrtc.answer'; callId: string; sdp: string; offerId?: string }
  | { type: 'webrtc.ringing'; callId: string }
  | { type: 'webrtc.reject'; callId: string }
  | { type: 'webrtc.hangup'; callId: string }
  /** The page holds the call (its microphone was unplugged) or takes the hold off. */
  | { type: 'webrtc.hold'; callId: string; held: boolean }
  /**
   * The page is ready for calls: offer again any call whose browser leg was lost. `callId`: the
   * call the page still shows, answered with webrtc.hangup when it is over.
   */
  | { type: 'webrtc.resume'; callId?: string }
  /** Internal: the agent's last event stream closed. */
  | { type: 'webrtc.gone' };

/** A message to an agent's browser. */
export type BrowserSignal =
  /**
   * `resume`: a call the agent is already on, offered again after its connection was lost; its
   * `offerId` goes back in the answer.
   */
  | {
      type: 'webrtc.offer';
      callId: string;
      sdp: string;
      caller: string;
      resume?: boolean;
      offerId?: string;
    }
  | { type: 'webrtc.hangup'; callId: string; reason: string };

/** What the WebRTC adapter needs: send to an agent's browsers and hear back from them. */
export interface SoftphoneSignals {
  /** Sends to every open event stream of the agent; false when there is none. */
  send(agentId: string, signal: BrowserSignal): boolean;
  onMessage(fn: (agentId: string, message: SoftphoneMessage) => void): void;
}

/** Phone choices and browser signalling for agents; see the file comment. */
export class Softphones implements SoftphoneSignals {
  private readonly kinds = new Map<string, PhoneKind>();
  private readonly streams = new Map<string, Set<(text: string) => void>>();
  private readonly listeners: ((agentId: string, message: SoftphoneMessage) => void)[] = [];

  /** The agent's phone for this login. */
  kindOf(agentId: string): PhoneKind {
    return this.kinds.get(agentId) ?? 'sip';
  }

  choose(agentId: string, kind: PhoneKind): void {
    if (kind === 'sip') this.kinds.delete(agentId);
    else this.kinds.set(agentId, kind);
  }

  /** An agent's event stream opened; returns the function to call when it closes. */
  attach(agentId: string, send: (text: string) => void): () => void {
    let set = this.streams.get(agentId);
    if (set === undefined) {
      set = new Set();
      this.streams.set(agentId, set);
    }
    set.add(send);
    return () => {
      set.delete(send);
      if (set.size > 0) return;
      this.streams.delete(agentId);
      this.deliver(agentId, { type: 'webrtc.gone' });
    };
  }

  /** A message from an agent's browser; anything not a known signal is ignored. */
  receive(agentId: string, raw: unknown): void {
    const m = parseMessage(raw);
    if (m !== null) this.deliver(agentId, m);
  }

  send(agentId: string, signal: BrowserSignal): boolean {
    const set = this.streams.get(agentId);
    if (set === undefined || set.size === 0) return false;
    const text = JSON.stringify(signal);
    for (const send of set) send(text);
    return true;
  }

  onMessage(fn: (agentId: string, message: SoftphoneMessage) => void): void {
    this.listeners.push(fn);
  }

  private deliver(agentId: string, m: SoftphoneMessage): void {
    for (const fn of this.listeners) fn(agentId, m);
  }
}

function parseMessage(raw: unknown): SoftphoneMessage | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const m = raw as Record<string, unknown>;
  const callId = typeof m.callId === 'string' && m.callId.length <= 100 ? m.callId : null;
  if (m.type === 'webrtc.resume') return callId === null ? { type: m.type } : { type: m.type, callId };
  if (callId === null) return null;
  switch (m.type) {
    case 'webrtc.answer':
      if (typeof m.sdp !== 'string' || m.sdp.length >= 20_000) return null;
      return typeof m.offerId === 'string' && m.offerId.length <= 100
        ? { type: 'webrtc.answer', callId, sdp: m.sdp, offerId: m.offerId }
        : { type: 'webrtc.answer', callId, sdp: m.sdp };
    case 'webrtc.hold':
      return typeof m.held === 'boolean' ? { type: 'webrtc.hold', callId, held: m.held } : null;
    case 'webrtc.ringing':
    case 'webrtc.reject':
    case 'webrtc.hangup':
      return { type: m.type, callId };
    default:
      return null;
  }
}

/** The browser phone's ringing, addressed by agent. */
export interface BrowserPhones {
  ring(agentId: string, options: Parameters<AgentPhones['ring']>[1]): Promise<AgentCall | null>;
}

/**
 * Rings the phone each agent chose: the browser softphone, or the SIP phone registered for the
 * agent's SIP account (the default).
 */
export class ChoosingAgentPhones implements AgentPhones {
  constructor(
    private readonly sip: AgentPhones,
    private readonly browser: BrowserPhones,
    private readonly softphones: Softphones,
    private readonly agentOf: (username: string) => Promise<string | undefined>,
  ) {}

  async ring(username: string, options: Parameters<AgentPhones['ring']>[1]): Promise<AgentCall | null> {
    const agentId = await this.agentOf(username);
    if (agentId !== undefined && this.softphones.kindOf(agentId) === 'browser') {
      return this.browser.ring(agentId, options);
    }
    return this.sip.ring(username, options);
  }

  /** By agent: the browser softphone needs no SIP account; the SIP phone does. */
  ringAgent(
    agentId: string,
    username: string | undefined,
    options: Parameters<AgentPhones['ring']>[1],
  ): Promise<AgentCall | null> {
    if (this.softphones.kindOf(agentId) === 'browser') return this.browser.ring(agentId, options);
    return username === undefined ? Promise.resolve(null) : this.sip.ring(username, options);
  }
}
