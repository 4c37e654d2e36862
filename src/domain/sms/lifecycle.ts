/**
 * The outbound SMS lifecycle in one place: message and segment states, which are final, how a
 * message's state follows from its segments, and the priority of each message type. Pure.
 */

/** Kinds of outbound message; the kind sets the priority in the outbox. */
export const SMS_TYPES = ['notification', 'alarm', 'otp', 'marketing', 'dispatch'] as const;
export type SmsType = (typeof SMS_TYPES)[number];

/** Higher goes first: an alarm or a one-time password must not wait behind a campaign. */
export const SMS_PRIORITY: Readonly<Record<SmsType, number>> = {
  alarm: 9,
  otp: 8,
  dispatch: 6,
  notification: 4,
  marketing: 1,
};

/**
 * accepted → queued → submitted → delivered | failed | expired | rejected | uncertain; a queued
 * message may also be cancelled (before any part was submitted: by POST /api/sms/{id}/cancel, or
 * because its campaign was cancelled) or expire unsent (validUntil).
 */
export const SMS_STATUSES = [
  'accepted',
  'queued',
  'submitted',
  'delivered',
  'failed',
  'expired',
  'rejected',
  'uncertain',
  'cancelled',
] as const;
export type SmsStatus = (typeof SMS_STATUSES)[number];

/**
 * A segment is 'submitting' from just before submit_sm until the answer is stored; one found so
 * after a restart may or may not have reached the SMSC and becomes 'uncertain' — never resent.
 */
export type SegmentStatus =
  'queued' | 'submitting' | 'submitted' | 'delivered' | 'failed' | 'expired' | 'uncertain';

const FINAL_SEGMENT: ReadonlySet<SegmentStatus> = new Set(['delivered', 'failed', 'expired']);
const FINAL_MESSAGE: ReadonlySet<SmsStatus> = new Set([
  'delivered',
  'failed',
  'expired',
  'rejected',
  'cancelled',
]);

/** No receipt or late answer changes a segment in a final state. */
export function isFinalSegment(s: SegmentStatus): boolean {
  return FINAL_SEGMENT.has(s);
}

/** No further change is expected for a message in a final state. */
export function isFinalMessage(s: SmsStatus): boolean {
  return FINAL_MESSAGE.has(s);
}

/**
 * A message's state from its segments: failed if any failed, expired if any expired, delivered
 * when all are, queued while any still waits for its submit, uncertain when one will never be
 * known, else submitted.
 * @example messageStatusOf(['delivered', 'submitted']) // 'submitted'
 */
export function messageStatusOf(segments: readonly SegmentStatus[]): SmsStatus {
  if (segments.length === 0) return 'queued';
  if (segments.includes('failed')) return 'failed';
  if (segments.includes('expired')) return 'expired';
  if (segments.every((s) => s === 'delivered')) return 'delivered';
  if (segments.some((s) => s === 'queued' || s === 'submitting')) return 'queued';
  if (segments.includes('submitted')) return 'submitted';
  return 'uncertain';
}

/** What a delivery receipt's state means for its segment; undefined = not final yet, nothing to do. */
export function segmentStatusForReceipt(state: string): SegmentStatus | undefined {
  switch (state) {
    case 'delivered':
      return 'delivered';
    case 'undeliverable':
    case 'rejected':
    case 'deleted':
    case 'unknown':
      return 'failed';
    case 'expired':
      return 'expired';
    default:
      return undefined;
  }
}
