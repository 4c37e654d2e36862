// The dispatcher's state changes (submit results, receipts, crash clean-up) applied many at a time:
// each batch reads the messages and segments it touches once, applies every change in arrival order
// in memory (the same rules as one by one), and writes segments, messages and events with a few
// multi-row statements in one transaction. At hundreds of messages a second this replaces a dozen
// statements per message with a handful per batch. A message that ends without delivery is settled
// (billing's refund) in the same transaction.
import type { SmsReceipt, SmsSubmitResult, Store } from '../ports.js';
import type { SmsEventRecord, SmsMessageRecord, SmsSegmentRecord } from '../records.js';
import {
  isFinalMessage,
  messageStatusOf,
  segmentStatusForReceipt,
  type SegmentStatus,
} from '../../domain/sms/index.js';

/** One change to apply. */
export type StateChange =
  | { kind: 'result'; messageId: string; seq: number; result: SmsSubmitResult }
  | { kind: 'receipt'; receipt: SmsReceipt }
  | { kind: 'interrupted'; messageId: string; seq: number };

/** A message whose status changed, to publish after the batch is stored. */
export interface StatusChange {
  id: string;
  status: SmsMessageRecord['status'];
  errorCode: number | null;
  segments: number;
}

const key = (messageId: string, seq: number) => `${messageId}:${seq}`;

export interface StateBatchOptions {
  now: Date;
  retryDelayMs: number;
  unknownReceipt: (smscMessageKey: string | undefined) => void;
  /** Called in the transaction once a message is final without delivery; answers the refund. */
  onUndelivered?: (tx: Store, messageId: string) => Promise<number>;
}

/** Applies `changes` in one transaction; answers the message status changes to publish. */
export function applyStateChanges(
  store: Store,
  changes: readonly StateChange[],
  o: StateBatchOptions,
): Promise<StatusChange[]> {
  return store.transaction((tx) => applyStateChangesIn(tx, changes, o));
}

/** `applyStateChanges` inside a transaction the caller holds (`tx`). */
export async function applyStateChangesIn(
  tx: Store,
  changes: readonly StateChange[],
  o: StateBatchOptions,
): Promise<StatusChange[]> {
  // Where each change lands: receipts by our reference, else by the SMSC's id (one look-up each).
  const targets: ({ messageId: string; seq: number } | undefined)[] = [];
  for (const c of changes) {
    if (c.kind !== 'receipt') {
      targets.push({ messageId: c.messageId, seq: c.seq });
      continue;
    }
    const [messageId, seqText] = c.receipt.reference?.split(':') ?? [];
    if (messageId && seqText) targets.push({ messageId, seq: Number(seqText) });
    else if (c.receipt.smscMessageKey) {
      const s = await tx.sms.segmentBySmscKey(c.receipt.smscMessageKey);
      targets.push(s && { messageId: s.messageId, seq: s.seq });
    } else targets.push(undefined);
  }
  const ids = [...new Set(targets.flatMap((t) => (t ? [t.messageId] : [])))];
  const [messageRows, segmentRows] = await Promise.all([tx.sms.messageStates(ids), tx.sms.segmentsOf(ids)]);
  const messages = new Map(messageRows.map((m) => [m.id, m]));
  const segments = new Map(segmentRows.map((s) => [key(s.messageId, s.seq), s]));
  const byMessage = new Map<string, SmsSegmentRecord[]>();
  for (const s of segmentRows) byMessage.set(s.messageId, [...(byMessage.get(s.messageId) ?? []), s]);

  const changedSegments = new Set<string>();
  const changedMessages = new Set<string>();
  const events: Omit<SmsEventRecord, 'id'>[] = [];
  const published = new Map<string, StatusChange>();
  const undelivered = new Set<string>();
  const now = o.now;

  /** Patches a segment if its status allows, logs the event and rolls the message up. */
  const setSegment = (
    seg: SmsSegmentRecord,
    patch: Partial<SmsSegmentRecord>,
    eventType: string,
    details: Record<string, unknown>,
    onlyIf: readonly SegmentStatus[],
  ): boolean => {
    if (!onlyIf.includes(seg.status)) return false;
    Object.assign(seg, patch);
    changedSegments.add(key(seg.messageId, seg.seq));
    events.push({ messageId: seg.messageId, at: now, type: eventType, details });
    const message = messages.get(seg.messageId);
    if (!message) return true;
    const all = byMessage.get(seg.messageId) ?? [];
    const status = messageStatusOf(all.map((s) => s.status));
    if (status === message.status || isFinalMessage(message.status)) return true;
    Object.assign(message, {
      status,
      updatedAt: now,
      errorCode: all.find((s) => s.errorCode !== null)?.errorCode ?? null,
      ...(status === 'submitted' && !message.submittedAt ? { submittedAt: now } : {}),
      ...(isFinalMessage(status) || status === 'uncertain' ? { doneAt: now } : {}),
    });
    changedMessages.add(message.id);
    events.push({ messageId: message.id, at: now, type: status, details: null });
    if (isFinalMessage(status) && status !== 'delivered') undelivered.add(message.id);
    published.set(message.id, {
      id: message.id,
      status: message.status,
      errorCode: message.errorCode,
      segments: message.segments,
    });
    return true;
  };

  changes.forEach((c, i) => {
    const target = targets[i];
    const seg = target && segments.get(key(target.messageId, target.seq));
    if (!seg) {
      if (c.kind === 'receipt') o.unknownReceipt(c.receipt.smscMessageKey);
      return;
    }
    const seq = seg.seq;
    if (c.kind === 'interrupted') {
      // It may have reached the SMSC: sending it again could deliver it twice.
      setSegment(seg, { status: 'uncertain' }, 'uncertain', { seq, reason: 'interrupted while submitting' }, [
        'submitting',
      ]);
      return;
    }
    if (c.kind === 'receipt') {
      const r = c.receipt;
      const status = r.final ? segmentStatusForReceipt(r.state) : undefined;
      if (!status) return;
      const errorCode = status === 'delivered' ? null : r.errorCode;
      // A repeated receipt finds the segment final already and changes nothing.
      setSegment(seg, { status, errorCode, doneAt: now }, `receipt:${r.state}`, { seq, errorCode }, [
        'queued',
        'submitting',
        'submitted',
        'uncertain',
      ]);
      return;
    }
    const result = c.result;
    const route = result.route ?? null;
    switch (result.status) {
      case 'accepted':
        // The ids are kept even when a receipt already settled the segment (it overtook this answer).
        seg.smscMessageId = result.smscMessageId;
        seg.smscMessageKey = result.smscMessageKey;
        seg.route = route;
        changedSegments.add(key(seg.messageId, seq));
        if (!setSegment(seg, { status: 'submitted' }, 'submitted', { seq, route }, ['submitting'])) {
          // The receipt came first and settled the segment; the submit still happened and the
          // message's history shows it.
          events.push({
            messageId: seg.messageId,
            at: now,
            type: 'submitted',
            details: { seq, route, afterReceipt: true },
          });
        }
        return;
      case 'retry': {
        if (seg.status !== 'submitting') return;
        seg.status = 'queued';
        changedSegments.add(key(seg.messageId, seq));
        const message = messages.get(seg.messageId);
        if (message) {
          message.nextAttemptAt = new Date(now.getTime() + o.retryDelayMs);
          message.updatedAt = now;
          changedMessages.add(message.id);
        }
        events.push({
          messageId: seg.messageId,
          at: now,
          type: 'retry',
          details: { seq, reason: result.reason },
        });
        return;
      }
      case 'failed':
        setSegment(
          seg,
          { status: 'failed', errorCode: result.errorCode, doneAt: now, route },
          'failed',
          { seq, errorCode: result.errorCode, route },
          ['submitting'],
        );
        return;
      case 'timeout':
        setSegment(seg, { status: 'uncertain', route }, 'uncertain', { seq, reason: result.reason, route }, [
          'submitting',
        ]);
        return;
    }
  });

  await tx.sms.saveSegments([...changedSegments].map((k) => segments.get(k)!));
  await tx.sms.saveMessages([...changedMessages].map((id) => messages.get(id)!));
  await tx.sms.appendEvents(events);
  // After the writes above: the refund reads the segments and receipts as they now are.
  if (o.onUndelivered) {
    const refunds: Omit<SmsEventRecord, 'id'>[] = [];
    for (const id of undelivered) {
      const amount = await o.onUndelivered(tx, id);
      if (amount) refunds.push({ messageId: id, at: now, type: 'refunded', details: { amount } });
    }
    await tx.sms.appendEvents(refunds);
  }
  return [...published.values()];
}
