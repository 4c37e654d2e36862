/** The admin console in a real browser: configuration made there is what the API serves. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD } from './helpers/hotline.js';
import { screenshot, startWebHotline } from './helpers/browser.js';

test('an admin creates a skill, a queue and a VIP customer in the console; the API serves them', async () => {
  const w = await startWebHotline();
  const { t } = w;
  try {
    const other = await t.call('POST', '/api/queues', { name: 'Spill-over' }, t.adminToken);
    assert.equal(other.status, 201);
    const page = await w.signIn('admin', ADMIN_PASSWORD);
    try {
      await page.getByRole('button', { name: 'Admin', exact: true }).click();

      await page.getByRole('tab', { name: 'Skills' }).click();
      const skillForm = page.getByRole('form', { name: 'Skills' });
      await skillForm.getByLabel('Name').fill('french');
      await skillForm.getByRole('button', { name: 'Create' }).click();
      await page.getByRole('listitem').filter({ hasText: 'french' }).waitFor();

      await page.getByRole('tab', { name: 'Queues' }).click();
      const form = page.getByRole('form', { name: 'Queues' });
      await form.getByLabel('Name', { exact: true }).fill('French support');
      await form.getByLabel('Strategy').selectOption('least_occupied');
      await form.getByLabel('SLA target %').fill('90');
      await form.getByLabel('SLA threshold (s)').fill('30');
      await form.getByRole('checkbox', { name: 'french' }).check();
      await form.getByLabel('french min level').fill('4');
      await form
        .getByRole('spinbutton')
        .filter({ hasNot: page.locator('[aria-label]') })
        .last()
        .fill('120');
      await form.getByRole('combobox').last().selectOption({ label: 'Spill-over' });
      await form.getByRole('button', { name: '+' }).click();
      await form.getByText('after 120 s move to Spill-over').waitFor();
      await form.getByRole('button', { name: 'Create' }).click();
      await page.getByTestId('queue-row').filter({ hasText: 'French support' }).waitFor();
      await screenshot(page, 'admin-console');

      const queues = await t.call('GET', '/api/queues', undefined, t.adminToken);
      const q = queues.body.find((x: { name: string }) => x.name === 'French support');
      assert.ok(q, 'the queue made in the console is served by the API');
      assert.equal(q.strategy, 'least_occupied');
      assert.equal(q.slTargetPct, 90);
      assert.equal(q.slThresholdSec, 30);
      assert.equal(q.requirements.length, 1);
      assert.equal(q.requirements[0].minLevel, 4);
      assert.deepEqual(q.overflow, [{ afterSec: 120, action: 'move', toQueueId: other.body.id }]);

      await page.getByRole('tab', { name: 'Customers (VIP / blacklist)' }).click();
      const cform = page.getByRole('form', { name: 'Customers (VIP / blacklist)' });
      await cform.getByLabel('Name').fill('Grace Hopper');
      await cform.getByLabel('Numbers (comma separated)').fill('+14155550199');
      await cform.getByRole('checkbox', { name: 'VIP' }).check();
      await cform.getByRole('button', { name: 'Create' }).click();
      // The box shows the saved value: it turns on once the server has stored the change.
      await page.getByRole('checkbox', { name: 'Blacklisted Grace Hopper' }).click();
      await page.waitForFunction(
        `document.querySelector('[aria-label="Blacklisted Grace Hopper"]')?.checked === true`,
      );
      const c = await t.call('GET', '/api/customers/lookup?number=%2B14155550199', undefined, t.adminToken);
      assert.equal(c.status, 200);
      assert.equal(c.body.vip, true);
      assert.equal(c.body.blacklisted, true);

      // A duplicate username shows plain words, not the error code.
      await page.getByRole('tab', { name: 'Users' }).click();
      const uform = page.getByRole('form', { name: 'Users' });
      await uform.getByLabel('Username', { exact: true }).fill('admin');
      await uform.getByLabel('Name', { exact: true }).fill('Another admin');
      await uform.getByLabel('Password').fill('long-enough-1');
      await uform.getByRole('button', { name: 'Create' }).click();
      await page.getByRole('alert').filter({ hasText: 'That username is taken.' }).waitFor();
    } catch (err) {
      await screenshot(page, 'failure-admin');
      throw err;
    }
  } finally {
    await w.stop();
  }
});
