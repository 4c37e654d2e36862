/** The agent desktop in a real browser: sign in, go available, get an offer with a screen pop, handle it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, startWebHotline } from './helpers/browser.js';
import { createUserWithAgent } from './helpers/floor.js';

test('an agent goes available, sees the offer with the customer, accepts, completes and codes it', async () => {
  const w = await startWebHotline();
  const { t } = w;
  try {
    const admin = t.adminToken;
    const skill = (await t.call('POST', '/api/skills', { name: 'support' }, admin)).body.id;
    const queue = await t.call(
      'POST',
      '/api/queues',
      { name: 'Support', requirements: [{ skillId: skill, minLevel: 1 }] },
      admin,
    );
    assert.equal(queue.status, 201);
    for (const [kind, code, label] of [
      ['not_ready', 'break', 'Break'],
      ['wrap_up', 'resolved', 'Resolved'],
      ['wrap_up', 'callback', 'Call back later'],
    ]) {
      assert.equal((await t.call('POST', '/api/reason-codes', { kind, code, label }, admin)).status, 201);
    }
    const agent = await createUserWithAgent(t, 'alice', {
      skills: { [skill]: 5 },
      capacity: { chat: 3, voice: 1, email: 5 },
    });
    const customer = await t.call(
      'POST',
      '/api/customers',
      { name: 'Ada Lovelace', phones: ['+14155550123'], vip: true, tags: ['gold'] },
      admin,
    );
    assert.equal(customer.status, 201);
    // An earlier contact, for the history in the screen pop.
    await t.call(
      'POST',
      '/api/interactions',
      { channel: 'email', queueId: queue.body.id, customerId: customer.body.id, subject: 'Invoice question' },
      admin,
    );

    const page = await w.signIn('alice', 'agent-pass-1');
    try {
      const state = page.getByTestId('agent-state');
      await state.filter({ hasText: 'Logged out' }).waitFor();
      await page.getByRole('button', { name: 'Go available' }).click();
      // The earlier email waits in the queue, so it is offered at once; take it and finish it.
      await state.filter({ hasText: 'Offer ringing' }).waitFor();
      await page.getByRole('button', { name: /^Accept/ }).click();
      await state.filter({ hasText: 'Busy' }).waitFor();
      await page.getByRole('button', { name: /^Complete/ }).click();
      await page.getByRole('button', { name: 'Finish wrap-up' }).click();
      await state.filter({ hasText: 'Available' }).waitFor();

      const chat = await t.call(
        'POST',
        '/api/interactions',
        { channel: 'chat', queueId: queue.body.id, from: '(415) 555-0123', subject: 'Where is my order?' },
        admin,
      );
      assert.equal(chat.status, 201, JSON.stringify(chat.body));

      const pop = page.getByTestId('screen-pop');
      await pop.getByTestId('customer-name').filter({ hasText: 'Ada Lovelace' }).waitFor();
      await pop.getByText('VIP', { exact: true }).waitFor();
      await pop.getByText('Invoice question').waitFor();
      await page.getByRole('heading', { name: 'Incoming Chat' }).waitFor();
      await screenshot(page, 'agent-desktop-offer');

      // Keyboard: A answers the offer.
      await page.keyboard.press('a');
      await state.filter({ hasText: 'Busy' }).waitFor();
      await page.getByTestId('time-in-state').waitFor();
      await screenshot(page, 'agent-desktop');
      // H hangs up (completes); then the wrap-up form.
      await page.keyboard.press('h');
      await page.getByLabel('Wrap-up code').selectOption('resolved');
      await page.getByLabel('Notes').fill('Order shipped; tracking number sent.');
      await page.getByRole('button', { name: 'Finish wrap-up' }).click();
      await page.getByTestId('work-item').waitFor({ state: 'detached' });

      const done = await t.call('GET', `/api/interactions/${chat.body.id}`, undefined, admin);
      assert.equal(done.body.status, 'ended');
      assert.equal(done.body.agentId, agent.id);
      assert.equal(done.body.wrapUpCode, 'resolved');
      assert.equal(done.body.wrapUpNotes, 'Order shipped; tracking number sent.');

      // Not ready with a reason, then log out of routing.
      await page.getByRole('button', { name: 'Not ready' }).click();
      await state.filter({ hasText: 'Not ready · Break' }).waitFor();
      const st = await t.call('GET', `/api/agents/${agent.id}/state`, undefined, admin);
      assert.equal(st.body.state, 'not_ready');
      assert.equal(st.body.reason, 'break');
    } catch (err) {
      await screenshot(page, 'failure-agent-desktop');
      throw err;
    }
  } finally {
    await w.stop();
  }
});

test('the desktop shows API errors in plain words and switches to Chinese', async () => {
  const w = await startWebHotline();
  try {
    const page = await (await w.context()).newPage();
    await page.goto(w.url);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong username or password.' }).waitFor();
    assert.equal(await page.getByText('AUTH_INVALID_CREDENTIALS').count(), 0);
    await page.getByLabel('Language / 语言').selectOption('zh');
    await page.getByRole('button', { name: '登录' }).waitFor();
  } finally {
    await w.stop();
  }
});
