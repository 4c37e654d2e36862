import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSipMessage, type ParseOptions, type ParseResult } from './parser.js';
import { headerList, headerValue, headerValues, type SipMessage, type SipRequest } from './message.js';

const CORE = [
  'Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bKnashds8',
  'Max-Forwards: 70',
  'To: Bob <sip:bob@example.com>',
  'From: Alice <sip:alice@example.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710@pc33.example.com',
  'CSeq: 314159 INVITE',
];

function wire(startLine: string, headers: string[], body: Buffer | string = '', eol = '\r\n'): Buffer {
  return Buffer.concat([Buffer.from([startLine, ...headers, '', ''].join(eol)), Buffer.from(body)]);
}

function ok(r: ParseResult): SipMessage {
  assert.ok(r.ok, r.ok ? '' : `${r.error.code} ${r.error.reason}`);
  return r.message;
}

function req(data: Buffer, options?: ParseOptions): SipRequest {
  const m = ok(parseSipMessage(data, options));
  assert.equal(m.kind, 'request');
  return m;
}

function refused(data: Buffer, options?: ParseOptions): Extract<ParseResult, { ok: false }> {
  const r = parseSipMessage(data, options);
  assert.ok(!r.ok, 'expected a refusal');
  return r;
}

test('a request with a binary body keeps every byte, CRLFs and NULs included', () => {
  const body = Buffer.from([0, 1, 2, 13, 10, 13, 10, 255, 254, 0]);
  const m = req(
    wire('INVITE sip:bob@example.com SIP/2.0', [...CORE, `Content-Length: ${body.length}`], body),
  );
  assert.equal(m.method, 'INVITE');
  assert.equal(m.uri, 'sip:bob@example.com');
  assert.equal(m.version, 'SIP/2.0');
  assert.deepEqual(m.body, body);
  assert.equal(headerValue(m, 'call-id'), 'a84b4c76e66710@pc33.example.com');
});

test('folded lines join with one space; names are case-insensitive and compact forms expand', () => {
  const m = req(
    wire('OPTIONS sip:bob@example.com SIP/2.0', [
      'v: SIP/2.0/UDP a.example.com;branch=z9hG4bK1',
      'VIA  :  SIP/2.0/UDP b.example.com;branch=z9hG4bK2,',
      '  SIP/2.0/UDP c.example.com;branch=z9hG4bK3',
      't: <sip:bob@example.com>',
      'f: <sip:alice@example.com>;tag=1',
      'i: abc@host',
      'cseq: 1',
      '\tOPTIONS',
      'Subject:',
      'X-Folded: one',
      ' two',
      '\t three  ',
      'l: 0',
    ]),
  );
  assert.deepEqual(
    m.headers.map((h) => h.name),
    ['Via', 'Via', 'To', 'From', 'Call-ID', 'CSeq', 'Subject', 'X-Folded', 'Content-Length'],
  );
  assert.equal(headerValue(m, 'CSeq'), '1 OPTIONS');
  assert.equal(headerValue(m, 'subject'), '');
  assert.equal(headerValue(m, 'x-folded'), 'one two three');
  assert.deepEqual(headerValues(m, 'v').length, 2);
  assert.deepEqual(headerList(m, 'Via'), [
    'SIP/2.0/UDP a.example.com;branch=z9hG4bK1',
    'SIP/2.0/UDP b.example.com;branch=z9hG4bK2',
    'SIP/2.0/UDP c.example.com;branch=z9hG4bK3',
  ]);
});

test('CRLFs before the start line are skipped, and bare-LF line ends are tolerated', () => {
  const m = req(
    Buffer.concat([Buffer.from('\r\n\r\n'), wire('BYE sip:bob@example.com SIP/2.0', [...CORE, 'l: 0'])]),
  );
  assert.equal(m.method, 'BYE');
  const lf = req(wire('BYE sip:bob@example.com SIP/2.0', [...CORE, 'l: 3'], 'a\r\n', '\n'));
  assert.equal(lf.body.toString(), 'a\r\n');
});

test('datagram bodies: Content-Length trims extra octets, its absence takes the rest, too large is 400', () => {
  const start = 'MESSAGE sip:bob@example.com SIP/2.0';
  assert.equal(req(wire(start, [...CORE, 'Content-Length: 5'], 'hello, and more')).body.toString(), 'hello');
  assert.equal(req(wire(start, CORE, 'all of it\r\n')).body.toString(), 'all of it\r\n');
  const r = refused(wire(start, [...CORE, 'Content-Length: 50'], 'short'));
  assert.equal(r.error.code, 400);
  assert.equal(r.action, 'respond');
});

test('stream messages need a Content-Length and the closing empty line', () => {
  const start = 'MESSAGE sip:bob@example.com SIP/2.0';
  assert.equal(refused(wire(start, CORE, 'x'), { transport: 'stream' }).error.code, 400);
  assert.equal(req(wire(start, [...CORE, 'l: 1'], 'x'), { transport: 'stream' }).body.toString(), 'x');
  const noBlank = Buffer.from(['OPTIONS sip:b@example.com SIP/2.0', ...CORE, 'l: 0', ''].join('\r\n'));
  assert.equal(refused(noBlank, { transport: 'stream' }).error.code, 400);
  // A datagram whose header section simply ends with the datagram is read as bodiless.
  assert.equal(req(noBlank).headers.length, CORE.length + 1);
  // ...but not one cut in the middle of a line.
  assert.equal(refused(noBlank.subarray(0, noBlank.length - 3)).error.code, 400);
});

test('Content-Length values that cannot frame the body are refused', () => {
  const start = 'INVITE sip:bob@example.com SIP/2.0';
  assert.match(refused(wire(start, [...CORE, 'Content-Length: -999'])).error.reason, /Content-Length/);
  assert.match(
    refused(wire(start, [...CORE, 'l: 13', 'Content-Length: 5'], 'x'.repeat(20))).error.reason,
    /Conflicting/,
  );
  assert.equal(req(wire(start, [...CORE, 'l: 2', 'Content-Length: 2'], 'xx')).body.length, 2);
});

test('an oversized message is refused with 513 and can still be answered', () => {
  const r = refused(wire('MESSAGE sip:bob@example.com SIP/2.0', [...CORE, 'l: 100'], 'x'.repeat(100)), {
    maxMessageSize: 200,
  });
  assert.equal(r.error.code, 513);
  assert.equal(r.action, 'respond');
});

test('a refused request carries Via, From, To, Call-ID and CSeq to answer with', () => {
  const r = refused(
    wire('INVITE  sip:bob@example.com SIP/2.0', [...CORE, 'Contact: <sip:a@b.example>', 'l: 0']),
  );
  assert.equal(r.error.code, 400);
  assert.equal(r.action, 'respond');
  assert.deepEqual(r.partial, {
    isRequest: true,
    method: 'INVITE',
    headers: CORE.filter((l) => !l.startsWith('Max')).map((l) => {
      const colon = l.indexOf(':');
      return { name: l.slice(0, colon), value: l.slice(colon + 2) };
    }),
  });
});

test('refusals that cannot be answered are dropped: ACK, responses, no Via, garbage', () => {
  assert.equal(refused(wire('ACK sip:bob@example.com SIP/2.0', [...CORE, 'l: -1'])).action, 'drop');
  assert.equal(refused(wire('SIP/2.0 200 OK', [...CORE, 'l: -1'])).action, 'drop');
  assert.equal(
    refused(wire('INVITE sip:bob@example.com SIP/2.0', ['CSeq: 1 INVITE', 'l: -1'])).action,
    'drop',
  );
  assert.equal(refused(Buffer.from('\u0000\u0001garbage\r\n\r\n')).action, 'drop');
  assert.equal(refused(Buffer.from('')).action, 'drop');
  assert.equal(refused(Buffer.from('\r\n\r\n')).action, 'drop');
});

test('Request-Line: single spaces, a token method, a valid URI without headers, SIP/2.0', () => {
  const cases: [string, number][] = [
    ['INVITE  sip:bob@example.com SIP/2.0', 400],
    ['INVITE sip:bob@example.com  SIP/2.0', 400],
    ['INVITE sip:bob@example.com SIP/2.0 ', 400],
    ['INVITE sip:bob@example.com; lr SIP/2.0', 400],
    ['INVITE <sip:bob@example.com> SIP/2.0', 400],
    ['INVITE sip:bob@example.com?Route=%3Csip:example.com%3E SIP/2.0', 400],
    ['INV(ITE sip:bob@example.com SIP/2.0', 400],
    ['INVITE sip:bob@example.com', 400],
    ['INVITE sip:bob@example.com SIP/2', 400],
    ['INVITE sip:bob@example.com HTTP/1.1', 400],
    ['INVITE sip:bob@example.com SIP/7.0', 505],
  ];
  for (const [line, code] of cases)
    assert.equal(refused(wire(line, [...CORE, 'l: 0'])).error.code, code, line);
  assert.equal(req(wire('INVITE sip:bob@example.com sip/2.0', [...CORE, 'l: 0'])).version, 'SIP/2.0');
  assert.equal(req(wire('OPTIONS tel:+15551234 SIP/2.0', [...CORE, 'l: 0'])).uri, 'tel:+15551234');
});

test('Status-Line: three-digit codes 100..699, reason may be empty or UTF-8', () => {
  const res = (line: string) => parseSipMessage(wire(line, [...CORE, 'l: 0']));
  const empty = ok(res('SIP/2.0 100 '));
  assert.ok(empty.kind === 'response' && empty.status === 100 && empty.reason === '');
  const bare = ok(res('SIP/2.0 180'));
  assert.ok(bare.kind === 'response' && bare.reason === '');
  const utf = ok(res('SIP/2.0 200 = 2**3 * 5**2 но сто девяносто девять'));
  assert.ok(utf.kind === 'response' && utf.reason === '= 2**3 * 5**2 но сто девяносто девять');
  for (const line of [
    'SIP/2.0 4294967301 better not',
    'SIP/2.0 99 Low',
    'SIP/2.0 700 High',
    'SIP/2.0 2OO OK',
    'SIP/2.0',
  ]) {
    const r = res(line);
    assert.ok(!r.ok && r.action === 'drop', line);
  }
  const v3 = res('SIP/3.0 200 OK');
  assert.ok(!v3.ok && v3.error.code === 505 && v3.action === 'drop');
});

test('malformed header lines are refused', () => {
  const start = 'OPTIONS sip:bob@example.com SIP/2.0';
  for (const lines of [
    [' folded-first: x', ...CORE],
    [...CORE, 'No colon here'],
    [...CORE, ': empty name'],
    [...CORE, 'Bad Name: x'],
    [...CORE, 'Max-Forwards: 300'],
    [...CORE, 'CSeq: 36893488147419103232 OPTIONS'],
    [...CORE, 'Contact: sip:user@example.com?Route=%3Csip:sip.example.com%3E'],
  ]) {
    assert.equal(refused(wire(start, lines)).error.code, 400, lines.join('|'));
  }
});

test('every prefix of a message parses or is refused without throwing', () => {
  const full = wire(
    'INVITE sip:bob@example.com SIP/2.0',
    [...CORE, 'Content-Type: text/plain', 'l: 12'],
    'hello world!',
  );
  for (let n = 0; n <= full.length; n++) {
    for (const transport of ['datagram', 'stream'] as const) {
      const r = parseSipMessage(full.subarray(0, n), { transport });
      assert.equal(typeof r.ok, 'boolean');
      if (!r.ok) assert.notEqual(r.error.reason, 'Unparseable message');
    }
  }
});
