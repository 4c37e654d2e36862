import type { StreamEvent } from './types';

type Listener = (e: StreamEvent) => void;

/**
 * The live event stream (/api/events). Reconnects after a drop and resumes from the last event id it
 * saw, so nothing is missed; when the server says "resync" the views reload their snapshot.
 */
export class EventStream {
  private ws: WebSocket | null = null;
  private lastId: number | null = null;
  private readonly listeners = new Set<Listener>();
  private readonly statusListeners = new Set<(live: boolean) => void>();
  private retryMs = 500;
  private retryTimer: number | undefined;
  private closed = false;
  live = false;

  constructor(private readonly token: string) {
    this.connect();
  }

  private connect(): void {
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    const since = this.lastId === null ? '' : `&since=${this.lastId}`;
    const ws = new WebSocket(
      `${proto}://${location.host}/api/events?token=${encodeURIComponent(this.token)}${since}`,
    );
    this.ws = ws;
    ws.onmessage = (m) => {
      const e = JSON.parse(String(m.data)) as StreamEvent & { lastId?: number };
      if (e.type === 'hello') {
        // A first connection starts at "now"; a resumed one already asked for what it missed.
        if (this.lastId === null) this.lastId = e.lastId ?? 0;
        this.retryMs = 500;
        this.setLive(true);
      }
      if (typeof e.id === 'number') this.lastId = e.id;
      for (const l of this.listeners) l(e);
    };
    ws.onclose = () => {
      this.setLive(false);
      if (this.closed) return;
      this.retryTimer = window.setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 10_000);
    };
  }

  private setLive(live: boolean): void {
    this.live = live;
    for (const l of this.statusListeners) l(live);
  }

  /** Sends a message to the server (the softphone's signalling); false while disconnected. */
  send(message: unknown): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  /** Calls `fn` for every event; answers the unsubscribe function. */
  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  onStatus(fn: (live: boolean) => void): () => void {
    this.statusListeners.add(fn);
    return () => this.statusListeners.delete(fn);
  }

  close(): void {
    this.closed = true;
    window.clearTimeout(this.retryTimer);
    this.ws?.close();
  }
}
