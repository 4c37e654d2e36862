import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';

describe('customers', () => {
  let t: TestHotline;
  before(async () => {
    t = await startTestHotline();
  });
  after(() => t.stop());

  test('numbers are stored in E.164 and found in any spelling', async () => {
    const c = await t.call(
      'POST',
      '/api/customers',
      {
        name: 'Li Wei',
        phones: ['(202) 555-0143', '+86 138 0013 8000'],
        emails: ['Li.Wei@Example.com'],
        tags: ['gas', 'gas'],
        vip: true,
      },
      t.adminToken,
    );
    assert.equal(c.status, 201, JSON.stringify(c.body));
    assert.deepEqual(c.body.phones, ['+12025550143', '+8613800138000']);
    assert.deepEqual(c.body.emails, ['li.wei@example.com']);
    assert.deepEqual(c.body.tags, ['gas']);
    for (const spelling of ['202-555-0143', '+1 (202) 555 0143', '0086 13800138000']) {
      const r = await t.call(
        'GET',
        `/api/customers/lookup?number=${encodeURIComponent(spelling)}`,
        undefined,
        t.adminToken,
      );
      assert.equal(r.status, 200, spelling);
      assert.equal(r.body.id, c.body.id);
    }
    const none = await t.call('GET', '/api/customers/lookup?number=%2B12025550100', undefined, t.adminToken);
    assert.equal(none.status, 404);
    assert.equal(none.body.error.code, 'CUSTOMER_NOT_FOUND');
  });

  test('an invalid number is refused and a number owned by another customer conflicts; nothing is half-saved', async () => {
    const bad = await t.call('POST', '/api/customers', { name: 'X', phones: ['12'] }, t.adminToken);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'PHONE_NUMBER_INVALID');
    const dup = await t.call(
      'POST',
      '/api/customers',
      { name: 'Y', phones: ['+1 202 555 0143'] },
      t.adminToken,
    );
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.code, 'PHONE_NUMBER_TAKEN');
    const all = await t.call('GET', '/api/customers', undefined, t.adminToken);
    assert.deepEqual(
      all.body.map((c: { name: string }) => c.name),
      ['Li Wei'],
    );
  });

  test('search by name, number fragment, tag and flags; update flags', async () => {
    const b = (
      await t.call(
        'POST',
        '/api/customers',
        { name: 'Bob Stone', phones: ['+44 20 7946 0958'], tags: ['water'] },
        t.adminToken,
      )
    ).body;
    const byName = await t.call('GET', '/api/customers?q=stone', undefined, t.adminToken);
    assert.deepEqual(
      byName.body.map((c: { id: string }) => c.id),
      [b.id],
    );
    const byNumber = await t.call('GET', '/api/customers?q=7946', undefined, t.adminToken);
    assert.equal(byNumber.body[0].id, b.id);
    const byTag = await t.call('GET', '/api/customers?tag=water', undefined, t.adminToken);
    assert.equal(byTag.body.length, 1);
    const vips = await t.call('GET', '/api/customers?vip=true', undefined, t.adminToken);
    assert.deepEqual(
      vips.body.map((c: { name: string }) => c.name),
      ['Li Wei'],
    );
    const upd = await t.call('PATCH', `/api/customers/${b.id}`, { blacklisted: true }, t.adminToken);
    assert.equal(upd.status, 200);
    assert.equal(upd.body.blacklisted, true);
    assert.deepEqual(upd.body.phones, ['+442079460958']);
    const audit = await t.call('GET', '/api/audit?action=customer.update', undefined, t.adminToken);
    assert.equal(audit.body[0].details.blacklisted, true);
  });
});
