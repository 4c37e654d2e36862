import { createHash, randomBytes } from 'node:crypto';

/** A new random bearer secret (256 bits, base64url) with a readable prefix. */
export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** Tokens are stored only as their SHA-256: a stolen database gives no working token. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
