// The registrar over real UDP sockets on 127.0.0.1: a client built on SipEndpoint.request goes
// through 401 → credentials → 200; wrong passwords and unknown users get the same 401; expiry
// limits, "*" removal, refresh and reordered requests; then baresip registering as a real phone.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authorize, ha1, pickChallenge, type DigestAlgorithm } from '../src/adapters/sip/digest.js';
import { SipEndpoint } from '../src/adapters/sip/endpoint.js';
import { headerValue, headerValues, type SipRequest, type SipResponse } from '../src/adapters/sip/message.js';
import { addressOfRecord, attachRegistrar, MemoryBindingStore } from '../src/adapters/sip/registrar.js';
import type { SipTarget } from '../src/adapters/sip/transport.js';
import { BARESIP, freeSipPort } from './helpers/voice-peers.js';

const REALM = 'hotline.test';
const PASSWORDS = new Map([
  ['alice', 'wonderland'],
  ['bob', 'builder'],
]);

const lookupHa1 = (user: string, algorithm: DigestAlgorithm) => {
  const password = PASSWORDS.get(user);
  return Promise.resolve(password === undefined ? undefined : ha1(user, REALM, password, algorithm));
};

let clock = Date.UTC(2026, 0, 1);
const store = new MemoryBindingStore();
const server = await SipEndpoint.start({ udp: { port: 0 }, tcp: false, protection: false });
attachRegistrar(server, {
  realm: REALM,
  bindings: store,
  now: () => clock,
  minExpires: 60,
  maxExpires: 3600,
  algorithms: ['SHA-256', 'MD5'],
  lookupHa1,
});
const phone = await SipEndpoint.start({ udp: { port: 0 }, tcp: false, protection: false });
after(() => Promise.all([server.close(), phone.close()]));

const target: SipTarget = { protocol: 'udp', ...server.local('udp') };
const uri = `sip:${target.address}:${target.port}`;
const phonePort = phone.local('udp').port;

interface Attempt {
  user: string;
  password: string;
  /** Whose AOR to register; the user's own by default. */
  toUser?: string;
  contact?: string;
  expires?: number;
  callId?: string;
}

let sequence = 0;

function registerRequest(a: Attempt, cseq: number, authorization?: string): SipRequest {
  const aor = `<sip:${a.toUser ?? a.user}@${REALM}>`;
  const headers = [
    { name: 'From', value: `${aor};tag=t${sequence}` },
    { name: 'To', value: aor },
    { name: 'Call-ID', value: a.callId ?? `reg-${a.user}-${sequence}` },
    { name: 'CSeq', value: `${cseq} REGISTER` },
    { name: 'Contact', value: a.contact ?? `<sip:${a.user}@127.0.0.1:${phonePort}>` },
  ];
  if (a.expires !== undefined) headers.push({ name: 'Expires', value: String(a.expires) });
  if (authorization !== undefined) headers.push({ name: 'Authorization', value: authorization });
  return { kind: 'request', method: 'REGISTER', uri, version: 'SIP/2.0', headers, body: Buffer.alloc(0) };
}

/** A phone's registration: REGISTER, and on 401 once more with credentials. */
async function register(a: Attempt): Promise<{ first: SipResponse; final: SipResponse }> {
  sequence++;
  const first = await phone.request(registerRequest(a, 1), target);
  if (first.status !== 401) return { first, final: first };
  const challenge = pickChallenge(headerValues(first, 'WWW-Authenticate'));
  assert.ok(challenge, 'a usable challenge');
  const credentials = authorize(
    challenge,
    { username: a.user, password: a.password },
    { method: 'REGISTER', uri },
  );
  const final = await phone.request(registerRequest(a, 2, credentials), target);
  return { first, final };
}

const contacts = (res: SipResponse) => headerValues(res, 'Contact');

test('REGISTER: 401 with challenges, then 200 with the binding, its expiry and Date', async () => {
  const { first, final } = await register({ user: 'alice', password: 'wonderland', expires: 600 });
  assert.equal(first.status, 401);
  const challenges = headerValues(first, 'WWW-Authenticate');
  assert.equal(challenges.length, 2);
  assert.match(challenges[0]!, /algorithm=SHA-256/);
  assert.match(challenges[1]!, /algorithm=MD5/);
  assert.equal(final.status, 200);
  assert.deepEqual(contacts(final), [`<sip:alice@127.0.0.1:${phonePort}>;expires=600`]);
  assert.equal(headerValue(final, 'Date'), new Date(clock).toUTCString());
  const [binding] = await store.lookup(addressOfRecord('alice', REALM), clock);
  // The source of the REGISTER is kept for calls back through NAT.
  assert.deepEqual(binding?.source, { protocol: 'udp', address: '127.0.0.1', port: phonePort });
});

test('wrong password and unknown user get the same 401 (no account enumeration)', async () => {
  const wrong = await register({ user: 'alice', password: 'guess' });
  const unknown = await register({ user: 'mallory', password: 'guess' });
  const shape = (res: SipResponse) => ({
    status: res.status,
    reason: res.reason,
    names: res.headers.map((h) => h.name),
    challenges: headerValues(res, 'WWW-Authenticate').map((v) => v.replace(/nonce="[^"]*"/, 'nonce=""')),
    body: res.body.length,
  });
  assert.equal(wrong.final.status, 401);
  assert.deepEqual(shape(wrong.final), shape(unknown.final));
  // And the same as the first challenge without credentials.
  assert.deepEqual(shape(wrong.final), shape(wrong.first));
});

test('registering for another user is forbidden', async () => {
  const { final } = await register({ user: 'bob', password: 'builder', toUser: 'alice' });
  assert.equal(final.status, 403);
});

test('too brief an expiry gets 423 with Min-Expires; too long is cut to the maximum', async () => {
  const brief = await register({ user: 'bob', password: 'builder', expires: 10 });
  assert.equal(brief.final.status, 423);
  assert.equal(headerValue(brief.final, 'Min-Expires'), '60');
  const long = await register({ user: 'bob', password: 'builder', expires: 86400 });
  assert.deepEqual(contacts(long.final), [`<sip:bob@127.0.0.1:${phonePort}>;expires=3600`]);
});

test('a contact expires param wins over Expires; refresh keeps one binding per contact', async () => {
  const contact = `<sip:bob@127.0.0.1:${phonePort}>;expires=120`;
  const { final } = await register({ user: 'bob', password: 'builder', expires: 900, contact });
  assert.deepEqual(contacts(final), [`<sip:bob@127.0.0.1:${phonePort}>;expires=120`]);
  const second = await register({
    user: 'bob',
    password: 'builder',
    contact: '<sip:bob@127.0.0.2:5062>',
    expires: 300,
  });
  assert.equal(contacts(second.final).length, 2);
});

test('bindings expire with the clock', async () => {
  await register({ user: 'bob', password: 'builder', expires: 60, contact: '<sip:bob@127.0.0.3:5063>' });
  const aor = addressOfRecord('bob', REALM);
  assert.ok((await store.lookup(aor, clock)).some((b) => b.contact === 'sip:bob@127.0.0.3:5063'));
  assert.ok(!(await store.lookup(aor, clock + 61_000)).some((b) => b.contact === 'sip:bob@127.0.0.3:5063'));
});

test('unregister one contact with expires=0, then all with "*" and Expires: 0', async () => {
  const aor = addressOfRecord('bob', REALM);
  const one = await register({
    user: 'bob',
    password: 'builder',
    contact: '<sip:bob@127.0.0.2:5062>;expires=0',
  });
  assert.equal(one.final.status, 200);
  assert.ok(!contacts(one.final).some((c) => c.includes('127.0.0.2')));
  const bad = await register({ user: 'bob', password: 'builder', contact: '*', expires: 60 });
  assert.equal(bad.final.status, 400);
  const all = await register({ user: 'bob', password: 'builder', contact: '*', expires: 0 });
  assert.equal(all.final.status, 200);
  assert.deepEqual(contacts(all.final), []);
  assert.deepEqual(await store.lookup(aor, clock), []);
});

test('a REGISTER older than the one that wrote a binding gets 500', async () => {
  const callId = 'reorder-1';
  sequence++;
  const first = await phone.request(registerRequest({ user: 'alice', password: '', callId }, 5), target);
  const challenge = pickChallenge(headerValues(first, 'WWW-Authenticate'))!;
  const auth = (nc: number) =>
    authorize(challenge, { username: 'alice', password: 'wonderland' }, { method: 'REGISTER', uri, nc });
  const newer = await phone.request(
    registerRequest({ user: 'alice', password: '', callId }, 7, auth(1)),
    target,
  );
  assert.equal(newer.status, 200);
  const older = await phone.request(
    registerRequest({ user: 'alice', password: '', callId }, 6, auth(2)),
    target,
  );
  assert.equal(older.status, 500);
});

test('a stale nonce gets a fresh challenge with stale=true', async () => {
  sequence++;
  const first = await phone.request(registerRequest({ user: 'alice', password: '' }, 1), target);
  const challenge = pickChallenge(headerValues(first, 'WWW-Authenticate'))!;
  clock += 10 * 60_000;
  const credentials = authorize(
    challenge,
    { username: 'alice', password: 'wonderland' },
    { method: 'REGISTER', uri },
  );
  const res = await phone.request(registerRequest({ user: 'alice', password: '' }, 2, credentials), target);
  assert.equal(res.status, 401);
  assert.match(headerValue(res, 'WWW-Authenticate') ?? '', /stale=true/);
});

test('baresip registers with digest auth', { timeout: 20_000 }, async () => {
  assert.ok(existsSync(BARESIP), 'baresip is missing: CI must install the Debian package baresip-core');
  // A registrar of its own with the defaults (MD5 only: baresip 1.0 gives up on SHA-256).
  const registrar = await SipEndpoint.start({ udp: { port: 0 }, tcp: false, protection: false });
  const bindings = new MemoryBindingStore();
  attachRegistrar(registrar, { realm: REALM, bindings, lookupHa1 });
  const registrarPort = registrar.local('udp').port;
  const dir = mkdtempSync(join(tmpdir(), 'hotline-baresip-'));
  const sipPort = await freeSipPort();
  writeFileSync(
    join(dir, 'config'),
    [
      `sip_listen 127.0.0.1:${sipPort}`,
      'net_interface 127.0.0.1',
      'module_path /usr/lib/baresip/modules',
      'audio_player null',
      'module g711.so',
      'module_app account.so',
      'module_app menu.so',
    ].join('\n') + '\n',
  );
  writeFileSync(
    join(dir, 'accounts'),
    `<sip:alice@${REALM}>;outbound="sip:127.0.0.1:${registrarPort};transport=udp";` +
      `auth_user=alice;auth_pass=wonderland;regint=600;audio_codecs=PCMU\n`,
  );
  const aor = addressOfRecord('alice', REALM);
  const child = spawn(BARESIP, ['-f', dir], { stdio: ['pipe', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  try {
    // The phone registers in its own time; the test waits for the binding, not for a duration.
    const bound = await new Promise<boolean>((resolve) => {
      const poll = setInterval(() => {
        void bindings.lookup(aor, Date.now()).then((list) => {
          if (list.some((b) => b.contact.includes(`:${sipPort}`))) {
            clearInterval(poll);
            resolve(true);
          }
        });
      }, 50);
      child.once('exit', () => {
        clearInterval(poll);
        resolve(false);
      });
    });
    assert.ok(bound, `baresip registered:\n${log}`);
    // On shutdown the phone unregisters, and waits for our answer before it exits.
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    assert.deepEqual(await bindings.lookup(aor, Date.now()), []);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await registrar.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
