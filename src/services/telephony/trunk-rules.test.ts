import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TRUNK_DID, TRUNK_NAME, proxyProblem, sourceProblem, validDomain } from './trunk-rules.js';

test('sources are addresses or CIDR ranges with a prefix that fits the family', () => {
  assert.equal(sourceProblem('203.0.113.0/24'), null);
  assert.equal(sourceProblem('2001:db8::/128'), null);
  assert.equal(sourceProblem('2001:db8::/129'), 'prefix length must be 0-128');
  assert.equal(sourceProblem('203.0.113.0/-1'), 'prefix length must be 0-32');
  assert.equal(sourceProblem('sip.carrier.example'), 'not an IP address or CIDR range');
});

test('an outbound proxy is host[:port] without a scheme', () => {
  for (const ok of [
    'carrier.example',
    'carrier.example:5080',
    '192.0.2.1:5060',
    '[2001:db8::1]:5060',
    '[::1]',
  ]) {
    assert.equal(proxyProblem(ok), null, ok);
  }
  assert.match(proxyProblem('sip:carrier.example')!, /without "sip:"/);
  assert.match(proxyProblem('2001:db8::1')!, /brackets/);
  assert.match(proxyProblem('carrier.example:0')!, /1-65535/);
  assert.match(proxyProblem('carrier.example;transport=tcp')!, /host name/);
  assert.match(proxyProblem('[carrier.example]:5060')!, /IPv6/);
});

test('names, numbers and domains', () => {
  assert.ok(TRUNK_NAME.test('carrier-1.eu'));
  assert.ok(!TRUNK_NAME.test('-carrier'));
  assert.ok(!TRUNK_NAME.test('a/b'));
  assert.ok(TRUNK_DID.test('*') && TRUNK_DID.test('+12025550100') && TRUNK_DID.test('5550101'));
  assert.ok(!TRUNK_DID.test('12*') && !TRUNK_DID.test('+'));
  assert.ok(validDomain('carrier.example') && validDomain('192.0.2.1') && !validDomain('carrier example'));
});
