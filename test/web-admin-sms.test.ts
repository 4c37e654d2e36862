// The SMS section of the admin console in a real browser, against a test Hotline bound to the
// SMSC simulator: the monitor shows the route bound and a failure; a message sent from the page
// and one sent over the API are found by number, state and sender ID, followed to "Delivered" by
// the pushed events, opened with their segments and receipts, and exported as CSV; a throttled
// campaign made in the page is paused and resumed there and completes; an account, a price, a
// client webhook and a dunning plan are made in their forms and served by the API. Screenshots go
// to test-results/ (the monitor's is docs/screenshots/admin-sms-monitor.png).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { SmscSimulator } from '../src/adapters/smpp/index.js';
import { ADMIN_PASSWORD } from './helpers/hotline.js';
import { screenshot, startWebHotline, type WebHotline } from './helpers/browser.js';

const LIMIT = { timeout: 240_000 };
let smsc: SmscSimulator;
let w: WebHotline;
let page: Page;

before(async () => {
  smsc = new SmscSimulator({ receiptDelayMs: 20 });
  const port = await smsc.start();
  w = await startWebHotline({ env: { HOTLINE_SMSC_URL: `smpp://hotline:secret@127.0.0.1:${port}` } });
  page = await w.signIn('admin', ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Admin', exact: true }).click();
  await page.getByRole('tab', { name: 'SMS' }).click();
});

after(async () => {
  await w?.stop();
  await smsc?.stop();
});

const api = (method: string, path: string, body?: unknown) => w.t.call(method, path, body, w.t.adminToken);
const sub = (name: string) => page.getByRole('tab', { name, exact: true });

/** Runs `fn`; on failure keeps a screenshot of the page as it was. */
async function shot<T>(name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    await screenshot(page, `failure-${name}`);
    throw err;
  }
}

test(
  'messages: sent from the page and over the API, found by number, followed to delivered, opened, exported',
  LIMIT,
  () =>
    shot('admin-sms-messages', async () => {
      // The monitor: the simulator's route is bound.
      await sub('Monitor').click();
      const route = page.locator('[data-testid="sms-route-row"][data-route="default"]');
      await route.getByText('Bound', { exact: true }).waitFor();

      // A message from the page's own form.
      await sub('Messages').click();
      const send = page.getByRole('form', { name: 'Send an SMS' });
      await send.getByLabel('To', { exact: true }).fill('+1 202 555 3001');
      await send.getByLabel('Text', { exact: true }).fill('Your technician arrives at 10:00.');
      await send.getByLabel('Sender ID', { exact: true }).fill('WaterCo');
      await send.getByRole('button', { name: 'Send' }).click();
      await send.getByRole('status').filter({ hasText: 'Stored for sending to +12025553001' }).waitFor();

      // One over the API, and one the simulator refuses (…0045: submit failed).
      const viaApi = await api('POST', '/api/sms', { to: '+12025553002', body: 'Meter reading due Friday.' });
      assert.equal(viaApi.status, 201, JSON.stringify(viaApi.body));
      const refused = await api('POST', '/api/sms', { to: '+12025550045', body: 'This one fails.' });
      assert.equal(refused.status, 201, JSON.stringify(refused.body));

      // Search by number: the API's message, followed to Delivered by the pushed events.
      const search = page.getByRole('form', { name: 'Find messages' });
      await search.getByLabel('Number', { exact: true }).fill('(202) 555-3002');
      await search.getByRole('button', { name: 'Search' }).click();
      const rows = page.getByTestId('sms-row');
      await rows.filter({ hasText: 'Meter reading due Friday.' }).waitFor();
      assert.equal(await rows.count(), 1, 'only the number searched for');
      const row = page.locator('[data-testid="sms-row"][data-recipient="+12025553002"]');
      await row.getByTestId('sms-status').filter({ hasText: 'Delivered' }).waitFor();

      // Its details: the segment with the SMSC's id, the steps with the receipt.
      await row.getByRole('button', { name: 'Details of the message to +12025553002' }).click();
      const detail = page.getByTestId('sms-detail');
      await detail.getByTestId('sms-step').filter({ hasText: 'Accepted by the SMSC' }).waitFor();
      await detail.getByTestId('sms-step').filter({ hasText: 'Delivery receipt' }).first().waitFor();
      // The message's own status change reads apart from its part's steps.
      await detail.getByTestId('sms-step').filter({ hasText: 'Message now Delivered' }).waitFor();
      const part = detail.getByTestId('sms-part').first();
      await part.filter({ hasText: 'default' }).waitFor();
      const msg = (await api('GET', `/api/sms/${viaApi.body.id}`)).body;
      assert.ok(msg.parts[0].smscMessageId, JSON.stringify(msg.parts));
      await part.getByText(msg.parts[0].smscMessageId).waitFor();

      // By state: the refused one.
      await search.getByLabel('Number', { exact: true }).fill('');
      await search.getByLabel('State').selectOption('failed');
      await search.getByRole('button', { name: 'Search' }).click();
      await page.locator('[data-testid="sms-row"][data-recipient="+12025550045"]').waitFor();
      assert.equal(await rows.count(), 1);

      // By sender ID: the page's message.
      await search.getByLabel('State').selectOption('');
      await search.getByLabel('Sender ID', { exact: true }).fill('WaterCo');
      await search.getByRole('button', { name: 'Search' }).click();
      await page.locator('[data-testid="sms-row"][data-recipient="+12025553001"]').waitFor();
      assert.equal(await rows.count(), 1);

      // CSV of the current search (all states now).
      await search.getByRole('button', { name: 'Clear' }).click();
      await rows.filter({ hasText: 'Your technician arrives at 10:00.' }).waitFor();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        search.getByRole('button', { name: 'Export CSV' }).click(),
      ]);
      assert.equal(download.suggestedFilename(), 'sms.csv');
      const csv = readFileSync(await download.path(), 'utf8');
      for (const n of ['+12025553001', '+12025553002', '+12025550045']) assert.ok(csv.includes(n), csv);
      await screenshot(page, 'admin-sms-messages');

      // The monitor shows the failure.
      await sub('Monitor').click();
      await page.getByTestId('sms-failure-row').filter({ hasText: 'default' }).first().waitFor();
      await screenshot(page, 'admin-sms-monitor');
    }),
);

test('campaigns: made in the page, paused and resumed there, live progress to completed', LIMIT, () =>
  shot('admin-sms-campaigns', async () => {
    await sub('Campaigns').click();
    const form = page.getByRole('form', { name: 'New campaign' });
    await form.getByLabel('Name', { exact: true }).fill('Meter week');
    await form.getByLabel('Template', { exact: true }).fill('Your meter is read this week.');
    await form.getByLabel('Type').selectOption('notification');
    await form.getByLabel('Messages per second').fill('2');
    const numbers = Array.from({ length: 24 }, (_, i) => `+1202555${4000 + i}`);
    await form.getByLabel('Numbers', { exact: true }).fill(numbers.join('\n'));
    await form.getByRole('checkbox', { name: 'Start at once (else a draft)' }).uncheck();
    await form.getByRole('button', { name: 'Create' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'created with 24 messages; 0 recipients refused' })
      .waitFor();

    const row = page.locator('[data-testid="campaign-row"][data-campaign="Meter week"]');
    const state = row.getByTestId('campaign-state');
    await state.filter({ hasText: 'Draft' }).waitFor();
    await row.getByRole('button', { name: 'Start Meter week' }).click();
    await state.filter({ hasText: 'Running' }).waitFor();
    // Progress moves with the pushed events.
    await row
      .getByTestId('campaign-progress')
      .filter({ hasText: /[1-9]\d* delivered/ })
      .waitFor();

    await row.getByRole('button', { name: 'Pause Meter week' }).click();
    await state.filter({ hasText: 'Paused' }).waitFor();
    const [c] = (await api('GET', '/api/sms/campaigns')).body;
    assert.equal(c.state, 'paused');
    const paused = (await api('GET', `/api/sms/campaigns/${c.id}`)).body.progress;
    assert.ok(paused.queued > 0, `still something to send: ${JSON.stringify(paused)}`);
    await screenshot(page, 'admin-sms-campaigns');

    await row.getByRole('button', { name: 'Resume Meter week' }).click();
    await state.filter({ hasText: /Running|Completed/ }).waitFor();
    await state.filter({ hasText: 'Completed' }).waitFor({ timeout: 120_000 });
    await row.getByTestId('campaign-progress').filter({ hasText: '24 delivered' }).waitFor();
    const sent = smsc.submits.filter((s) => s.destination.startsWith('120255540'));
    assert.equal(sent.length, 24, 'each recipient once, nothing lost to the pause');

    // A campaign from an uploaded CSV: the columns fill the template; a bad row is reported.
    await form.getByLabel('Name', { exact: true }).fill('Named hello');
    await form.getByLabel('Template', { exact: true }).fill('Hi {{name}}, your meter is read this week.');
    await form.getByRole('radio', { name: 'CSV file' }).check();
    await form.getByLabel('File (CSV)').setInputFiles({
      name: 'list.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('phone,name\n+12025554101,Ann\n12,Bad\n+12025554102,Bob\n'),
    });
    await form.getByRole('checkbox', { name: 'Start at once (else a draft)' }).uncheck();
    await form.getByRole('button', { name: 'Create' }).click();
    const note = page
      .getByRole('status')
      .filter({ hasText: 'Campaign “Named hello” created with 2 messages' });
    await note.waitFor();
    await note.getByText('That is not a valid phone number.').waitFor();
    await page
      .locator('[data-testid="campaign-row"][data-campaign="Named hello"]')
      .getByTestId('campaign-state')
      .filter({ hasText: 'Draft' })
      .waitFor();

    // The campaign is a filter of the message search.
    await sub('Messages').click();
    const search = page.getByRole('form', { name: 'Find messages' });
    await search.getByLabel('Campaign').selectOption({ label: 'Meter week' });
    await search.getByRole('button', { name: 'Search' }).click();
    await page.getByTestId('sms-row').nth(23).waitFor();
  }),
);

test(
  'accounts, prices, client webhooks and dunning plans: made in their forms, served by the API',
  LIMIT,
  () =>
    shot('admin-sms-accounts', async () => {
      await sub('Accounts & prices').click();
      const form = page.getByRole('form', { name: 'New SMS account' });
      await form.getByLabel('Name', { exact: true }).fill('Water board');
      await form.getByLabel('Kind').selectOption('api_client');
      await form.getByLabel('Opening balance').fill('25.00');
      await form.getByRole('button', { name: 'Create' }).click();
      const row = page.locator('[data-testid="account-row"][data-account="Water board"]');
      await row.getByTestId('account-available').filter({ hasText: '25.00 EUR' }).waitFor();

      await row.getByRole('button', { name: 'Ledger & statement Water board' }).click();
      const topUp = page.getByRole('form', { name: 'Top up' });
      await topUp.getByLabel('Amount (EUR; negative corrects)').fill('5');
      await topUp.getByRole('button', { name: 'Top up' }).click();
      await row.getByTestId('account-available').filter({ hasText: '30.00 EUR' }).waitFor();
      await page.getByRole('table', { name: 'Ledger' }).getByText('Top-up', { exact: true }).nth(1).waitFor();

      const prices = page.getByRole('form', { name: 'Prices' });
      await prices.getByLabel('Number prefix').fill('+1');
      await prices.getByLabel('Per segment').fill('4');
      await prices.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('table', { name: 'Prices' }).getByText('+1', { exact: true }).waitFor();

      const accounts = (await api('GET', '/api/sms/accounts')).body as {
        id: string;
        name: string;
        balance: number;
      }[];
      const water = accounts.find((a) => a.name === 'Water board');
      assert.equal(water?.balance, 3000);
      const priceList = (await api('GET', '/api/sms/prices')).body as {
        prefix: string;
        perSegment: number;
      }[];
      assert.deepEqual(
        priceList.map((p) => [p.prefix, p.perSegment]),
        [['1', 4]],
      );

      // A webhook of its own: the secret is shown once.
      await sub('Client webhooks').click();
      const hook = page.getByRole('form', { name: 'Set an account’s webhook' });
      await hook.getByLabel('Account').selectOption({ label: 'Water board' });
      await hook.getByLabel('Webhook URL').fill('https://water.example/receipts');
      await hook.getByRole('button', { name: 'Save' }).click();
      await page.getByTestId('webhook-secret').waitFor();
      await page
        .locator('[data-testid="webhook-row"][data-account="Water board"]')
        .getByText('https://water.example/receipts')
        .waitFor();
      const served = await api('GET', `/api/sms/accounts/${water.id}/webhook`);
      assert.equal(served.body.url, 'https://water.example/receipts');

      // A dunning plan, then an edit of it.
      await sub('Dunning notices').click();
      const plan = page.getByRole('form', { name: 'New dunning plan' });
      await plan.getByLabel('Name', { exact: true }).fill('Water arrears');
      await plan.getByLabel('Account').selectOption({ label: 'Water board' });
      await plan.getByLabel('Minimum debt (EUR)').fill('10');
      await plan
        .getByLabel('Level 1', { exact: true })
        .fill('Dear {{name}}, {{amount}} {{currency}} is overdue.');
      await plan.getByRole('button', { name: 'Add a level' }).click();
      await plan
        .getByLabel('Level 2', { exact: true })
        .fill('Second notice: {{amount}} {{currency}} is still due.');
      await plan.getByRole('button', { name: 'Create' }).click();
      const planRow = page.locator('[data-testid="dunning-plan-row"][data-plan="Water arrears"]');
      await planRow.getByText('from 10.00 EUR').waitFor();
      await planRow.getByRole('button', { name: 'Edit Water arrears' }).click();
      const edit = page.getByRole('form', { name: 'Edit dunning plan' });
      await edit.getByLabel('Notices per period').fill('3');
      await edit.getByRole('button', { name: 'Save' }).click();
      await planRow.getByText('3 per 30 days').waitFor();
      const plans = (await api('GET', '/api/sms/dunning/plans')).body;
      assert.equal(plans[0].maxPerPeriod, 3);
      assert.equal(plans[0].thresholdMinor, 1000);
      assert.equal(plans[0].stages.length, 2);

      // Arrears from a CSV, a preview (one notice, one debt below the minimum), and a run.
      await planRow.getByRole('button', { name: 'Arrears, preview & run Water arrears' }).click();
      const work = page.getByRole('region', { name: 'Arrears, preview & run Water arrears' });
      await work.getByLabel('Arrears CSV').setInputFiles({
        name: 'arrears.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(
          'reference,phone,name,amount,due_date,utility\n' +
            'W-1,+12025554201,Ann Lee,42.50,2026-10-01,water\n' +
            'W-2,+12025554202,Bob Roe,5.00,2026-10-01,water\n',
        ),
      });
      await work.getByRole('button', { name: 'Import' }).click();
      await work
        .getByRole('status')
        .filter({ hasText: '2 rows stored (2 new, 0 updated); 0 rows refused.' })
        .waitFor();
      await work.getByRole('button', { name: 'Preview' }).click();
      await work.getByText('A run now sends 1 notices').waitFor();
      await work.getByText('Dear Ann Lee, 42.50 EUR is overdue.').waitFor();
      await work.getByText('Below the minimum debt').waitFor();
      await work.getByRole('button', { name: 'Run now' }).click();
      await work.getByRole('status').filter({ hasText: 'Sent 1 notices to the outbox; 0 refused' }).waitFor();
      const notices = (await api('GET', '/api/sms?to=%2B12025554201')).body;
      assert.equal(notices.length, 1);
      assert.equal(notices[0].body, 'Dear Ann Lee, 42.50 EUR is overdue.');
      await screenshot(page, 'admin-sms-dunning');

      // An error in plain words: a second plan with the same name.
      await plan.getByLabel('Name', { exact: true }).fill('Water arrears');
      await plan.getByLabel('Account').selectOption({ label: 'Water board' });
      await plan.getByLabel('Level 1', { exact: true }).fill('Again.');
      await plan.getByRole('button', { name: 'Create' }).click();
      await page
        .getByRole('alert')
        .filter({ hasText: 'Another dunning plan already has this name.' })
        .waitFor();
      await page.getByRole('alert').getByRole('button', { name: 'Close' }).click();

      // In Chinese too.
      await page.getByRole('combobox', { name: 'Language / 语言' }).selectOption('zh');
      await page.getByRole('tab', { name: '催缴通知' }).waitFor();
      await page.getByRole('combobox', { name: 'Language / 语言' }).selectOption('en');
    }),
);
