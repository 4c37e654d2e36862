import { test } from 'node:test';
import assert from 'node:assert/strict';
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
  readTopVia,
  readVias,
  removeHeader,
  requestUri,
  setHeader,
  type SipRequest,
} from './message.js';

function request(headers: [string, string][]): SipRequest {
  return {
    kind: 'request',
    method: 'REGISTER',
    uri: 'sip:registrar.example.com',
    version: 'SIP/2.0',
    headers: headers.map(([name, value]) => ({ name, value })),
    body: Buffer.alloc(0),
  };
}

const register = request([
  ['Via', 'SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/TCP b.example.com;branch=z9hG4bK2'],
  ['Via', 'SIP/2.0/UDP c.example.com;branch=z9hG4bK3'],
  ['To', 'Bob <sip:bob@example.com>'],
  ['From', 'Bob <sip:bob@example.com>;tag=456248'],
  ['Call-ID', '843817637684230@998sdasdh09'],
  ['CSeq', '1826 REGISTER'],
  ['Contact', '<sip:bob@192.0.2.4>;expires=7200'],
  ['m', '<sip:bob@198.51.100.1>'],
  ['Supported', 'path, outbound'],
  ['Supported', 'gruu'],
]);

test('header lookups ignore case and compact forms, even on hand-built messages', () => {
  assert.equal(headerValue(register, 'call-id'), '843817637684230@998sdasdh09');
  assert.equal(headerValue(register, 'i'), '843817637684230@998sdasdh09');
  assert.equal(headerValue(register, 'X-Missing'), undefined);
  assert.equal(headerValues(register, 'contact').length, 2);
  assert.deepEqual(headerList(register, 'k'), ['path', 'outbound', 'gruu']);
});

test('readers return the structured fields', () => {
  const vias = readVias(register);
  assert.ok(vias.ok);
  assert.deepEqual(
    vias.value.map((v) => v.host),
    ['a.example.com', 'b.example.com', 'c.example.com'],
  );
  const top = readTopVia(register);
  assert.ok(top.ok && top.value.params.get('branch') === 'z9hG4bK1');
  assert.deepEqual(readCSeq(register), { ok: true, value: { seq: 1826, method: 'REGISTER' } });
  assert.deepEqual(readCallId(register), { ok: true, value: '843817637684230@998sdasdh09' });
  const from = readFrom(register);
  assert.ok(from.ok && from.value.params.get('tag') === '456248');
  const to = readTo(register);
  assert.ok(to.ok && to.value.displayName === 'Bob' && to.value.params.get('tag') === undefined);
  assert.deepEqual(readMaxForwards(register), { ok: true, value: undefined });
  const contacts = readContacts(register);
  assert.ok(contacts.ok && contacts.value !== '*' && contacts.value.length === 2);
  const uri = requestUri(register);
  assert.ok(uri.ok && uri.value.scheme === 'sip');
});

test('readers report missing or malformed fields instead of throwing', () => {
  const empty = request([]);
  assert.equal(readTopVia(empty).ok, false);
  assert.equal(readVias(empty).ok, false);
  assert.equal(readCSeq(empty).ok, false);
  assert.equal(readFrom(request([['From', '"open <sip:a@b.example>']])).ok, false);
  assert.deepEqual(readContacts(request([['Contact', '*']])), { ok: true, value: '*' });
  assert.equal(
    readContacts(
      request([
        ['Contact', '*'],
        ['Contact', '<sip:a@b.example>'],
      ]),
    ).ok,
    false,
  );
});

test('setHeader replaces all lines in place; removeHeader drops them', () => {
  const m = structuredClone(register);
  setHeader(m, 'contact', '<sip:new@192.0.2.9>');
  assert.deepEqual(headerValues(m, 'Contact'), ['<sip:new@192.0.2.9>']);
  assert.equal(
    m.headers.findIndex((h) => h.name === 'Contact'),
    6,
  );
  setHeader(m, 'x-new', '1');
  assert.deepEqual(m.headers.at(-1), { name: 'x-new', value: '1' });
  removeHeader(m, 'V');
  assert.equal(headerValue(m, 'Via'), undefined);
});
