import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canonicalHeaderName,
  isRfc3261Branch,
  mediaTypeOf,
  parseCallId,
  parseContact,
  parseContentLength,
  parseCSeq,
  parseMaxForwards,
  parseNameAddr,
  parseNameAddrList,
  parseVia,
  sameHeaderName,
  type NameAddr,
  type Via,
} from './headers.js';
import fc from 'fast-check';
import { formatParams, parseParams, quote, scanQuoted, splitList, unquote } from './syntax.js';
import type { Parsed } from './syntax.js';

function value<T>(r: Parsed<T>): T {
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return r.value;
}

function via(text: string): Via[] {
  return value(parseVia(text));
}

function nameAddr(text: string): NameAddr {
  return value(parseNameAddr(text));
}

test('compact and any-case header names map to one canonical spelling', () => {
  const pairs: [string, string][] = [
    ['i', 'Call-ID'],
    ['m', 'Contact'],
    ['e', 'Content-Encoding'],
    ['l', 'Content-Length'],
    ['f', 'From'],
    ['t', 'To'],
    ['v', 'Via'],
    ['s', 'Subject'],
    ['k', 'Supported'],
    ['c', 'Content-Type'],
    ['V', 'Via'],
    ['MaX-fOrWaRdS', 'Max-Forwards'],
    ['cseq', 'CSeq'],
    ['www-authenticate', 'WWW-Authenticate'],
  ];
  for (const [given, canonical] of pairs) assert.equal(canonicalHeaderName(given), canonical, given);
  assert.equal(canonicalHeaderName('X-Custom'), 'X-Custom');
  assert.equal(canonicalHeaderName('C%6Fntact'), 'C%6Fntact', 'escapes do not apply to header names (esc02)');
  assert.ok(sameHeaderName('v', 'VIA'));
  assert.ok(sameHeaderName('x-custom', 'X-CUSTOM'));
  assert.ok(!sameHeaderName('t', 'Via'));
});

test('Via: sent-protocol, sent-by and branch, received, rport', () => {
  const [v] = via('SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds;received=198.51.100.7;rport=5070;x');
  assert.deepEqual(v, {
    protocol: 'SIP',
    version: '2.0',
    transport: 'UDP',
    host: '192.0.2.1',
    port: 5060,
    params: new Map([
      ['branch', 'z9hG4bK776asdhds'],
      ['received', '198.51.100.7'],
      ['rport', '5070'],
      ['x', null],
    ]),
  });
  const [bare] = via('SIP/2.0/tcp client.example.com;rport;branch=z9hG4bKx');
  assert.equal(bare!.transport, 'TCP');
  assert.equal(bare!.params.get('rport'), null);
  assert.equal(bare!.port, null);
});

test('Via: IPv6 sent-by and an IPv6 received address', () => {
  const [v] = via('SIP/2.0/UDP [2001:db8::9:1]:5060;branch=z9hG4bKas3-111;received=2001:db8::9:255');
  assert.equal(v!.host, '[2001:db8::9:1]');
  assert.equal(v!.port, 5060);
  assert.equal(v!.params.get('received'), '2001:db8::9:255');
});

test('Via: several hops in one header, LWS around every separator (RFC 4475 wsinv)', () => {
  const hops = via(
    'SIP  / 2.0  / TCP     spindle.example.com   ; branch  =   z9hG4bK9ikj8  , SIP  /    2.0   / UDP  192.168.255.111   ; branch= z9hG4bK30239',
  );
  assert.deepEqual(
    hops.map((h) => [h.transport, h.host, h.params.get('branch')]),
    [
      ['TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
      ['UDP', '192.168.255.111', 'z9hG4bK30239'],
    ],
  );
  assert.equal(via('SIP/2.0/SCTP t2.example.com;branch=z9hG4bKklasjdhf')[0]!.transport, 'SCTP');
  assert.equal(via('SIP/2.0/UNKNOWN t4.example.com;branch=z9hG4bKasd0f3en')[0]!.transport, 'UNKNOWN');
});

test('Via: malformed values are refused', () => {
  for (const bad of [
    'SIP/2.0/UDP 192.0.2.15;;,;,,', // badinv01
    'SIP/2.0/UDP',
    'SIP/2.0/UDP192.0.2.1',
    'SIP/2.0 192.0.2.1',
    'SIP/2.0/UDP host:99999',
    'SIP/2.0/UDP host;branch=',
    'SIP/2.0/UDP host;branch="open',
    'SIP/2.0/UDP host, ',
    'SIP/2.0/UDP [::1',
    '',
  ]) {
    assert.equal(parseVia(bad).ok, false, bad);
  }
});

test('branch ids: only the magic cookie plus something counts as RFC 3261', () => {
  assert.ok(isRfc3261Branch('z9hG4bK776asdhds'));
  assert.ok(!isRfc3261Branch('z9hG4bK'));
  assert.ok(!isRfc3261Branch('390skdjuw'));
  assert.ok(!isRfc3261Branch(null));
});

test('name-addr: quoted display names with escaped quotes and backslashes', () => {
  const from = nameAddr('"J Rosenberg \\\\\\""       <sip:jdrosen@example.com> ; tag = 98asjd8');
  assert.equal(from.displayName, 'J Rosenberg \\"');
  assert.equal(from.params.get('tag'), '98asjd8');
  assert.equal(nameAddr('"Quoted string \\"\\"" <sip:jdrosen@example.com>').displayName, 'Quoted string ""');
  assert.equal(
    nameAddr('"BEL:\\\u0007 NUL:\\\u0000" <sip:a@b.example>').displayName,
    'BEL:\u0007 NUL:\u0000',
  );
  assert.equal(nameAddr('"" <sip:a@b.example>').displayName, '');
});

test('name-addr: token display names, with or without LWS before <', () => {
  assert.equal(nameAddr('caller<sip:caller@example.com>;tag=323').displayName, 'caller');
  assert.equal(nameAddr('Alice  Smith <sip:alice@example.com>').displayName, 'Alice  Smith');
  assert.equal(nameAddr('<sip:alice@example.com>').displayName, null);
  assert.equal(nameAddr("token1~` token2'+_ <sip:mundane@example.com>").displayName, "token1~` token2'+_");
});

test('name-addr: parameters after an addr-spec belong to the header, inside <> to the URI (cparam01/02)', () => {
  const outside = nameAddr('sip:+19725552222@gw1.example.net;unknownparam');
  assert.deepEqual([...outside.params], [['unknownparam', null]]);
  assert.ok('params' in outside.uri && outside.uri.params.size === 0);
  const inside = nameAddr('<sip:+19725552222@gw1.example.net;unknownparam>');
  assert.equal(inside.params.size, 0);
  assert.ok('params' in inside.uri && inside.uri.params.has('unknownparam'));
  const spaced = nameAddr('sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n');
  assert.equal(spaced.params.get('tag'), '1918181833n');
});

test('name-addr: quoted parameter values keep their quotes', () => {
  const c = nameAddr(
    '<sip:a@192.0.2.4>;+sip.instance="<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>";q=0.7',
  );
  assert.equal(c.params.get('+sip.instance'), '"<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>"');
  assert.equal(c.params.get('q'), '0.7');
});

test('name-addr: the malformed forms RFC 4475 lists are refused', () => {
  for (const bad of [
    '"Mr. J. User <sip:j.user@example.com>', // quotbal
    '"Watson, Thomas" < sip:t.watson@example.org >', // badaspec
    'Bell, Alexander <sip:a.g.bell@example.com>;tag=43', // baddn
    'sip:user@example.com?Route=%3Csip:sip.example.com%3E', // regbadct
    '"Joe" <sip:joe@example.org>;;;;', // badinv01
    '<sip:joe@example.org',
    '"Joe" sip:joe@example.org',
    '<sip:joe@example.org> junk',
    '',
  ]) {
    assert.equal(parseNameAddr(bad).ok, false, bad);
  }
});

test('Contact lists: commas inside quotes and <> do not split; * stands alone', () => {
  const list = value(parseContact('"Doe, John" <sip:a,b@h1.example.com>;q=0.5, <sip:b@h2.example.com>'));
  assert.ok(Array.isArray(list));
  assert.equal(list.length, 2);
  assert.equal(list[0]!.displayName, 'Doe, John');
  assert.ok('user' in list[0]!.uri && list[0]!.uri.user === 'a,b');
  assert.equal(value(parseContact(' * ')), '*');
  assert.equal(parseNameAddrList('<sip:a@b.example>,,<sip:c@d.example>').ok, false);
});

test('other URI schemes in name-addrs parse as opaque URIs (RFC 4475 unksm2)', () => {
  assert.equal(nameAddr('isbn:2983792873').uri.scheme, 'isbn');
  assert.equal(nameAddr('<http://www.example.com>;tag=3234233').uri.scheme, 'http');
  assert.equal(nameAddr('<name:John_Smith>').uri.scheme, 'name');
});

test('splitList respects quotes, escaped quotes and angle brackets', () => {
  assert.deepEqual(splitList(' a , "b, \\" c" , <d,e> ,f'), ['a', '"b, \\" c"', '<d,e>', 'f']);
  assert.deepEqual(splitList('x'), ['x']);
  assert.deepEqual(splitList(';;,,;;,;'), [';;', '', ';;', ';']);
});

test('CSeq: number within 32 bits and a method token, LWS between', () => {
  assert.deepEqual(value(parseCSeq('0009 INVITE')), { seq: 9, method: 'INVITE' });
  assert.deepEqual(value(parseCSeq('4294967295   OPTIONS')), { seq: 4294967295, method: 'OPTIONS' });
  for (const bad of [
    '36893488147419103232 REGISTER',
    '4294967296 INVITE',
    'INVITE',
    '1',
    '1INVITE',
    '-1 INVITE',
    '1 IN VITE',
  ]) {
    assert.equal(parseCSeq(bad).ok, false, bad);
  }
});

test('Call-ID, Content-Length and Max-Forwards scalars', () => {
  assert.equal(
    value(parseCallId(' a84b4c76e66710@pc33.atlanta.example.com ')),
    'a84b4c76e66710@pc33.atlanta.example.com',
  );
  assert.equal(
    value(parseCallId('intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{')),
    'intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{',
  );
  for (const bad of ['', 'a b', 'a@', '@b', 'a@b@c', 'a,b']) assert.equal(parseCallId(bad).ok, false, bad);
  assert.equal(value(parseContentLength('0')), 0);
  assert.equal(value(parseContentLength(' 150 ')), 150);
  for (const bad of ['-999', '', '1 2', '0x10', '99999999999'])
    assert.equal(parseContentLength(bad).ok, false, bad);
  assert.equal(value(parseMaxForwards('0068')), 68);
  assert.equal(value(parseMaxForwards('255')), 255);
  for (const bad of ['256', '300', '-1', '']) assert.equal(parseMaxForwards(bad).ok, false, bad);
});

test('media types are compared without parameters and case', () => {
  assert.equal(mediaTypeOf('Multipart/Mixed;boundary=7a9cbec02ceef655'), 'multipart/mixed');
  assert.equal(mediaTypeOf(' application/sdp '), 'application/sdp');
});

test('property: quote and unquote are inverse, and a quoted string scans to its end', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 30, unit: 'binary' }), (text) => {
      const q = quote(text);
      assert.equal(unquote(q), text.replace(/[\r\n]/g, ' '));
      assert.equal(scanQuoted(q, 0), q.length);
    }),
  );
});

test('parameters format back to what parses to them', () => {
  const params = value(parseParams(' ; tag = a1 ;lr; q=0.5;x="y z"', 0));
  assert.equal(formatParams(params), ';tag=a1;lr;q=0.5;x="y z"');
  assert.deepEqual(value(parseParams(formatParams(params), 0)), params);
});
