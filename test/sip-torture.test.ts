// RFC 4475 torture messages against the SIP parser, validator, serializer and stream framer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { parseSipMessage, type ParseResult } from '../src/adapters/sip/parser.js';
import { SipStreamFramer } from '../src/adapters/sip/framer.js';
import { serializeSipMessage } from '../src/adapters/sip/serializer.js';
import { validateMessage, validateRequest, validateResponse } from '../src/adapters/sip/validate.js';
import {
  headerList,
  headerValue,
  headerValues,
  readCallId,
  readContacts,
  readCSeq,
  readFrom,
  readMaxForwards,
  readTo,
  readVias,
  requestUri,
  type SipMessage,
  type SipRequest,
} from '../src/adapters/sip/message.js';
import { isSipUri, type SipUri, type Uri } from '../src/adapters/sip/uri.js';
import { parseNameAddrList, type NameAddr } from '../src/adapters/sip/headers.js';

const CORPUS = resolve(process.cwd(), '../shared/corpora/sip-torture');
const FILES = readdirSync(CORPUS)
  .filter((f) => f.endsWith('.dat'))
  .map((f) => f.slice(0, -4))
  .sort();

function load(name: string): Buffer {
  return readFileSync(resolve(CORPUS, `${name}.dat`));
}

/**
 * What the stack does with each message, from RFC 4475 section 3 (as the corpus README groups it).
 * parse 'ok' then validate: 'ok', a status code, or 'discard' (a response a UAC throws away);
 * or parse refuses with a code and says whether a response can be sent ('respond') or not ('drop').
 */
type Expected =
  | { parse: 'ok'; validate: 'ok' | number | 'discard'; why: string }
  | { parse: number; action: 'respond' | 'drop'; why: string };

const EXPECTED: Record<string, Expected> = {
  // 3.1.1 valid messages
  wsinv: {
    parse: 'ok',
    validate: 'ok',
    why: '3.1.1.1 tortuous whitespace, folding, compact and unknown headers',
  },
  intmeth: { parse: 'ok', validate: 501, why: '3.1.1.2 legal oddities; the method is unknown to us, so 501' },
  esc01: { parse: 'ok', validate: 'ok', why: '3.1.1.3 valid % escapes' },
  escnull: { parse: 'ok', validate: 'ok', why: '3.1.1.4 escaped NULs in URIs' },
  esc02: { parse: 'ok', validate: 501, why: '3.1.1.5 RE%47IST%45R is not REGISTER: unknown method, 501' },
  lwsdisp: { parse: 'ok', validate: 'ok', why: '3.1.1.6 no LWS between display name and <' },
  longreq: { parse: 'ok', validate: 'ok', why: '3.1.1.7 long values' },
  dblreq: { parse: 'ok', validate: 'ok', why: '3.1.1.8 a REGISTER; octets past Content-Length discarded' },
  semiuri: { parse: 'ok', validate: 'ok', why: '3.1.1.9 ; in the user part' },
  transports: { parse: 'ok', validate: 'ok', why: '3.1.1.10 varied and unknown transports' },
  mpart01: { parse: 'ok', validate: 'ok', why: '3.1.1.11 multipart body, binary part' },
  unreason: { parse: 'ok', validate: 'ok', why: '3.1.1.12 UTF-8 reason phrase' },
  noreason: { parse: 'ok', validate: 'ok', why: '3.1.1.13 empty reason phrase' },
  // 3.1.2 invalid messages
  badinv01: { parse: 400, action: 'respond', why: '3.1.2.1 empty Via and Contact parameters' },
  clerr: { parse: 400, action: 'respond', why: '3.1.2.2 Content-Length larger than the datagram' },
  // The corpus README lists ncl as a drop; RFC 4475 says "should respond with an error" and
  // all five fields needed for a response are intact, so it is answered.
  ncl: { parse: 400, action: 'respond', why: '3.1.2.3 negative Content-Length' },
  scalar02: { parse: 400, action: 'respond', why: '3.1.2.4 CSeq over 2^32-1 (and Max-Forwards over 255)' },
  scalarlg: { parse: 400, action: 'drop', why: '3.1.2.5 a response with overlarge scalars is discarded' },
  quotbal: { parse: 400, action: 'respond', why: '3.1.2.6 unterminated quoted display name' },
  ltgtruri: { parse: 400, action: 'respond', why: '3.1.2.7 Request-URI in <>' },
  lwsruri: { parse: 400, action: 'respond', why: '3.1.2.8 LWS inside the Request-URI' },
  lwsstart: { parse: 400, action: 'respond', why: '3.1.2.9 several SPs in the Request-Line' },
  trws: { parse: 400, action: 'respond', why: '3.1.2.10 SP after the SIP-Version' },
  escruri: { parse: 400, action: 'respond', why: '3.1.2.11 escaped headers in the Request-URI' },
  baddate: { parse: 'ok', validate: 400, why: '3.1.2.12 non-GMT Date' },
  regbadct: { parse: 400, action: 'respond', why: '3.1.2.13 URI with headers outside <> in Contact' },
  badaspec: { parse: 400, action: 'respond', why: '3.1.2.14 spaces inside <> in To' },
  baddn: { parse: 400, action: 'respond', why: '3.1.2.15 unquoted non-token display names' },
  badvers: { parse: 505, action: 'respond', why: '3.1.2.16 SIP/7.0' },
  mismatch01: { parse: 'ok', validate: 400, why: '3.1.2.17 CSeq method differs from the Request-Line' },
  mismatch02: {
    parse: 'ok',
    validate: 501,
    why: '3.1.2.18 unknown method (and CSeq mismatch): 501 preferred',
  },
  bigcode: { parse: 400, action: 'drop', why: '3.1.2.19 status code over 699: dropped' },
  // 3.2 transaction layer
  badbranch: { parse: 'ok', validate: 400, why: '3.2.1 bare z9hG4bK branch: refused statelessly' },
  // 3.3 application layer
  insuf: { parse: 'ok', validate: 400, why: '3.3.1 no To, From, Call-ID' },
  unkscm: { parse: 'ok', validate: 416, why: '3.3.2 unknown Request-URI scheme' },
  novelsc: { parse: 'ok', validate: 416, why: '3.3.3 soap.beep Request-URI, never meaningful here' },
  unksm2: { parse: 'ok', validate: 400, why: '3.3.4 REGISTER whose To is not a SIP URI' },
  bext01: { parse: 'ok', validate: 420, why: '3.3.5 unknown Require option tags' },
  invut: { parse: 'ok', validate: 415, why: '3.3.6 unknown Content-Type' },
  regaut01: {
    parse: 'ok',
    validate: 'ok',
    why: '3.3.7 unknown Authorization scheme: the auth layer challenges (401)',
  },
  multi01: { parse: 'ok', validate: 400, why: '3.3.8 several values in single-value headers' },
  mcl01: { parse: 400, action: 'respond', why: '3.3.9 conflicting Content-Length values' },
  bcast: { parse: 'ok', validate: 'discard', why: '3.3.10 response with a second (broadcast) Via' },
  zeromf: { parse: 'ok', validate: 'ok', why: '3.3.11 Max-Forwards 0: an endpoint processes it' },
  cparam01: { parse: 'ok', validate: 'ok', why: '3.3.12 Contact header parameter' },
  cparam02: { parse: 'ok', validate: 'ok', why: '3.3.13 Contact URI parameter' },
  regescrt: { parse: 'ok', validate: 'ok', why: '3.3.14 escaped header in a Contact URI' },
  sdp01: { parse: 'ok', validate: 406, why: '3.3.15 Accept without application/sdp' },
  // 3.4 backward compatibility
  inv2543: {
    parse: 'ok',
    validate: 'ok',
    why: '3.4.1 RFC 2543 syntax: no branch, tag, Max-Forwards, Content-Length',
  },
};

function parseFile(name: string): ParseResult {
  return parseSipMessage(load(name));
}

function parsedFile(name: string): SipMessage {
  const r = parseFile(name);
  assert.ok(r.ok, `${name}: ${r.ok ? '' : r.error.reason}`);
  return r.message;
}

function value<T>(r: { ok: true; value: T } | { ok: false; reason: string }): T {
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return r.value;
}

function sipUri(u: Uri): SipUri {
  assert.ok(isSipUri(u), `${u.scheme} is not sip`);
  return u;
}

function contacts(m: SipMessage): NameAddr[] {
  const list = value(readContacts(m));
  assert.ok(list !== '*');
  return list;
}

test('the table names every corpus file, and only those', () => {
  assert.equal(FILES.length, 49);
  assert.deepEqual(FILES, Object.keys(EXPECTED).sort());
});

for (const name of FILES) {
  const expected = EXPECTED[name]!;
  test(`${name}: ${expected.why}`, () => {
    const r = parseFile(name);
    if (expected.parse === 'ok') {
      assert.ok(r.ok, r.ok ? '' : `${r.error.code} ${r.error.reason}`);
      const verdict = validateMessage(r.message);
      if (expected.validate === 'ok') assert.deepEqual(verdict, { ok: true });
      else if (expected.validate === 'discard') assert.ok(r.message.kind === 'response' && !verdict.ok);
      else
        assert.ok(
          !verdict.ok && 'code' in verdict && verdict.code === expected.validate,
          JSON.stringify(verdict),
        );
      return;
    }
    assert.ok(!r.ok, 'expected a refusal');
    assert.equal(r.error.code, expected.parse, r.error.reason);
    assert.equal(r.action, expected.action);
    if (r.action === 'respond') {
      const names = r.partial!.headers.map((h) => h.name);
      for (const needed of ['Via', 'From', 'To', 'Call-ID', 'CSeq'])
        assert.ok(names.includes(needed), needed);
    }
  });
}

test('wsinv: whitespace, folding and case are all absorbed', () => {
  const m = parsedFile('wsinv') as SipRequest;
  assert.equal(m.method, 'INVITE');
  assert.ok(sipUri(value(requestUri(m))).params.has('unknownparam'));
  assert.equal(value(readTo(m)).params.get('tag'), '1918181833n');
  const from = value(readFrom(m));
  assert.equal(from.displayName, 'J Rosenberg \\"');
  assert.equal(from.params.get('tag'), '98asjd8');
  assert.equal(value(readMaxForwards(m)), 68);
  assert.deepEqual(value(readCSeq(m)), { seq: 9, method: 'INVITE' });
  assert.deepEqual(
    value(readVias(m)).map((v) => [v.transport, v.host, v.params.get('branch')]),
    [
      ['UDP', '192.0.2.2', '390skdjuw'],
      ['TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
      ['UDP', '192.168.255.111', 'z9hG4bK30239'],
    ],
  );
  assert.equal(headerValue(m, 'Subject'), '');
  assert.equal(headerValue(m, 'NewFangledHeader'), 'newfangled value continued newfangled value');
  assert.equal(headerValue(m, 'UnknownHeaderWithUnusualValue'), ';;,,;;,;');
  const [contact] = contacts(m);
  assert.equal(contact!.displayName, 'Quoted string ""');
  assert.deepEqual(
    [...contact!.params],
    [
      ['newparam', 'newvalue'],
      ['secondparam', null],
      ['q', '0.33'],
    ],
  );
  const [route] = value(parseNameAddrList(headerValue(m, 'Route')!));
  assert.deepEqual([...sipUri(route!.uri).params.keys()], ['lr', 'unknownwith', 'unknown-no-value']);
  assert.equal(m.body.length, 150);
});

test('intmeth: the whole legal character range survives', () => {
  const m = parsedFile('intmeth') as SipRequest;
  const method = "!interesting-Method0123456789_*+`.%indeed'~";
  assert.equal(m.method, method);
  assert.equal(value(readCSeq(m)).method, method);
  const ruri = sipUri(value(requestUri(m)));
  assert.equal(ruri.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  assert.equal(ruri.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
  assert.equal(value(readTo(m)).displayName, 'BEL:\u0007 NUL:\u0000 DEL:\u007f');
  const from = value(readFrom(m));
  assert.equal(from.displayName, "token1~` token2'+_ token3*%!.-");
  assert.equal(from.params.get("fromparam''~+*_!.-%"), '"работающий"');
  assert.equal(from.params.get('tag'), "_token~1'+`*%!-.");
  assert.equal(value(readCallId(m)), 'intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{');
  assert.equal(value(readMaxForwards(m)), 255);
  const ext = headerValue(m, "extensionHeader-!.%*+_`'~")!;
  assert.deepEqual(Buffer.from(ext), Buffer.from('efbbbfe5a4a7e5819ce99bbb', 'hex'), 'BOM and all');
});

test('esc01, escnull, esc02: escapes decode where they are escapes and only there', () => {
  const esc01 = parsedFile('esc01') as SipRequest;
  assert.equal(sipUri(value(requestUri(esc01))).user, 'sips:user@example.com');
  assert.equal(sipUri(value(readTo(esc01)).uri).user, 'user');
  assert.equal(sipUri(value(readFrom(esc01)).uri).user, 'I have spaces');
  const c = sipUri(contacts(esc01)[0]!.uri);
  assert.equal(c.user, 'caller');
  assert.deepEqual(
    [...c.params],
    [
      ['lr', null],
      ['name', 'value%41'],
    ],
  );
  const escnull = parsedFile('escnull');
  assert.equal(sipUri(value(readTo(escnull)).uri).user, 'null-\u0000-null');
  assert.deepEqual(
    contacts(escnull).map((n) => sipUri(n.uri).user),
    ['\u0000', '\u0000\u0000'],
  );
  const esc02 = parsedFile('esc02') as SipRequest;
  assert.equal(esc02.method, 'RE%47IST%45R');
  assert.equal(value(readTo(esc02)).displayName, '%Z%45');
  assert.equal(value(readVias(esc02))[0]!.params.get('branch'), 'z9hG4bK209%fzsnel234');
  assert.deepEqual(
    contacts(esc02).map((n) => sipUri(n.uri).host),
    ['host1.example.com', 'host3.example.com'],
  );
  assert.equal(headerValue(esc02, 'C%6Fntact'), '<sip:alias2@host2.example.com>');
});

test('lwsdisp, longreq, semiuri, transports: display names, long values, odd users, transports', () => {
  assert.equal(value(readFrom(parsedFile('lwsdisp'))).displayName, 'caller');
  const long = parsedFile('longreq');
  const to = value(readTo(long));
  assert.ok(to.displayName!.includes('extreme'.repeat(10)));
  const toUri = sipUri(to.uri);
  assert.equal(toUri.port, 6000);
  assert.match(toUri.params.get('unknownparam1')!, /^very(long){20}value$/);
  assert.equal(toUri.params.get(`longparam${'name'.repeat(25)}`), 'shortvalue');
  assert.ok(toUri.params.has(`very${'long'.repeat(25)}parameternamewithnovalue`));
  assert.match(value(readFrom(long)).params.get('tag')!, /^1(298){50}2424$/);
  const vias = value(readVias(long));
  assert.equal(vias.length, 34);
  assert.equal(vias[0]!.host, 'sip33.example.com');
  assert.equal(vias[33]!.params.get('received'), '192.0.2.5');
  assert.ok(value(readCallId(long)).startsWith('longreq.onereallyreally'));
  assert.equal(long.body.length, 150);
  const semi = parsedFile('semiuri') as SipRequest;
  const ruri = sipUri(value(requestUri(semi)));
  assert.equal(ruri.user, 'user;par=u@example.net');
  assert.equal(ruri.params.size, 0);
  assert.equal(headerList(semi, 'Accept').length, 6);
  const transports = parsedFile('transports');
  assert.deepEqual(
    value(readVias(transports)).map((v) => v.transport),
    ['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP'],
  );
  assert.equal(value(readCallId(transports)), 'transports.kijh4akdnaqjkwendsasfdj');
});

test('dblreq, mpart01, inv2543: datagram bodies by Content-Length, binary parts, the RFC 2543 default', () => {
  const dbl = parsedFile('dblreq') as SipRequest;
  assert.equal(dbl.method, 'REGISTER');
  assert.equal(dbl.body.length, 0);
  const mpart = parsedFile('mpart01');
  const raw = load('mpart01');
  assert.deepEqual(mpart.body, raw.subarray(raw.length - 553));
  assert.ok(mpart.body.includes('--7a9cbec02ceef655--'));
  assert.ok(mpart.body.includes(Buffer.from([0x30, 0x82, 0x01, 0x52])), 'binary DER part intact');
  const old = parsedFile('inv2543');
  assert.equal(old.body.length, 105, 'without Content-Length the body is the rest of the datagram');
  assert.equal(value(readFrom(old)).params.has('tag'), false);
  assert.equal(value(readVias(old))[0]!.params.has('branch'), false);
});

test('unreason, noreason: reason phrases in UTF-8 or empty', () => {
  const un = parsedFile('unreason');
  assert.ok(un.kind === 'response' && un.status === 200);
  assert.equal(un.reason, '= 2**3 * 5**2 но сто девяносто девять - простое');
  const no = parsedFile('noreason');
  assert.ok(no.kind === 'response' && no.status === 100 && no.reason === '');
});

test('cparam01/02, regescrt, regaut01: Contact parameters, escaped URI headers, unknown auth', () => {
  const p1 = contacts(parsedFile('cparam01'))[0]!;
  assert.ok(p1.params.has('unknownparam') && !sipUri(p1.uri).params.has('unknownparam'));
  const p2 = contacts(parsedFile('cparam02'))[0]!;
  assert.ok(!p2.params.has('unknownparam') && sipUri(p2.uri).params.has('unknownparam'));
  assert.deepEqual(sipUri(contacts(parsedFile('regescrt'))[0]!.uri).headers, [
    { name: 'Route', value: '<sip:sip.example.com>' },
  ]);
  assert.equal(headerValue(parsedFile('regaut01'), 'Authorization'), 'NoOneKnowsThisScheme opaque-data=here');
});

test('bext01, invut, sdp01: the application-layer answers carry the headers they need', () => {
  const bext = validateRequest(parsedFile('bext01') as SipRequest);
  assert.ok(!bext.ok);
  assert.deepEqual(bext.headers, [
    { name: 'Unsupported', value: 'nothingSupportsThis, nothingSupportsThisEither' },
  ]);
  const invut = validateRequest(parsedFile('invut') as SipRequest);
  assert.ok(!invut.ok && invut.headers[0]!.name === 'Accept');
  const sdp = validateRequest(parsedFile('sdp01') as SipRequest);
  assert.ok(!sdp.ok && sdp.headers[0]!.value === 'application/sdp');
});

test('zeromf: a proxy would answer the OPTIONS itself; an INVITE at zero hops gets 483', () => {
  const m = parsedFile('zeromf') as SipRequest;
  assert.equal(value(readMaxForwards(m)), 0);
  assert.deepEqual(validateRequest(m, { role: 'proxy' }), { ok: true });
  const invite = {
    ...m,
    method: 'INVITE',
    headers: m.headers.map((h) => (h.name === 'CSeq' ? { ...h, value: '1 INVITE' } : h)),
  };
  const v = validateRequest(invite, { role: 'proxy' });
  assert.ok(!v.ok && v.code === 483);
});

test('bcast: parses, and a UAC discards it for its second Via', () => {
  const m = parsedFile('bcast');
  assert.ok(m.kind === 'response');
  assert.equal(value(readVias(m))[1]!.host, '255.255.255.255');
  assert.deepEqual(validateResponse(m), { ok: false, reason: 'More than one Via' });
});

/** parse(serialize(m)) equals m, but for Content-Length lines, which the serializer rewrites. */
function assertRoundTrip(m: SipMessage): void {
  const again = parseSipMessage(serializeSipMessage(m), { transport: 'stream' });
  assert.ok(again.ok, again.ok ? '' : again.error.reason);
  assert.deepEqual(headerValues(again.message, 'Content-Length'), [String(m.body.length)]);
  const strip = (x: SipMessage) => ({ ...x, headers: x.headers.filter((h) => h.name !== 'Content-Length') });
  assert.deepEqual(strip(again.message), strip(m));
}

test('every corpus message that parses survives serialize and parse again', () => {
  for (const name of FILES) {
    const r = parseFile(name);
    if (r.ok) assertRoundTrip(r.message);
  }
});

test('over a stream: framing follows Content-Length, waits for missing octets, stops on bad lengths', () => {
  const frames = (name: string) => new SipStreamFramer().push(load(name));
  // dblreq is a datagram case: on a stream the INVITE after the REGISTER is a message of its own,
  // and the 2 octets its Content-Length leaves out become a garbage message the parser drops.
  const [register, invite, rest] = frames('dblreq').messages;
  assert.ok(parseSipMessage(register!, { transport: 'stream' }).ok);
  assert.ok(parseSipMessage(invite!, { transport: 'stream' }).ok);
  const garbage = parseSipMessage(rest!, { transport: 'stream' });
  assert.ok(!garbage.ok && garbage.action === 'drop');
  const clerr = new SipStreamFramer();
  assert.deepEqual(clerr.push(load('clerr')).messages, []);
  assert.ok(clerr.buffered > 0, 'clerr waits for 9999 octets that have not come');
  assert.equal(frames('ncl').error?.code, 400);
  assert.equal(frames('mcl01').error?.code, 400);
  const wsinv = frames('wsinv').messages[0]!;
  assert.ok(parseSipMessage(wsinv, { transport: 'stream' }).ok);
  for (const name of FILES) frames(name); // none throws
});

const SPECIAL = [
  '\r\n',
  '\r',
  '\n',
  ' ',
  '\t',
  ':',
  ';',
  ',',
  '"',
  '\\',
  '<',
  '>',
  '%',
  '%0',
  '\u0000',
  '=',
  '@',
  '[',
  ']',
  '\r\n ',
  '\r\n\r\n',
  'l: 99999\r\n',
  'SIP/2.0 ',
];

type Mutation =
  | { op: 'flip'; at: number; byte: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; length: number }
  | { op: 'duplicate'; at: number; length: number }
  | { op: 'truncate'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...SPECIAL) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({
    op: fc.constant('duplicate' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 200 }),
  }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);

function mutate(data: Buffer, mutations: Mutation[]): Buffer {
  let out = data;
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % out.length;
    if (m.op === 'flip') {
      out = Buffer.from(out);
      if (out.length > 0) out[at] = m.byte;
    } else if (m.op === 'insert')
      out = Buffer.concat([out.subarray(0, at), Buffer.from(m.text, 'latin1'), out.subarray(at)]);
    else if (m.op === 'delete') out = Buffer.concat([out.subarray(0, at), out.subarray(at + m.length)]);
    else if (m.op === 'duplicate') out = Buffer.concat([out.subarray(0, at + m.length), out.subarray(at)]);
    else out = out.subarray(0, at);
  }
  return out;
}

test(
  'fuzz: mutated corpus messages never make parse, validate or the framer throw',
  { timeout: 60_000 },
  () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FILES),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        (name, mutations) => {
          const data = mutate(load(name), mutations);
          for (const transport of ['datagram', 'stream'] as const) {
            const r = parseSipMessage(data, { transport });
            if (r.ok) {
              validateMessage(r.message);
              validateMessage(r.message, { role: 'proxy' });
              assertRoundTrip(r.message);
            } else {
              assert.notEqual(r.error.reason, 'Unparseable message', 'the catch-all must stay unreachable');
              assert.ok(r.error.code >= 400 && r.error.code <= 599);
            }
          }
          const framer = new SipStreamFramer();
          for (let at = 0; at < data.length; at += 97) framer.push(data.subarray(at, at + 97));
        },
      ),
      { numRuns: 3000 },
    );
  },
);

// Quadratic traps (long runs of separators, folding, nesting) must end; the test's own time-out is the
// hang guard, and parse speed itself is a benchmark matter, not a test assertion.
test('hostile inputs get an answer, never a hang or a throw', { timeout: 30_000 }, () => {
  const head = 'INVITE sip:a@b.example SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n';
  const inputs = [
    head + 'X: ' + ';'.repeat(60000) + '\r\n\r\n',
    head + 'junk\n'.repeat(12000) + 'a:b\r\n\r\n',
    head + 'Contact: ' + '"\\'.repeat(30000) + '\r\n\r\n',
    head + 'Via: ' + 'SIP/2.0/UDP h,'.repeat(4000) + '\r\n\r\n',
    head + 'To: ' + '<'.repeat(60000) + '\r\n\r\n',
    head + 'X: a\r\n' + ' b\r\n'.repeat(15000) + '\r\n',
    'SIP/2.0 200 ' + 'x'.repeat(60000) + '\r\n\r\n',
    '\r\n'.repeat(30000),
    'INVITE sip:' + '%'.repeat(60000) + ' SIP/2.0\r\n\r\n',
  ];
  for (const text of inputs) {
    const r = parseSipMessage(Buffer.from(text), { maxMessageSize: 1 << 20 });
    assert.ok(r.ok || (r.error.code >= 400 && r.error.code <= 599), text.slice(0, 40));
    assert.doesNotThrow(() => new SipStreamFramer({ maxMessageSize: 1 << 20 }).push(Buffer.from(text)));
  }
});
