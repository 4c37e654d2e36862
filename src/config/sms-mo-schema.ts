import { Type } from '@sinclair/typebox';

/** sms.inbound: what happens to mobile-originated messages. */
export const SmsInboundConfig = Type.Object(
  {
    /** Queue (id or name) for SMS conversations; null = free text is stored and published only. */
    queue: Type.Union([Type.String({ minLength: 1 }), Type.Null()], { default: null }),
    /** The same text from the same number (and concatenation reference) again within this is a re-delivery. */
    duplicateWindowSec: Type.Integer({ minimum: 0, default: 120 }),
    /** Parts of a concatenated message whose siblings do not come within this are dropped. */
    partTimeoutSec: Type.Integer({ minimum: 60, default: 86400 }),
  },
  { additionalProperties: false, default: {} },
);

/** sms.webhook: receipts and MO pushed to one URL, signed. */
export const SmsWebhookConfig = Type.Union(
  [
    Type.Object(
      {
        url: Type.String({ pattern: '^https?://' }),
        /** HMAC-SHA256 key of X-Hotline-Signature. */
        secret: Type.String({ minLength: 16 }),
        timeoutMs: Type.Integer({ minimum: 100, default: 5000 }),
        /** After this many failed attempts a push is given up (status failed). */
        maxAttempts: Type.Integer({ minimum: 1, default: 12 }),
        /** First retry delay; doubles each attempt up to retryMaxMs. */
        retryBaseMs: Type.Integer({ minimum: 10, default: 2000 }),
        retryMaxMs: Type.Integer({ minimum: 10, default: 3600000 }),
      },
      { additionalProperties: false },
    ),
    Type.Null(),
  ],
  { default: null },
);
