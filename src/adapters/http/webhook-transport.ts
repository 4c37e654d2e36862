// The WebhookTransport port over Node's fetch: one POST with a time-out, the status as the answer.
import type { WebhookTransport } from '../../services/sms/mo-ports.js';

/** Posts webhook bodies; redirects are not followed (a push goes to the configured URL only). */
export const fetchWebhookTransport: WebhookTransport = {
  async post(url, body, headers, timeoutMs) {
    const res = await fetch(url, {
      method: 'POST',
      body,
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // The body is not needed; reading it lets the connection be reused.
    await res.arrayBuffer().catch(() => undefined);
    return res.status;
  },
};
