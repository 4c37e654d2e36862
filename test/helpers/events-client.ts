import WebSocket from 'ws';

export interface StreamMessage {
  id?: number;
  type: string;
  at?: number;
  data?: any;
  [k: string]: unknown;
}

/** A WebSocket client on /api/events that collects messages and waits for the ones a test expects. */
export class EventsClient {
  readonly messages: StreamMessage[] = [];
  private waiters: { pred: (m: StreamMessage) => boolean; resolve: (m: StreamMessage) => void }[] = [];

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      const m = JSON.parse(Buffer.isBuffer(raw) ? raw.toString('utf8') : '{}') as StreamMessage;
      this.messages.push(m);
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred(m)) return true;
        w.resolve(m);
        return false;
      });
    });
  }

  static async connect(baseUrl: string, token: string, since?: number): Promise<EventsClient> {
    const url = `${baseUrl.replace(/^http/, 'ws')}/api/events?token=${encodeURIComponent(token)}${since === undefined ? '' : `&since=${since}`}`;
    const ws = new WebSocket(url);
    const client = new EventsClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    await client.next((m) => m.type === 'hello');
    return client;
  }

  /** The first message (already received or coming) that matches, within `timeoutMs`. */
  next(pred: (m: StreamMessage) => boolean, timeoutMs = 5000): Promise<StreamMessage> {
    const seen = this.messages.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for an event')), timeoutMs);
      this.waiters.push({
        pred,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  lastId(): number {
    return Math.max(0, ...this.messages.map((m) => m.id ?? 0));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}
