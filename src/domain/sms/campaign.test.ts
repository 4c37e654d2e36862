import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowance, campaignProgress, campaignTransition, nextTokenAt, refill } from './campaign.js';
import { parseCsv, recipientsFromCsv } from './csv.js';
import { renderTemplate, templateVariables } from './template.js';

test('campaign states: draft → running ⇄ paused → completed | cancelled', () => {
  assert.equal(campaignTransition('draft', 'start'), 'running');
  assert.equal(campaignTransition('running', 'pause'), 'paused');
  assert.equal(campaignTransition('paused', 'resume'), 'running');
  assert.equal(campaignTransition('paused', 'cancel'), 'cancelled');
  assert.equal(campaignTransition('running', 'complete'), 'completed');
  assert.equal(campaignTransition('running', 'start'), undefined);
  assert.equal(campaignTransition('completed', 'cancel'), undefined);
  assert.equal(campaignTransition('cancelled', 'resume'), undefined);
  assert.equal(campaignTransition('paused', 'complete'), undefined, 'a paused campaign is not done');
});

test('progress folds expired and rejected into failed', () => {
  assert.deepEqual(
    campaignProgress({ queued: 2, delivered: 5, expired: 1, rejected: 1, failed: 1, uncertain: 1 }),
    {
      total: 11,
      queued: 2,
      submitted: 0,
      delivered: 5,
      failed: 3,
      uncertain: 1,
      cancelled: 0,
    },
  );
});

test('the throttle allows perSec a second, bursts of at most one second', () => {
  let b = { tokens: 1, atMs: 0 };
  assert.equal(allowance(b), 1);
  b = { ...b, tokens: 0 };
  assert.equal(nextTokenAt(b, 10), 100);
  b = refill(b, 10, 250);
  assert.equal(allowance(b), 2);
  b = refill(b, 10, 60_000);
  assert.equal(allowance(b), 10, 'an idle minute does not save up a minute of messages');
});

test('templates fill {{variables}} and name the missing ones', () => {
  assert.deepEqual(templateVariables('Hi {{ name }}, {{amount}} due {{name}}'), ['name', 'amount']);
  assert.deepEqual(renderTemplate('Hi {{ name }}, {{amount}} due', { name: 'Ann', amount: '€5' }), {
    ok: true,
    text: 'Hi Ann, €5 due',
  });
  assert.deepEqual(renderTemplate('{{a}}{{b}}{{a}}', {}), { ok: false, missing: ['a', 'b'] });
  assert.deepEqual(renderTemplate('{{a}}', { a: '' }), { ok: true, text: '' });
});

test('CSV: quotes, doubled quotes, commas and line breaks in fields, CRLF, BOM', () => {
  assert.deepEqual(parseCsv('\uFEFFa,b\r\n"x, y","say ""hi""\nthere"\r\n\r\n1,\n'), [
    ['a', 'b'],
    ['x, y', 'say "hi"\nthere'],
    ['1', ''],
  ]);
  assert.deepEqual(recipientsFromCsv('Name,MSISDN\nAnn,+12025550143\nBob'), [
    { to: '+12025550143', variables: { Name: 'Ann' } },
    { to: '', variables: { Name: 'Bob' } },
  ]);
  assert.throws(() => recipientsFromCsv('name,amount\nAnn,5'), /no phone column/);
  assert.throws(() => recipientsFromCsv(''), /empty/);
});
