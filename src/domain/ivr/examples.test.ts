import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BusinessHours } from '../calendar/business-hours.js';
import { dialPlanGuard } from './dial-plan.js';
import { CallDriver, EXAMPLES, example } from './fixtures.test.js';
import { flowPromptIds } from './flow.js';
import { assertFlow, validateFlow } from './validation.js';

const main: BusinessHours = {
  timeZone: 'America/New_York',
  weekly: { mon: [{ from: '08:00', to: '20:00' }], thu: [{ from: '08:00', to: '20:00' }] },
  holidays: ['2026-11-26'],
};
const calendars = { main };
const NIGHT = Date.UTC(2026, 10, 24, 3); // Monday 22:00 New York
const THANKSGIVING = Date.UTC(2026, 10, 26, 15);

test('every example flow in docs/ivr-examples is valid, without warnings', () => {
  for (const name of EXAMPLES) {
    const v = validateFlow(example(name));
    assert.ok(v.ok, `${name}: ${JSON.stringify(v.ok ? [] : v.problems)}`);
    assert.deepEqual(v.warnings, [], name);
  }
});

const utility = assertFlow(example('utility-main-menu'));

test('utility line, open: customer lookup, menu, account balance said in English', () => {
  const call = new CallDriver(utility, { calendars });
  assert.equal(call.of('lookup')[0]?.source, 'customer_by_caller');
  call.send({ type: 'lookup_result', ok: true, data: { id: 'c-1', name: 'Ann' } });
  call.digits('1'); // barge into the welcome, type-ahead answers the menu
  call.digits('12345678#');
  const balance = call.of('lookup')[1];
  assert.ok(balance?.source === 'webhook');
  assert.equal(balance.url, 'https://billing.example.com/api/accounts/12345678/balance');
  call.send({ type: 'lookup_result', ok: true, data: { balance: '1234.05', dueDate: '2026-12-01' } });
  assert.deepEqual(call.lastPlay().prompts, [
    'your_balance_is',
    'say/1',
    'say/thousand',
    'say/2',
    'say/hundred',
    'say/30',
    'say/4',
    'say/dollars',
    'say/and',
    'say/5',
    'say/cents',
    'due_on',
    'say/december',
    'say/1st',
    'say/20',
    'say/20',
    'say/6',
  ]);
  call.playDone();
  call.playDone();
  call.digits('0');
  assert.deepEqual(
    call.of('queue').map((q) => [q.queueId, q.priority, q.skills]),
    [['customer_service', 0, [{ skill: 'lang_en', minLevel: 1 }]]],
  );
  assert.deepEqual(call.path(), [
    'hours',
    'identify',
    'welcome',
    'vip_check',
    'main_menu',
    'account_entry',
    'balance_lookup',
    'say_balance',
    'after_balance',
    'agent_queue',
  ]);
});

test('utility line in Mandarin says the balance in Mandarin', () => {
  const call = new CallDriver(utility, { calendars, language: 'zh' });
  call.send({ type: 'lookup_result', ok: false, error: 'crm down' });
  call.digits('1');
  call.digits('12345678#');
  call.send({ type: 'lookup_result', ok: true, data: { balance: '12.5', dueDate: '2026-11-23' } });
  assert.deepEqual(
    call
      .lastPlay()
      .prompts.filter((p) => p.startsWith('say/'))
      .join(' '),
    'say/shi say/2 say/meiyuan say/5 say/shi say/meifen say/2 say/0 say/2 say/6 say/nian say/shi say/1 say/yue say/2 say/shi say/3 say/ri',
  );
});

test('utility line: night, holiday, VIP and blacklisted callers', () => {
  const night = new CallDriver(utility, { calendars, now: NIGHT });
  assert.deepEqual(night.lastPlay().prompts, ['after_hours_menu']);
  night.digits('1');
  assert.equal(night.of('record_voicemail')[0]?.mailbox, 'customer_service');

  const holiday = new CallDriver(utility, { calendars, now: THANKSGIVING });
  assert.deepEqual(holiday.lastPlay().prompts, ['holiday_closed']);

  const vip = new CallDriver(utility, { calendars, vip: true });
  vip.send({ type: 'lookup_result', ok: true, data: {} });
  vip.playDone();
  assert.deepEqual(
    vip.of('queue').map((q) => [q.queueId, q.priority, q.basePriority]),
    [['priority_care', 25, 5]],
  );

  const banned = new CallDriver(utility, { calendars, blacklisted: true });
  assert.deepEqual(banned.lastPlay().prompts, ['blacklist_notice']);
  banned.playDone();
  assert.deepEqual(banned.of('hangup'), [{ type: 'hangup', cause: 'blacklisted' }]);

  const noCalendar = new CallDriver(utility);
  assert.equal(noCalendar.path()[1], 'identify', 'a missing calendar takes the condition onError');
});

test('card payment: card digits never reach a log, the charge request is flagged sensitive', () => {
  const call = new CallDriver(assertFlow(example('card-payment')));
  call.playDone();
  call.digits('87654321#');
  call.send({ type: 'lookup_result', ok: true, data: { amountDue: 99.9 } });
  assert.ok(call.lastPlay().prompts.includes('say/90'));
  call.digits('1');
  call.digits('4111111111111111#');
  call.digits('1228');
  call.digits('737#');
  const charge = call.of('lookup')[1];
  assert.ok(charge?.source === 'webhook');
  assert.equal(charge.sensitive, true);
  assert.deepEqual(charge.params, {
    account: '87654321',
    amount: '99.9',
    card: '4111111111111111',
    expiry: '1228',
    cvv: '737',
  });
  call.send({ type: 'lookup_result', ok: true, data: { status: 'approved', confirmation: 7731 } });
  assert.deepEqual(call.lastPlay().prompts, [
    'payment_approved',
    'your_confirmation_number_is',
    'say/7',
    'say/7',
    'say/3',
    'say/1',
  ]);
  const logs = JSON.stringify(call.of('log'));
  for (const secret of ['4111111111111111', '1228', '737']) assert.ok(!logs.includes(secret), secret);
  assert.ok(logs.includes('87654321'), 'the account number is not sensitive');
  assert.deepEqual(call.state.sensitive, ['card_number', 'card_expiry', 'card_cvv']);
});

test('gas emergency: transfer through the guard, the emergency queue when refused', () => {
  const flow = assertFlow(example('gas-emergency'));
  const allowTransfer = dialPlanGuard(['+1212NXXXXXX', '+1800NXXXXXX']);
  const nyc = new CallDriver(flow, { caller: '+16465550123', blacklisted: true }, { allowTransfer });
  nyc.playDone();
  assert.deepEqual(nyc.of('transfer'), [{ type: 'transfer', to: '+12125550100' }]);
  const elsewhere = new CallDriver(
    flow,
    { caller: '+13125550123', variables: { oncall_default: '+19005550100' } },
    { allowTransfer },
  );
  elsewhere.playDone();
  assert.equal(elsewhere.of('transfer').length, 0, 'a premium number is refused');
  assert.deepEqual(
    elsewhere.of('queue').map((q) => [q.queueId, q.priority]),
    [['emergency', 100]],
  );
  const noDefault = new CallDriver(flow, { caller: '+13125550123' }, { allowTransfer });
  noDefault.playDone();
  assert.equal(noDefault.of('queue').length, 1, 'a missing on-call variable still reaches the queue');
});

test('flowPromptIds lists the recordings an example needs', () => {
  const ids = flowPromptIds(utility);
  assert.ok(ids.includes('blacklist_notice') && ids.includes('main_menu') && ids.includes('leave_message'));
  assert.ok(ids.every((id) => !id.startsWith('say/')));
});
