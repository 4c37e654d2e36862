import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SipStreamFramer } from './framer.js';
import { parseSipMessage } from './parser.js';

function message(
  body: string,
  lengthHeader = `Content-Length: ${Buffer.byteLength(body)}`,
  eol = '\r\n',
): Buffer {
  const head = [
    'MESSAGE sip:bob@example.com SIP/2.0',
    'Via: SIP/2.0/TCP pc33.example.com;branch=z9hG4bKnashds8',
    'Max-Forwards: 70',
    'To: <sip:bob@example.com>',
    'From: <sip:alice@example.com>;tag=1928301774',
    'Call-ID: a84b4c76e66710@pc33.example.com',
    'CSeq: 1 MESSAGE',
    'Content-Type: text/plain',
    lengthHeader,
    '',
    '',
  ].join(eol);
  return Buffer.from(head + body);
}

function pushAll(framer: SipStreamFramer, chunks: Buffer[]) {
  const messages: Buffer[] = [];
  let keepAlives = 0;
  for (const c of chunks) {
    const out = framer.push(c);
    assert.equal(out.error, undefined, out.error?.reason);
    messages.push(...out.messages);
    keepAlives += out.keepAlives;
  }
  return { messages, keepAlives };
}

test('a whole message in one chunk comes out whole, and parses as a stream message', () => {
  const m = message('hello');
  const out = new SipStreamFramer().push(m);
  assert.deepEqual(out, { messages: [m], keepAlives: 0 });
  assert.ok(parseSipMessage(out.messages[0]!, { transport: 'stream' }).ok);
});

test('byte-by-byte delivery yields the same messages', () => {
  const stream = Buffer.concat([message('one'), message('two\r\n\r\nstill two'), message('')]);
  const framer = new SipStreamFramer();
  const { messages } = pushAll(
    framer,
    [...stream].map((b) => Buffer.from([b])),
  );
  assert.deepEqual(
    messages.map(String),
    [message('one'), message('two\r\n\r\nstill two'), message('')].map(String),
  );
  assert.equal(framer.buffered, 0);
});

test('several messages and a partial one in a chunk; the rest completes later', () => {
  const a = message('a');
  const b = message('bbbb');
  const both = Buffer.concat([a, b]);
  const framer = new SipStreamFramer();
  const first = framer.push(both.subarray(0, a.length + 10));
  assert.deepEqual(first.messages, [a]);
  assert.equal(framer.buffered, 10);
  assert.deepEqual(framer.push(both.subarray(a.length + 10)).messages, [b]);
});

test('CRLF keep-alives between messages are skipped; each CRLFCRLF counts as a ping', () => {
  const framer = new SipStreamFramer();
  const { messages, keepAlives } = pushAll(framer, [
    Buffer.from('\r\n\r\n'),
    Buffer.from('\r\n'),
    Buffer.from('\r\n'),
    message('x'),
    Buffer.from('\r\n'), // a stray terminator after a message is not a ping
    message('y'),
  ]);
  assert.equal(keepAlives, 2);
  assert.deepEqual(messages.map(String), [message('x'), message('y')].map(String));
});

test('a folded or compact Content-Length frames as well as a plain one; bare LF lines too', () => {
  assert.deepEqual(new SipStreamFramer().push(message('abc', 'l: 3')).messages.length, 1);
  assert.deepEqual(new SipStreamFramer().push(message('abc', 'Content-Length:\r\n 3')).messages.length, 1);
  const lf = message('abc', 'Content-Length: 3', '\n');
  assert.deepEqual(new SipStreamFramer().push(lf).messages, [lf]);
});

test('without Content-Length the body is taken as empty; the parser then refuses it', () => {
  const m = Buffer.from(message('', 'X-No-Length: 1'));
  const out = new SipStreamFramer().push(m);
  assert.equal(out.messages.length, 1);
  const r = parseSipMessage(out.messages[0]!, { transport: 'stream' });
  assert.ok(!r.ok && r.error.code === 400 && r.action === 'respond');
});

test('an unusable Content-Length stops the framer with 400 and the header bytes to answer from', () => {
  for (const bad of ['Content-Length: -999', 'Content-Length: abc', 'Content-Length: 5\r\nl: 6']) {
    const framer = new SipStreamFramer();
    const out = framer.push(message('hello', bad));
    assert.equal(out.messages.length, 0);
    assert.equal(out.error?.code, 400, bad);
    const answer = parseSipMessage(out.error.head!);
    assert.ok(!answer.ok && answer.action === 'respond' && answer.partial?.headers.length === 5);
    assert.equal(framer.push(message('more')).error?.code, 400, 'a failed framer stays failed');
  }
});

test('messages over the size limit stop the framer with 513', () => {
  const big = new SipStreamFramer({ maxMessageSize: 1024 }).push(message('x'.repeat(2000)));
  assert.equal(big.error?.code, 513);
  assert.ok(big.error.head);
  const endless = new SipStreamFramer({ maxMessageSize: 1024 });
  let out = endless.push(Buffer.from('OPTIONS sip:a@b.example SIP/2.0\r\n'));
  for (let i = 0; i < 100 && !out.error; i++)
    out = endless.push(Buffer.from('X-Filler: ' + 'y'.repeat(50) + '\r\n'));
  assert.equal(out.error?.code, 513);
});

test('property: any chunking of a stream of messages and pings gives back the messages', () => {
  const body = fc.string({ maxLength: 300, unit: 'binary' });
  fc.assert(
    fc.property(
      fc.array(fc.tuple(body, fc.nat({ max: 2 })), { minLength: 1, maxLength: 6 }),
      fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 30 }),
      (items, cuts) => {
        const expected = items.map(([b]) => message(b));
        const stream = Buffer.concat(
          items.flatMap(([, pings], k) => [Buffer.from('\r\n\r\n'.repeat(pings)), expected[k]!]),
        );
        const chunks: Buffer[] = [];
        let at = 0;
        for (let k = 0; at < stream.length; k++) {
          const size = cuts[k % cuts.length]!;
          chunks.push(stream.subarray(at, at + size));
          at += size;
        }
        const { messages, keepAlives } = pushAll(new SipStreamFramer(), chunks);
        assert.deepEqual(messages, expected);
        assert.equal(
          keepAlives,
          items.reduce((n, [, pings]) => n + pings, 0),
        );
      },
    ),
    { numRuns: 300 },
  );
});

test('property: chunk boundaries never change what the framer yields, whatever the bytes', () => {
  const piece = fc.oneof(
    fc.string({ maxLength: 20 }).map((b) => message(b)),
    fc
      .constantFrom('\r\n', '\r', '\n', '\r\n\r\n', 'Content-Length: 3\r\n', 'l: -1\r\n', '\r\n\r\nxyz')
      .map((s) => Buffer.from(s)),
    fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)),
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 8 }), fc.integer({ min: 1, max: 64 }), (pieces, size) => {
      const stream = Buffer.concat(pieces);
      const whole = new SipStreamFramer({ maxMessageSize: 2048 }).push(stream);
      const chunked = new SipStreamFramer({ maxMessageSize: 2048 });
      const messages: Buffer[] = [];
      let keepAlives = 0;
      let error: number | undefined;
      for (let at = 0; at < stream.length; at += size) {
        const out = chunked.push(stream.subarray(at, at + size));
        messages.push(...out.messages);
        keepAlives += out.keepAlives;
        error = out.error?.code;
      }
      assert.deepEqual(messages, whole.messages);
      assert.equal(keepAlives, whole.keepAlives);
      assert.equal(error, whole.error?.code);
    }),
    { numRuns: 1000 },
  );
});
