/**
 * Playback tickets: an `<audio>` element cannot send the session's Authorization header, so the
 * player asks for a ticket (after the access check) and puts it in the audio URL. A ticket names
 * one recording and expires; it is an HMAC under a key made at start, so a restart voids them all.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export class PlaybackTickets {
  private readonly key = randomBytes(32);

  /** A ticket for `recordingId`, valid until `expiresAtMs`. */
  issue(recordingId: string, expiresAtMs: number): string {
    return `${expiresAtMs.toString(36)}.${this.sign(recordingId, expiresAtMs)}`;
  }

  /** Whether the ticket was issued here for this recording and has not expired at `nowMs`. */
  valid(ticket: string, recordingId: string, nowMs: number): boolean {
    const [exp, sig] = ticket.split('.');
    const expiresAtMs = parseInt(exp ?? '', 36);
    if (!sig || !Number.isSafeInteger(expiresAtMs) || expiresAtMs <= nowMs) return false;
    const want = Buffer.from(this.sign(recordingId, expiresAtMs));
    const got = Buffer.from(sig);
    return want.length === got.length && timingSafeEqual(want, got);
  }

  private sign(recordingId: string, expiresAtMs: number): string {
    return createHmac('sha256', this.key).update(`${recordingId}|${expiresAtMs}`).digest('base64url');
  }
}
