// The WebhookClient port over the global fetch: a time-out per request (AbortSignal.timeout), a
// bounded answer, and every failure as a short reason instead of an exception.
import type { WebhookAnswer, WebhookClient, WebhookRequest } from '../../services/calls/lookups.js';

/** Larger answers are refused: an IVR needs a few fields, not a document. */
const MAX_ANSWER_BYTES = 256 * 1024;

/**
 * Calls IVR lookup webhooks.
 * @example await new FetchWebhookClient().request({ url: 'https://crm.example/balance', method: 'GET', params: { account: '42' }, timeoutMs: 3000 })
 */
export class FetchWebhookClient implements WebhookClient {
  constructor(private readonly userAgent = 'Hotline-IVR') {}

  async request(r: WebhookRequest): Promise<WebhookAnswer> {
    let url: URL;
    try {
      url = new URL(r.url);
    } catch {
      return { ok: false, error: 'bad_url' };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, error: 'bad_url' };
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.userAgent };
    let body: string | undefined;
    if (r.method === 'GET') for (const [k, v] of Object.entries(r.params)) url.searchParams.append(k, v);
    else {
      body = JSON.stringify(r.params);
      headers['content-type'] = 'application/json';
    }
    try {
      const res = await fetch(url, {
        method: r.method,
        headers,
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(r.timeoutMs),
      });
      if (!res.ok) {
        await res.body?.cancel();
        return { ok: false, error: `http_${res.status}` };
      }
      const text = await res.text();
      if (text.length > MAX_ANSWER_BYTES) return { ok: false, error: 'answer_too_large' };
      try {
        return { ok: true, data: JSON.parse(text) as unknown };
      } catch {
        return { ok: false, error: 'bad_response' };
      }
    } catch (err) {
      const name = (err as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') return { ok: false, error: 'timeout' };
      return { ok: false, error: 'unreachable' };
    }
  }
}
