// The in-memory binding store: preference order, replacement per contact, expiry by the clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressOfRecord, MemoryBindingStore, type Binding } from './registrar.js';

const AOR = addressOfRecord('alice', 'Hotline.Test');
const binding = (contact: string, expiresAt: number, q?: number): Binding => ({
  aor: AOR,
  contact,
  expiresAt,
  callId: 'c',
  cseq: 1,
  source: { protocol: 'udp', address: '127.0.0.1', port: 5070 },
  ...(q === undefined ? {} : { q }),
});

test('AORs lowercase the domain and keep the user', () => {
  assert.equal(AOR, 'sip:alice@hotline.test');
});

test('lookup: most preferred first, then the longest lived; a put replaces the same contact', async () => {
  const store = new MemoryBindingStore();
  await store.put(binding('sip:a@1', 5000, 0.5));
  await store.put(binding('sip:b@2', 3000));
  await store.put(binding('sip:c@3', 9000));
  await store.put(binding('sip:a@1', 7000, 0.5));
  const order = (await store.lookup(AOR, 0)).map((b) => [b.contact, b.expiresAt]);
  assert.deepEqual(order, [
    ['sip:c@3', 9000],
    ['sip:b@2', 3000],
    ['sip:a@1', 7000],
  ]);
});

test('expired bindings are never returned, and purge frees them', async () => {
  const store = new MemoryBindingStore();
  await store.put(binding('sip:a@1', 1000));
  await store.put(binding('sip:b@2', 2000));
  assert.equal((await store.lookup(AOR, 1000)).length, 1);
  store.purge(2000);
  assert.deepEqual(await store.lookup(AOR, 0), []);
});

test('lookup returns copies: callers cannot change what is stored', async () => {
  const store = new MemoryBindingStore();
  await store.put(binding('sip:a@1', 1000));
  const [first] = await store.lookup(AOR, 0);
  assert.ok(first);
  first.source.port = 1;
  assert.equal((await store.lookup(AOR, 0))[0]?.source.port, 5070);
});
