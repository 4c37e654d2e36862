import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BusinessHours } from '../calendar/business-hours.js';
import { selectFlow, type FlowBinding } from './flow-selection.js';

const hours: BusinessHours = {
  timeZone: 'Asia/Shanghai',
  weekly: { mon: [{ from: '08:00', to: '18:00' }] },
  holidays: ['2026-10-01'],
};
// 10:00 and 20:00 Shanghai on Monday 2026-11-23; the national day holiday 2026-10-01 at 10:00.
const DAY = Date.UTC(2026, 10, 23, 2);
const NIGHT = Date.UTC(2026, 10, 23, 12);
const NATIONAL_DAY = Date.UTC(2026, 9, 1, 2);

const bindings: FlowBinding[] = [
  {
    dnis: '+86 10 95598',
    flowId: 'main',
    overrides: [
      { when: 'holiday', hours, flowId: 'holiday' },
      { when: 'closed', hours, flowId: 'night' },
    ],
  },
  { dnis: '+8610 12345', flowId: 'sales' },
  { dnis: '*', flowId: 'fallback' },
];

test('the dialed number picks the binding, formatting aside', () => {
  assert.equal(selectFlow(bindings, '+861095598', DAY), 'main');
  assert.equal(selectFlow(bindings, '+86-10-12345', NIGHT), 'sales', 'no overrides: always the same flow');
});

test('overrides by business hours and holidays, first match wins', () => {
  assert.equal(selectFlow(bindings, '+861095598', NIGHT), 'night');
  assert.equal(selectFlow(bindings, '+861095598', NATIONAL_DAY), 'holiday');
});

test('unknown numbers use "*", or nothing without it', () => {
  assert.equal(selectFlow(bindings, '+14155550100', DAY), 'fallback');
  assert.equal(selectFlow(bindings.slice(0, 2), '+14155550100', DAY), undefined);
});
