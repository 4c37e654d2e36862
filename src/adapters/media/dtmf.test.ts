import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  DtmfReceiver,
  buildTelephoneEvent,
  digitForEvent,
  eventForDigit,
  parseTelephoneEvent,
  planDtmf,
} from './dtmf.js';

test('telephone-event payload round trips', () => {
  fc.assert(
    fc.property(
      fc.record({
        event: fc.integer({ min: 0, max: 255 }),
        end: fc.boolean(),
        volume: fc.integer({ min: 0, max: 63 }),
        duration: fc.integer({ min: 0, max: 0xffff }),
      }),
      (e) => assert.deepEqual(parseTelephoneEvent(buildTelephoneEvent(e)), { ...e }),
    ),
  );
});

test('known payload: digit 5, end, volume 10, duration 800', () => {
  assert.deepEqual(parseTelephoneEvent(new Uint8Array([5, 0x8a, 0x03, 0x20])), {
    event: 5,
    end: true,
    volume: 10,
    duration: 800,
  });
  assert.equal(parseTelephoneEvent(new Uint8Array([5, 0x8a, 0x03])), null);
});

test('digit mapping', () => {
  assert.equal(digitForEvent(0), '0');
  assert.equal(digitForEvent(10), '*');
  assert.equal(digitForEvent(11), '#');
  assert.equal(digitForEvent(15), 'D');
  assert.equal(digitForEvent(40), null);
  assert.equal(eventForDigit('#'), 11);
  assert.equal(eventForDigit('a'), 12);
  assert.equal(eventForDigit('x'), null);
  assert.equal(eventForDigit('12'), null);
});

test('sender plan: marker first, 50 ms updates, three end packets, one timestamp', () => {
  const plan = planDtmf('7', 1000, { durationMs: 120 });
  assert.deepEqual(
    plan.map((p) => ({ at: p.atMs, m: p.marker, ts: p.timestamp, ...parseTelephoneEvent(p.payload) })),
    [
      { at: 0, m: true, ts: 1000, event: 7, end: false, volume: 10, duration: 400 },
      { at: 50, m: false, ts: 1000, event: 7, end: false, volume: 10, duration: 800 },
      { at: 100, m: false, ts: 1000, event: 7, end: false, volume: 10, duration: 960 },
      { at: 120, m: false, ts: 1000, event: 7, end: true, volume: 10, duration: 960 },
      { at: 120, m: false, ts: 1000, event: 7, end: true, volume: 10, duration: 960 },
      { at: 120, m: false, ts: 1000, event: 7, end: true, volume: 10, duration: 960 },
    ],
  );
  assert.deepEqual(planDtmf('x', 0), []);
});

test('receiver reports each planned digit exactly once, including repeats of the same digit', () => {
  const rx = new DtmfReceiver();
  const digits: string[] = [];
  let ts = 0;
  for (const d of '1223#') {
    for (const p of planDtmf(d, ts)) {
      const got = rx.push(p);
      if (got) digits.push(got);
    }
    ts += 1600;
  }
  assert.equal(digits.join(''), '1223#');
});

test('receiver survives loss, duplication and reordering of packets within events', () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...'0123456789*#'), { minLength: 1, maxLength: 8 }),
      fc.infiniteStream(fc.integer({ min: 0, max: 3 })),
      (digits, fate) => {
        const rx = new DtmfReceiver();
        const out: string[] = [];
        digits.forEach((d, i) => {
          const plan = planDtmf(d, 0xfffff000 + i * 1600); // crosses the 32-bit wrap
          // Keep at least one packet per event; otherwise drop (0), duplicate (2) or swap (3).
          let sent = 0;
          const stream: typeof plan = [];
          for (const p of plan) {
            const f = fate.next().value as number;
            if (f === 0 && sent < plan.length - 1) continue;
            stream.push(p);
            if (f === 2) stream.push(p);
            if (f === 3 && stream.length > 1) stream.push(stream.splice(stream.length - 2, 1)[0]!);
            sent++;
          }
          if (stream.length === 0) stream.push(plan[plan.length - 1]!);
          for (const p of stream) {
            const got = rx.push(p);
            if (got) out.push(got);
          }
          // A late retransmit of the previous event's end packet must not count again.
          if (i > 0)
            assert.equal(rx.push(planDtmf(digits[i - 1]!, 0xfffff000 + (i - 1) * 1600).at(-1)!), null);
        });
        assert.deepEqual(out, digits);
      },
    ),
  );
});

test('receiver ignores malformed payloads and unmapped events', () => {
  const rx = new DtmfReceiver();
  assert.equal(rx.push({ timestamp: 1, payload: new Uint8Array([1]) }), null);
  assert.equal(
    rx.push({
      timestamp: 2,
      payload: buildTelephoneEvent({ event: 70, end: false, volume: 0, duration: 0 }),
    }),
    null,
  );
});
