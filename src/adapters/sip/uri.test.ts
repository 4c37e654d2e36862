import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatUri, isSipUri, parseUri, type SipUri, type Uri } from './uri.js';

function sip(text: string): SipUri {
  const r = parseUri(text);
  assert.ok(r.ok, `${text}: ${r.ok ? '' : r.reason}`);
  assert.ok(isSipUri(r.value));
  return r.value;
}

test('a full SIP URI splits into user, password, host, port, params and headers', () => {
  const u = sip(
    'sips:alice:secret@atlanta.example.com:5061;transport=tcp;lr?subject=project%20x&priority=urgent',
  );
  assert.equal(u.scheme, 'sips');
  assert.equal(u.user, 'alice');
  assert.equal(u.password, 'secret');
  assert.equal(u.host, 'atlanta.example.com');
  assert.equal(u.port, 5061);
  assert.deepEqual(
    [...u.params],
    [
      ['transport', 'tcp'],
      ['lr', null],
    ],
  );
  assert.deepEqual(u.headers, [
    { name: 'subject', value: 'project x' },
    { name: 'priority', value: 'urgent' },
  ]);
});

test('escapes decode in user, parameter names and values (RFC 4475 esc01, escnull)', () => {
  assert.equal(sip('sip:sips%3Auser%40example.com@example.net').user, 'sips:user@example.com');
  assert.equal(sip('sip:%75se%72@example.com').user, 'user');
  assert.equal(sip('sip:I%20have%20spaces@example.net').user, 'I have spaces');
  assert.equal(sip('sip:null-%00-null@example.com').user, 'null-\u0000-null');
  const c = sip('sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31');
  assert.equal(c.user, 'caller');
  assert.deepEqual(
    [...c.params],
    [
      ['lr', null],
      ['name', 'value%41'],
    ],
  );
  assert.equal(sip('sip:J%C3%BCrgen@example.com').user, 'Jürgen');
});

test('invalid escapes, empty parts and stray characters are refused', () => {
  for (const bad of [
    'sip:%Zuser@example.com',
    'sip:user%4@example.com',
    'sip:@example.com',
    'sip:user@',
    'sip:user@exa mple.com',
    'sip:user@example.com;',
    'sip:user@example.com;lr=',
    'sip:user@example.com:99999',
    'sip:user@example.com:',
    'sip:user@[2001:db8::1',
    'sip:user@example.com>',
    'sip:user@example.com?',
    '<sip:user@example.com>',
    ' sip:user@example.com',
    'sip',
    ':opaque',
    '1tel:123',
  ]) {
    assert.equal(parseUri(bad).ok, false, bad);
  }
});

test('IPv6 references keep their brackets and may carry a port', () => {
  const u = sip('sip:[2001:db8::10]:5070;transport=udp');
  assert.equal(u.host, '[2001:db8::10]');
  assert.equal(u.port, 5070);
  assert.equal(sip('sip:bob@[::ffff:192.0.2.1]').host, '[::ffff:192.0.2.1]');
  assert.equal(parseUri('sip:bob@[2001:db8::g]').ok, false);
});

test('telephone numbers with user=phone keep separators and ;-parameters in the user part', () => {
  const u = sip('sip:+1-212-555-1212;postd=pp22@gw.example.com;user=phone');
  assert.equal(u.user, '+1-212-555-1212;postd=pp22');
  assert.equal(u.params.get('user'), 'phone');
  assert.equal(sip('sip:user;par=u%40example.net@example.com').user, 'user;par=u@example.net');
});

test('RFC 4475 intmeth: the odd but legal user and password characters survive', () => {
  const u = sip(
    "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com",
  );
  assert.equal(u.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  assert.equal(u.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
  assert.equal(u.host, 'example.com');
});

test('other schemes are opaque, with a lowercased scheme', () => {
  assert.deepEqual(parseUri('TEL:+1-201-555-0123').ok && parseUri('TEL:+1-201-555-0123'), {
    ok: true,
    value: { scheme: 'tel', opaque: '+1-201-555-0123' },
  });
  for (const text of [
    'soap.beep://192.0.2.103:3002',
    'nobodyKnowsThisScheme:totallyopaquecontent',
    'isbn:2983792873',
  ]) {
    const r = parseUri(text);
    assert.ok(r.ok && !isSipUri(r.value), text);
  }
  assert.equal(parseUri('http://a b').ok, false);
});

test('formatting escapes what a part cannot hold and parses back to the same URI', () => {
  const u: SipUri = {
    scheme: 'sip',
    user: 'sips:user@example.com',
    password: null,
    host: 'example.net',
    port: null,
    params: new Map([['name', 'va lue']]),
    headers: [{ name: 'Route', value: '<sip:example.com>' }],
  };
  const text = formatUri(u);
  assert.equal(text, 'sip:sips%3Auser%40example.com@example.net;name=va%20lue?Route=%3Csip:example.com%3E');
  assert.deepEqual(parseUri(text), { ok: true, value: u });
});

const userChars = fc.string({ minLength: 1, maxLength: 12, unit: 'binary' });
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
const arbitrarySipUri: fc.Arbitrary<Uri> = fc
  .record({
    scheme: fc.constantFrom('sip' as const, 'sips' as const),
    user: fc.option(userChars, { nil: null }),
    password: fc.constant(null),
    host: fc.oneof(
      fc.array(label, { minLength: 1, maxLength: 3 }).map((l) => l.join('.')),
      fc.ipV4(),
      fc.ipV6().map((a) => `[${a}]`),
    ),
    port: fc.option(fc.integer({ min: 0, max: 65535 }), { nil: null }),
    params: fc
      .uniqueArray(
        fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/), fc.option(userChars, { nil: null })),
        {
          selector: ([k]) => k,
          maxLength: 4,
        },
      )
      .map((pairs) => new Map(pairs)),
    headers: fc.array(
      fc
        .record({ name: fc.stringMatching(/^[A-Za-z][A-Za-z-]{0,8}$/), value: userChars })
        .map((h) => ({ ...h })),
      { maxLength: 2 },
    ),
  })
  .map((u) => ({ ...u }));

test('property: parseUri(formatUri(u)) gives u back for any SIP URI', () => {
  fc.assert(
    fc.property(arbitrarySipUri, (u) => {
      assert.deepEqual(parseUri(formatUri(u)), { ok: true, value: u });
    }),
    { numRuns: 500 },
  );
});

test('property: parseUri never throws', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 80, unit: 'binary' }), (s) => {
      parseUri('sip:' + s);
      parseUri(s);
    }),
    { numRuns: 2000 },
  );
});
