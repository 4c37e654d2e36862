import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InviteAdmission, sourceProblem } from './admission.js';

const carrier = {
  name: 'carrier',
  sources: ['203.0.113.0/24', '198.51.100.7'],
  dids: ['+12025550100', '5550101'],
};
const pbx = { name: 'pbx', sources: ['2001:db8::/32'], dids: ['*'] };

test('a trunk address calling one of its numbers is admitted, with the trunk named', () => {
  const a = new InviteAdmission([carrier, pbx]);
  assert.deepEqual(a.check('203.0.113.7', '+12025550100'), { ok: true, trunk: 'carrier' });
  // Carriers differ on the leading '+' and on punctuation.
  assert.deepEqual(a.check('198.51.100.7', '12025550100'), { ok: true, trunk: 'carrier' });
  assert.deepEqual(a.check('::ffff:198.51.100.7', '555-0101'), { ok: true, trunk: 'carrier' });
  assert.deepEqual(a.check('2001:db8::42', 'anything'), { ok: true, trunk: 'pbx' });
});

test('an unknown source is 403, a number the trunk does not carry 404', () => {
  const a = new InviteAdmission([carrier, pbx]);
  assert.equal(a.check('203.0.114.1', '+12025550100').ok, false);
  assert.deepEqual(a.check('203.0.114.1', '+12025550100'), {
    ok: false,
    status: 403,
    reason: 'Forbidden',
    trunk: null,
  });
  assert.deepEqual(a.check('198.51.100.8', '5550101'), {
    ok: false,
    status: 403,
    reason: 'Forbidden',
    trunk: null,
  });
  assert.deepEqual(a.check('203.0.113.9', '+12025550199'), {
    ok: false,
    status: 404,
    reason: 'Not Found',
    trunk: 'carrier',
  });
  assert.equal(a.check('203.0.113.9', '').ok, false);
  assert.equal(a.check('not-an-address', '5550101').ok, false);
});

test('without trunks every INVITE is admitted (development mode)', () => {
  const a = new InviteAdmission([]);
  assert.equal(a.permissive, true);
  assert.deepEqual(a.check('192.0.2.1', '1'), { ok: true, trunk: null });
});

test('source entries are addresses or CIDR ranges with a valid prefix', () => {
  assert.equal(sourceProblem('10.0.0.0/8'), null);
  assert.equal(sourceProblem('10.0.0.1'), null);
  assert.equal(sourceProblem('2001:db8::/32'), null);
  assert.equal(sourceProblem('10.0.0.0/33'), 'prefix length must be 0-32');
  assert.equal(sourceProblem('carrier.example'), 'not an IP address or CIDR range');
  assert.equal(sourceProblem('10.0.0.0/8/8'), 'not an IP address or CIDR range');
  assert.equal(sourceProblem('10.0.0.0/x'), 'prefix length must be 0-32');
});
