// Trunk registration against this stack's own registrar over UDP on 127.0.0.1: the 401 answered
// with credentials, a refresh at 80% of the granted interval on a manual clock, 423 taken in
// stride, wrong credentials reported as failed, and unregistration on stop.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ha1 } from './digest.js';
import { SipEndpoint } from './endpoint.js';
import { addressOfRecord, attachRegistrar, MemoryBindingStore } from './registrar.js';
import { TrunkRegistration, type RegistrationState, type TrunkConfig } from './trunks.js';
import { ManualScheduler } from './transactions/manual-scheduler.js';

const REALM = 'carrier.test';
const bindings = new MemoryBindingStore();
const carrier = await SipEndpoint.start({ udp: { port: 0 }, tcp: false, protection: false });
attachRegistrar(carrier, {
  realm: REALM,
  bindings,
  now: () => 0,
  minExpires: 120,
  maxExpires: 600,
  algorithms: ['SHA-256', 'MD5'],
  lookupHa1: (user, algorithm) =>
    Promise.resolve(user === 'hotline' ? ha1(user, REALM, 's3cret', algorithm) : undefined),
});
const us = await SipEndpoint.start({ udp: { port: 0 }, tcp: false, protection: false });
after(() => Promise.all([carrier.close(), us.close()]));

const trunk = (password: string, registerExpires: number): TrunkConfig => ({
  name: 'carrier',
  target: { protocol: 'udp', ...carrier.local('udp') },
  domain: REALM,
  username: 'hotline',
  password,
  registerExpires,
});

function registration(config: TrunkConfig) {
  const clock = new ManualScheduler();
  const states: RegistrationState[] = [];
  let notify: () => void = () => undefined;
  const reg = new TrunkRegistration(us, config, {
    scheduler: clock,
    onState: (state) => {
      states.push(state);
      notify();
    },
  });
  const nextState = () => new Promise<void>((resolve) => (notify = resolve));
  return { clock, states, reg, nextState };
}

const AOR = addressOfRecord('hotline', REALM);

test('registers through the digest challenge, 423 raises the interval, refreshes at 80%', async () => {
  const { clock, states, reg, nextState } = registration(trunk('s3cret', 60));
  const res = await reg.refresh();
  assert.equal(res.status, 200);
  assert.equal(reg.state, 'registered');
  const [binding] = await bindings.lookup(AOR, 0);
  assert.equal(binding?.contact, reg.contact);
  // Asked 60 s, got 423 with Min-Expires 120: the refresh comes at 96 s.
  assert.equal(binding?.expiresAt, 120_000);
  clock.advance(95_999);
  assert.deepEqual(states, ['registered']);
  const refreshed = nextState();
  clock.advance(1);
  await refreshed;
  assert.deepEqual(states, ['registered', 'registered']);
  assert.equal((await reg.stop()).status, 200);
  assert.deepEqual(await bindings.lookup(AOR, 0), []);
  assert.equal(clock.armed, 0);
});

test('wrong credentials: failed, retried later', async () => {
  const { clock, reg } = registration(trunk('wrong', 300));
  const res = await reg.refresh();
  assert.equal(res.status, 401);
  assert.equal(reg.state, 'failed');
  assert.equal(clock.armed, 1);
});
