import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateRequest, validateResponse, type RequestVerdict } from './validate.js';
import { removeHeader, setHeader, type SipRequest, type SipResponse } from './message.js';

function invite(overrides: Partial<SipRequest> = {}): SipRequest {
  return {
    kind: 'request',
    method: 'INVITE',
    uri: 'sip:bob@example.com',
    version: 'SIP/2.0',
    headers: [
      { name: 'Via', value: 'SIP/2.0/UDP pc33.example.com;branch=z9hG4bKnashds8' },
      { name: 'Max-Forwards', value: '70' },
      { name: 'To', value: '<sip:bob@example.com>' },
      { name: 'From', value: '<sip:alice@example.com>;tag=1928301774' },
      { name: 'Call-ID', value: 'a84b4c76e66710' },
      { name: 'CSeq', value: '314159 INVITE' },
      { name: 'Content-Type', value: 'application/sdp' },
    ],
    body: Buffer.from('v=0\r\n'),
    ...overrides,
  };
}

function code(v: RequestVerdict): number {
  return v.ok ? 200 : v.code;
}

function edited(edit: (m: SipRequest) => void, base = invite()): SipRequest {
  const m = structuredClone(base);
  edit(m);
  return m;
}

test('a plain INVITE passes', () => {
  assert.deepEqual(validateRequest(invite()), { ok: true });
});

test('missing or repeated mandatory headers are 400', () => {
  for (const name of ['Via', 'To', 'From', 'Call-ID', 'CSeq']) {
    assert.equal(code(validateRequest(edited((m) => removeHeader(m, name)))), 400, name);
  }
  const twice = edited((m) => m.headers.push({ name: 'Call-ID', value: 'other' }));
  const v = validateRequest(twice);
  assert.ok(!v.ok && v.code === 400 && /Call-ID/.test(v.reason));
  assert.equal(
    code(validateRequest(edited((m) => removeHeader(m, 'Max-Forwards')))),
    200,
    'RFC 2543 peers omit it',
  );
});

test('unknown methods are 501 and known unsupported ones 405, both with Allow', () => {
  const unknown = validateRequest(
    invite({ method: 'FOO', headers: edited((m) => setHeader(m, 'CSeq', '1 FOO')).headers }),
  );
  assert.ok(!unknown.ok && unknown.code === 501);
  assert.equal(unknown.headers[0]!.name, 'Allow');
  const publish = edited((m) => {
    m.method = 'PUBLISH';
    setHeader(m, 'CSeq', '1 PUBLISH');
  });
  assert.equal(code(validateRequest(publish)), 405);
  assert.equal(code(validateRequest(publish, { methods: ['PUBLISH'] })), 200);
});

test('a CSeq method that differs from the request method is 400', () => {
  assert.equal(code(validateRequest(edited((m) => setHeader(m, 'CSeq', '1 OPTIONS')))), 400);
});

test('Request-URI schemes outside the supported set are 416', () => {
  assert.equal(code(validateRequest(invite({ uri: 'tel:+15551234567' }))), 200);
  assert.equal(code(validateRequest(invite({ uri: 'mailto:bob@example.com' }))), 416);
  assert.equal(code(validateRequest(invite({ uri: 'tel:+15551234567' }), { uriSchemes: ['sip'] })), 416);
});

test('Max-Forwards 0: a UAS carries on, a proxy answers 483 except to OPTIONS', () => {
  const zero = edited((m) => setHeader(m, 'Max-Forwards', '0'));
  assert.equal(code(validateRequest(zero)), 200);
  assert.equal(code(validateRequest(zero, { role: 'proxy' })), 483);
  const options = edited((m) => {
    m.method = 'OPTIONS';
    setHeader(m, 'CSeq', '1 OPTIONS');
  }, zero);
  assert.equal(code(validateRequest(options, { role: 'proxy' })), 200);
});

test('Require with unknown option tags is 420 listing them in Unsupported', () => {
  const m = edited((r) => r.headers.push({ name: 'Require', value: '100rel, foo' }));
  const v = validateRequest(m, { extensions: ['100rel'] });
  assert.ok(!v.ok && v.code === 420);
  assert.deepEqual(v.headers, [{ name: 'Unsupported', value: 'foo' }]);
  assert.equal(code(validateRequest(m, { extensions: ['100rel', 'foo'] })), 200);
  const proxyRequire = edited((r) => r.headers.push({ name: 'Proxy-Require', value: 'bar' }));
  assert.equal(code(validateRequest(proxyRequire)), 200, 'a UAS ignores Proxy-Require');
  assert.equal(code(validateRequest(proxyRequire, { role: 'proxy' })), 420);
});

test('bodies need a Content-Type the element understands, without encodings', () => {
  assert.equal(code(validateRequest(edited((m) => removeHeader(m, 'Content-Type')))), 400);
  const unknown = validateRequest(edited((m) => setHeader(m, 'Content-Type', 'application/x-unknown')));
  assert.ok(!unknown.ok && unknown.code === 415 && unknown.headers[0]!.name === 'Accept');
  assert.equal(
    code(validateRequest(edited((m) => setHeader(m, 'Content-Type', 'Application/SDP; charset=utf-8')))),
    200,
  );
  const gzip = validateRequest(edited((m) => setHeader(m, 'Content-Encoding', 'gzip')));
  assert.ok(!gzip.ok && gzip.code === 415 && gzip.headers[0]!.name === 'Accept-Encoding');
  assert.equal(
    code(
      validateRequest(
        edited((m) => removeHeader(m, 'Content-Type')),
        { bodyTypes: [] },
      ),
    ),
    400,
  );
  assert.equal(
    code(validateRequest(invite({ body: Buffer.alloc(0), headers: invite().headers.slice(0, 6) }))),
    200,
  );
});

test('an INVITE whose Accept excludes SDP is 406; wildcards count', () => {
  const accept = (value: string) => validateRequest(edited((m) => m.headers.push({ name: 'Accept', value })));
  assert.equal(code(accept('text/nobodyKnowsThis')), 406);
  assert.equal(code(accept('')), 406);
  assert.equal(code(accept('text/plain, application/sdp')), 200);
  assert.equal(code(accept('application/*')), 200);
  assert.equal(code(accept('*/*')), 200);
});

test('a bare magic-cookie branch and a non-GMT Date are 400', () => {
  assert.equal(
    code(validateRequest(edited((m) => setHeader(m, 'Via', 'SIP/2.0/UDP h.example.com;branch=z9hG4bK')))),
    400,
  );
  assert.equal(
    code(validateRequest(edited((m) => setHeader(m, 'Via', 'SIP/2.0/UDP h.example.com;branch=1')))),
    200,
  );
  assert.equal(code(validateRequest(edited((m) => setHeader(m, 'Via', 'SIP/2.0/UDP h.example.com')))), 200);
  assert.equal(
    code(validateRequest(edited((m) => setHeader(m, 'Date', 'Sat, 13 Nov 2010 23:29:00 GMT')))),
    200,
  );
  assert.equal(
    code(validateRequest(edited((m) => setHeader(m, 'Date', 'Fri, 01 Jan 2010 16:00:00 EST')))),
    400,
  );
});

test('a REGISTER needs a SIP or SIPS address-of-record in To', () => {
  const register = edited((m) => {
    m.method = 'REGISTER';
    m.uri = 'sip:example.com';
    setHeader(m, 'CSeq', '1 REGISTER');
    m.body = Buffer.alloc(0);
  });
  assert.equal(code(validateRequest(register)), 200);
  assert.equal(code(validateRequest(edited((m) => setHeader(m, 'To', 'isbn:2983792873'), register))), 400);
});

test('an ACK is never answered: its failures say drop', () => {
  const ack = edited((m) => {
    m.method = 'ACK';
    setHeader(m, 'CSeq', '314159 ACK');
    setHeader(m, 'Content-Type', 'application/x-unknown');
  });
  const v = validateRequest(ack);
  assert.ok(!v.ok && v.code === 415 && v.action === 'drop');
});

test('responses with more than one Via, or a missing or repeated core header, are discarded', () => {
  const response: SipResponse = {
    kind: 'response',
    version: 'SIP/2.0',
    status: 200,
    reason: 'OK',
    headers: invite().headers.filter((h) => h.name !== 'Max-Forwards'),
    body: Buffer.alloc(0),
  };
  assert.deepEqual(validateResponse(response), { ok: true });
  const twoVias = structuredClone(response);
  twoVias.headers[0]!.value += ', SIP/2.0/UDP 255.255.255.255;branch=z9hG4bK1saber23';
  assert.equal(validateResponse(twoVias).ok, false);
  const noTo = structuredClone(response);
  removeHeader(noTo, 'To');
  assert.equal(validateResponse(noTo).ok, false);
});
