import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DLR_MASK, readDeliveryReport, readSendsmsAnswer, sendsmsQuery } from './sendsms.js';
import { encodeGsm7 } from '../../domain/sms/gsm7.js';

const account = { username: 'u', password: 'p w', smsc: 'sim' };

test('GSM-7 goes as UTF-8 text; UCS-2 and the UDH as raw octets', () => {
  const gsm = new URLSearchParams(
    sendsmsQuery(
      {
        source: 'Hotline',
        destination: '+12025550143',
        dataCoding: 0,
        udh: null,
        shortMessage: encodeGsm7('€5 @ 10'),
        reference: 'm:1',
      },
      account,
      'http://h/dlr?ref=m%3A1&status=%d',
    ),
  );
  assert.equal(gsm.get('text'), '€5 @ 10');
  assert.equal(gsm.get('coding'), '0');
  assert.equal(gsm.get('password'), 'p w');
  assert.equal(gsm.get('smsc'), 'sim');
  assert.equal(gsm.get('dlr-mask'), String(DLR_MASK));
  assert.equal(gsm.get('dlr-url'), 'http://h/dlr?ref=m%3A1&status=%d');
  const ucs2 = sendsmsQuery(
    {
      source: 'Hotline',
      destination: '+1',
      dataCoding: 8,
      udh: Uint8Array.of(5, 0, 3, 7, 2, 1),
      shortMessage: Uint8Array.of(0x60, 0xa8),
      reference: 'm:1',
    },
    account,
    null,
  );
  assert.match(ucs2, /text=%60%A8/);
  assert.match(ucs2, /udh=%05%00%03%07%02%01/);
  assert.match(ucs2, /coding=2/);
  assert.doesNotMatch(ucs2, /dlr-url/);
});

test("Kannel's answers: accepted, queued, route down, refused", () => {
  assert.deepEqual(readSendsmsAnswer(202, '0: Accepted for delivery'), { kind: 'accepted', queued: false });
  assert.deepEqual(readSendsmsAnswer(202, '3: Queued for later delivery'), {
    kind: 'accepted',
    queued: true,
  });
  assert.equal(readSendsmsAnswer(403, 'Authorization failed for sendsms').kind, 'down');
  assert.equal(readSendsmsAnswer(503, 'Sending failed.').kind, 'down');
  assert.deepEqual(readSendsmsAnswer(400, 'Missing receiver number'), {
    kind: 'refused',
    status: 400,
    reason: 'Missing receiver number',
  });
});

test('delivery reports: %d to a receipt state, err from %A', () => {
  assert.deepEqual(readDeliveryReport({ ref: 'abc:1', status: '1', answer: 'id:1 stat:DELIVRD err:000' }), {
    reference: 'abc:1',
    state: 'delivered',
    final: true,
    errorCode: null,
  });
  assert.deepEqual(readDeliveryReport({ ref: 'abc:2', status: '2', answer: 'id:1 stat:UNDELIV err:001' }), {
    reference: 'abc:2',
    state: 'undeliverable',
    final: true,
    errorCode: 1,
  });
  assert.equal(
    readDeliveryReport({ ref: 'abc:2', status: '16', answer: 'NACK/0x45/Submit failed' })?.errorCode,
    0x45,
  );
  assert.equal(readDeliveryReport({ ref: 'abc:2', status: '8' })?.final, false);
  assert.equal(readDeliveryReport({ status: '1' }), undefined);
  assert.equal(readDeliveryReport({ ref: 'abc:1', status: '%d' }), undefined);
});
