/** The supervisor wallboard in a real browser: live over the event stream, forcing and queue moves. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, startWebHotline } from './helpers/browser.js';
import { buildFloor } from './helpers/floor.js';

test('a supervisor sees queues and agents change live and acts on them', async () => {
  const w = await startWebHotline();
  const { t } = w;
  try {
    const floor = await buildFloor(t, {}, 2);
    const [alice] = floor.agents;
    const overflow = await t.call('POST', '/api/queues', { name: 'Overflow desk' }, t.adminToken);
    assert.equal(overflow.status, 201);

    // The agent desktop in one browser context, the supervisor's wallboard in another.
    const agentPage = await w.signIn(alice!.username, 'agent-pass-1');
    const sup = await w.signIn('sup', 'super-pass-1');
    try {
      await sup.getByRole('button', { name: 'Wallboard', exact: true }).click();
      const billing = sup.locator('[data-testid="queue-tile"][data-queue="Billing"]');
      const aliceRow = sup.locator(`[data-testid="agent-row"][data-agent="${alice!.username}"]`);
      await billing.getByTestId('waiting').filter({ hasText: /^0$/ }).waitFor();
      await aliceRow.getByTestId('agent-row-state').filter({ hasText: 'Logged out' }).waitFor();

      // Two customers wait while nobody is logged in: the wallboard counts them without a reload.
      const first = await t.call(
        'POST',
        '/api/interactions',
        { channel: 'chat', queueId: floor.queueId, from: '+14155550101' },
        t.adminToken,
      );
      const second = await t.call(
        'POST',
        '/api/interactions',
        { channel: 'chat', queueId: floor.queueId, from: '+14155550102' },
        t.adminToken,
      );
      assert.equal(second.status, 201);
      await billing.getByTestId('waiting').filter({ hasText: /^2$/ }).waitFor();
      await sup.getByTestId('waiting-row').nth(1).waitFor();

      // Move one to the other queue and raise the other's priority, from the wallboard.
      await sup
        .getByTestId('waiting-row')
        .nth(1)
        .getByLabel('Move to…')
        .selectOption({ label: 'Overflow desk' });
      await billing.getByTestId('waiting').filter({ hasText: /^1$/ }).waitFor();
      const moved = await t.call('GET', `/api/interactions/${second.body.id}`, undefined, t.adminToken);
      assert.equal(moved.body.queueId, overflow.body.id);
      const billingRows = '[data-testid="waiting-row"][data-queue="Billing"]';
      await sup.locator('[data-testid="waiting-row"][data-queue="Overflow desk"]').waitFor();
      await sup.waitForFunction(`document.querySelectorAll('${billingRows}').length === 1`);
      await sup.locator(billingRows).getByRole('button', { name: 'Raise priority' }).click();
      await sup.locator(billingRows).getByRole('cell', { name: '10', exact: true }).waitFor();
      await screenshot(sup, 'wallboard');

      // The agent goes available in their own browser: the offer empties the queue on the wallboard.
      await agentPage.getByRole('button', { name: 'Go available' }).click();
      await aliceRow.getByTestId('agent-row-state').filter({ hasText: 'Offer ringing' }).waitFor();
      await billing.getByTestId('waiting').filter({ hasText: /^0$/ }).waitFor();
      await agentPage.getByRole('button', { name: /^Accept/ }).click();
      await aliceRow.getByTestId('agent-row-state').filter({ hasText: 'Busy' }).waitFor();
      await aliceRow.getByText('Chat (Active)').waitFor();
      await screenshot(sup, 'wallboard-busy');
      const firstNow = await t.call('GET', `/api/interactions/${first.body.id}`, undefined, t.adminToken);
      assert.equal(firstNow.body.agentId, alice!.id);

      // Forcing a logout from the wallboard: pending while the agent works, audited.
      const forced = sup.waitForResponse((r) => r.url().endsWith(`/agents/${alice!.id}/logout`));
      await aliceRow.getByRole('button', { name: 'Log out' }).click();
      assert.equal((await forced).status(), 200);
      const audit = await t.call('GET', '/api/audit?action=agent.force_logout', undefined, t.adminToken);
      assert.equal(audit.body.length, 1);
      const st = await t.call('GET', `/api/agents/${alice!.id}/state`, undefined, t.adminToken);
      assert.equal(st.body.pendingLogout, true);
      // When the agent finishes the work, the logout takes effect; both screens show it.
      await agentPage.getByRole('button', { name: /^Complete/ }).click();
      await agentPage.getByRole('button', { name: 'Finish wrap-up' }).click();
      await agentPage.getByTestId('agent-state').filter({ hasText: 'Logged out' }).waitFor();
      await aliceRow.getByTestId('agent-row-state').filter({ hasText: 'Logged out' }).waitFor();
    } catch (err) {
      await screenshot(sup, 'failure-wallboard');
      throw err;
    }
  } finally {
    await w.stop();
  }
});
