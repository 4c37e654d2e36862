import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SipRequest } from './message.js';
import { SipProtection } from './protection.js';
import type { SipSource } from './transport.js';

const A: SipSource = { protocol: 'udp', address: '198.51.100.1', port: 5060 };
const A2: SipSource = { ...A, port: 5070 };
const B: SipSource = { protocol: 'tcp', address: '198.51.100.2', port: 40000, connectionId: 'x' };

function options(userAgent?: string): SipRequest {
  const headers = [{ name: 'CSeq', value: '1 OPTIONS' }];
  if (userAgent !== undefined) headers.push({ name: 'User-Agent', value: userAgent });
  return {
    kind: 'request',
    method: 'OPTIONS',
    uri: 'sip:x',
    version: 'SIP/2.0',
    headers,
    body: Buffer.alloc(0),
  };
}

test('16 requests in 2 s pass, the 17th bans the address for 5 minutes; other addresses pass', () => {
  const bans: string[] = [];
  const p = new SipProtection({ onBan: (s) => bans.push(s) });
  for (let i = 0; i < 16; i++) assert.equal(p.inspect(options(), A, 1000 + i * 100), 'pass');
  assert.equal(p.inspect(options(), A2, 2600), 'rate-limited', 'another port of the same address counts too');
  assert.deepEqual(bans, ['198.51.100.1']);
  assert.equal(p.isBanned(A, 2601), true);
  assert.equal(p.inspect(options(), A, 2602), 'banned');
  assert.equal(p.inspect(options(), B, 2603), 'pass');
  assert.equal(p.isBanned(A, 2600 + 300_000), false, 'the ban lapses');
  assert.equal(p.inspect(options(), A, 2600 + 300_000), 'pass');
  assert.deepEqual(p.counters, { banned: 2, rateLimited: 1, scanners: 0, bans: 1, untracked: 0 });
});

test('the window slides: a steady 8 per second never trips the limit', () => {
  const p = new SipProtection();
  for (let i = 0; i < 400; i++) assert.equal(p.inspect(null, A, i * 125), 'pass');
});

test('numbers, the source key and the trusted list are configurable', () => {
  const p = new SipProtection({
    maxRequests: 2,
    windowMs: 1000,
    banMs: 50,
    sourceKey: 'address-port',
    trusted: [B.address],
  });
  assert.equal(p.inspect(null, A, 0), 'pass');
  assert.equal(p.inspect(null, A, 1), 'pass');
  assert.equal(p.inspect(null, A2, 2), 'pass', 'another port is another source');
  assert.equal(p.inspect(null, A, 3), 'rate-limited');
  assert.equal(p.inspect(null, A, 52), 'banned');
  assert.equal(p.inspect(null, A, 53), 'pass');
  for (let i = 0; i < 100; i++) assert.equal(p.inspect(null, B, i), 'pass');
  assert.equal(new SipProtection({ maxRequests: false }).inspect(null, A, 0), 'pass');
  assert.throws(() => new SipProtection({ maxRequests: 0 }), RangeError);
});

test('trusted entries may be CIDR ranges, and IPv4-mapped addresses match them', () => {
  const p = new SipProtection({ maxRequests: 2, trusted: ['198.51.100.0/24', '2001:db8::/32'] });
  for (const address of ['198.51.100.7', '::ffff:198.51.100.9', '2001:db8::5']) {
    for (let i = 0; i < 50; i++) assert.equal(p.inspect(null, { ...A, address }, i), 'pass', address);
  }
  const outside = { ...A, address: '198.51.101.1' };
  assert.equal(p.inspect(null, outside, 0), 'pass');
  assert.equal(p.inspect(null, outside, 1), 'pass');
  assert.equal(p.inspect(null, outside, 2), 'rate-limited');
});

test('scanner User-Agents are dropped, case-insensitively, and the list is configurable', () => {
  const p = new SipProtection();
  for (const ua of [
    'friendly-scanner',
    'SIPVicious 0.3.4',
    'sipcli/v1.8',
    'VaxSIPUserAgent/3.1',
    'sundayddr',
    'iWar',
    'sipscan',
  ]) {
    assert.equal(p.inspect(options(ua), A, 0), 'scanner', ua);
  }
  assert.equal(p.inspect(options('Yealink SIP-T46S'), A, 0), 'pass');
  assert.equal(
    new SipProtection({ scannerUserAgents: ['Yealink'] }).inspect(options('Yealink'), A, 0),
    'scanner',
  );
  assert.equal(p.counters.scanners, 7);
});

test('memory stays bounded: quiet sources are forgotten, the table has a cap', () => {
  const p = new SipProtection({ maxTrackedSources: 3 });
  for (let i = 0; i < 5; i++) p.inspect(null, { ...A, address: `10.0.0.${i}` }, 0);
  assert.equal(p.tracked, 3);
  assert.equal(p.counters.untracked, 2);
  p.inspect(null, A, 5000);
  assert.equal(p.tracked, 1, 'the sweep dropped the quiet ones');
  assert.equal(p.bans(5000).length, 0);
});
