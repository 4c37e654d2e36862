import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { serializeSipMessage, SipSerializeError } from './serializer.js';
import { parseSipMessage } from './parser.js';
import { headerValues, type SipMessage, type SipRequest, type SipResponse } from './message.js';

const base: SipResponse = {
  kind: 'response',
  version: 'SIP/2.0',
  status: 200,
  reason: 'OK',
  headers: [
    { name: 'Via', value: 'SIP/2.0/UDP pc33.example.com;branch=z9hG4bKnashds8;received=192.0.2.1' },
    { name: 'To', value: '<sip:bob@example.com>;tag=a6c85cf' },
    { name: 'From', value: '<sip:alice@example.com>;tag=1928301774' },
    { name: 'Call-ID', value: 'a84b4c76e66710' },
    { name: 'CSeq', value: '314159 INVITE' },
  ],
  body: Buffer.alloc(0),
};

test('writes the start line, headers, the empty line and the body', () => {
  const text = serializeSipMessage({ ...base, body: Buffer.from('v=0\r\n') }).toString();
  assert.equal(
    text,
    'SIP/2.0 200 OK\r\n' +
      base.headers.map((h) => `${h.name}: ${h.value}\r\n`).join('') +
      'Content-Length: 5\r\n\r\nv=0\r\n',
  );
});

test('Content-Length always tells the real body size, in place of the first one given', () => {
  const m: SipResponse = {
    ...base,
    headers: [
      ...base.headers.slice(0, 2),
      { name: 'Content-Length', value: '999' },
      ...base.headers.slice(2),
      { name: 'l', value: '1' },
    ],
    body: Buffer.from([0, 255, 13, 10]),
  };
  const out = serializeSipMessage(m);
  const r = parseSipMessage(out, { transport: 'stream' });
  assert.ok(r.ok);
  assert.deepEqual(headerValues(r.message, 'Content-Length'), ['4']);
  assert.equal(r.message.headers[2]!.name, 'Content-Length');
  assert.deepEqual(r.message.body, m.body);
});

test('line breaks in values cannot forge header lines', () => {
  const m: SipResponse = {
    ...base,
    reason: 'OK\r\nVia: evil',
    headers: [...base.headers, { name: 'Subject', value: 'hi\r\nVia: SIP/2.0/UDP evil.example.com\r\n\r\n' }],
  };
  const r = parseSipMessage(serializeSipMessage(m), { transport: 'stream' });
  assert.ok(r.ok);
  assert.equal(headerValues(r.message, 'Via').length, 1);
  assert.equal(headerValues(r.message, 'Subject')[0], 'hi Via: SIP/2.0/UDP evil.example.com');
});

test('a method, header name, Request-URI or status that cannot be written throws SipSerializeError', () => {
  const request: SipRequest = { ...base, kind: 'request', method: 'INVITE', uri: 'sip:bob@example.com' };
  assert.throws(() => serializeSipMessage({ ...request, method: 'IN VITE' }), SipSerializeError);
  assert.throws(
    () => serializeSipMessage({ ...request, uri: 'sip:bob@example.com SIP/2.0\r\n' }),
    SipSerializeError,
  );
  assert.throws(
    () => serializeSipMessage({ ...base, headers: [{ name: 'X-Bad:', value: '1' }] }),
    SipSerializeError,
  );
  assert.throws(() => serializeSipMessage({ ...base, status: 1000 }), SipSerializeError);
});

const token = fc.stringMatching(/^[A-Za-z0-9\-.!%*_+`'~]{1,12}$/);
// Values as parsing leaves them: trimmed, no line breaks, any other text (UTF-8 included).
const headerText = fc.string({ maxLength: 40, unit: 'grapheme' }).map((s) =>
  [...s]
    .map((ch) => (ch.charCodeAt(0) < 32 || ch === '\u007f' ? 'x' : ch))
    .join('')
    .replace(/^ +| +$/g, ''),
);
const headers = fc.array(
  // X- names: a known header would be parsed structurally and its random value refused.
  fc.record({ name: token.map((t) => `X-${t}`), value: headerText }),
  { maxLength: 8 },
);
const arbitraryMessage: fc.Arbitrary<SipMessage> = fc.oneof(
  fc.record({
    kind: fc.constant('request' as const),
    method: token,
    uri: fc.constantFrom('sip:bob@example.com', 'sips:[2001:db8::1]:5061;transport=tls', 'tel:+15551234567'),
    version: fc.constant('SIP/2.0'),
    headers,
    body: fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
  }),
  fc.record({
    kind: fc.constant('response' as const),
    status: fc.integer({ min: 100, max: 699 }),
    reason: headerText,
    version: fc.constant('SIP/2.0'),
    headers,
    body: fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
  }),
);

test('property: parse(serialize(m)) gives m back, plus the Content-Length it adds', () => {
  fc.assert(
    fc.property(arbitraryMessage, (m) => {
      const r = parseSipMessage(serializeSipMessage(m), { transport: 'stream' });
      assert.ok(r.ok, r.ok ? '' : r.error.reason);
      const expected = {
        ...m,
        headers: [
          ...m.headers.map((h) => ({ ...h })),
          { name: 'Content-Length', value: String(m.body.length) },
        ],
      };
      assert.deepEqual({ ...r.message }, expected);
    }),
    { numRuns: 500 },
  );
});
