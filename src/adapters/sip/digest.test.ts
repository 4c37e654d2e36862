// Digest auth: the RFC 2617 and RFC 7616 vectors, and the server's nonce lifecycle (expiry, stale,
// replay, forgery, bounded memory) with a clock the test moves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  authorize,
  DigestServer,
  digestResponse,
  ha1,
  parseDigest,
  pickChallenge,
  type DigestAlgorithm,
  type Ha1Lookup,
} from './digest.js';

test('RFC 2617 3.5 example: Mufasa / Circle Of Life', () => {
  const key = ha1('Mufasa', 'testrealm@host.com', 'Circle Of Life');
  const response = digestResponse({
    algorithm: 'MD5',
    ha1: key,
    nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
    method: 'GET',
    uri: '/dir/index.html',
    qop: 'auth',
    nc: '00000001',
    cnonce: '0a4f113b',
  });
  assert.equal(response, '6629fae49393a05397450978507c4ef1');
});

const RFC7616 = {
  realm: 'http-auth@example.org',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
};

for (const [algorithm, expected] of [
  ['MD5', '8ca523f5e9506fed4657c9700eebdbec'],
  ['SHA-256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
] as const) {
  test(`RFC 7616 3.9.1 example, ${algorithm}, through the client's authorize`, () => {
    const challenge = parseDigest(
      `Digest realm="${RFC7616.realm}", qop="auth, auth-int", algorithm=${algorithm}, ` +
        `nonce="${RFC7616.nonce}", opaque="${RFC7616.opaque}"`,
    );
    assert.ok(challenge);
    const header = authorize(
      challenge,
      { username: 'Mufasa', password: 'Circle of Life' },
      { method: 'GET', uri: '/dir/index.html', cnonce: RFC7616.cnonce },
    );
    const answer = parseDigest(header);
    assert.equal(answer?.params.get('response'), expected);
    assert.equal(answer?.params.get('nc'), '00000001');
    assert.equal(answer?.params.get('opaque'), RFC7616.opaque);
  });
}

test('pickChallenge prefers SHA-256 and skips what it cannot answer', () => {
  const picked = pickChallenge([
    'Digest realm="r", nonce="a", algorithm=MD5, qop="auth"',
    'Digest realm="r", nonce="b", algorithm=SHA-256, qop="auth"',
    'Digest realm="r", nonce="c", algorithm=SHA-512-256, qop="auth"',
  ]);
  assert.equal(picked?.params.get('nonce'), 'b');
});

const SECRET = Buffer.alloc(32, 7);
const PASSWORDS = new Map([['alice', 'wonderland']]);

function setup(options: { ttl?: number; algorithms?: DigestAlgorithm[]; maxTracked?: number } = {}) {
  let time = 1_000_000;
  const server = new DigestServer({
    realm: 'hotline.test',
    secret: SECRET,
    now: () => time,
    ...(options.ttl === undefined ? {} : { nonceTtlMs: options.ttl }),
    ...(options.algorithms ? { algorithms: options.algorithms } : {}),
    ...(options.maxTracked === undefined ? {} : { maxTrackedNonces: options.maxTracked }),
  });
  const lookup: Ha1Lookup = (user, algorithm) => {
    const password = PASSWORDS.get(user);
    return Promise.resolve(
      password === undefined ? undefined : ha1(user, 'hotline.test', password, algorithm),
    );
  };
  const answer = (user: string, password: string, nc = 1, values = server.challenge()) =>
    authorize(
      pickChallenge(values)!,
      { username: user, password },
      { method: 'REGISTER', uri: 'sip:hotline.test', nc },
    );
  const verify = (header: string) => server.verify(header, 'REGISTER', 'sip:hotline.test', lookup);
  return { server, answer, verify, advance: (ms: number) => (time += ms) };
}

test('server: a right answer passes, for each algorithm offered', async () => {
  for (const algorithm of ['MD5', 'SHA-256'] as const) {
    const { server, answer, verify } = setup({ algorithms: [algorithm] });
    const values = server.challenge();
    assert.equal(values.length, 1);
    assert.match(values[0]!, new RegExp(`algorithm=${algorithm}`));
    assert.deepEqual(await verify(answer('alice', 'wonderland', 1, values)), {
      result: 'ok',
      username: 'alice',
    });
  }
});

test('server: wrong password, unknown user and garbage all fail alike', async () => {
  const { answer, verify } = setup();
  assert.deepEqual(await verify(answer('alice', 'nope')), { result: 'fail' });
  assert.deepEqual(await verify(answer('mallory', 'wonderland')), { result: 'fail' });
  assert.deepEqual(await verify('Digest nonsense'), { result: 'fail' });
  assert.deepEqual(await verify('Basic YWxpY2U6d29uZGVybGFuZA=='), { result: 'fail' });
});

test('server: an answer for another method or URI fails', async () => {
  const { server, answer } = setup();
  const header = answer('alice', 'wonderland');
  const lookup: Ha1Lookup = () => Promise.resolve(ha1('alice', 'hotline.test', 'wonderland', 'SHA-256'));
  assert.equal((await server.verify(header, 'INVITE', 'sip:hotline.test', lookup)).result, 'fail');
  assert.equal((await server.verify(header, 'REGISTER', 'sip:other.test', lookup)).result, 'fail');
});

test('server: an expired nonce answers stale, and stale=true goes on the re-challenge', async () => {
  const { server, answer, verify, advance } = setup({ ttl: 60_000 });
  const header = answer('alice', 'wonderland');
  advance(60_001);
  assert.deepEqual(await verify(header), { result: 'stale' });
  assert.match(server.challenge(true)[0]!, /stale=true/);
  // With a wrong password an expired nonce is a plain failure: stale would tell the password was right.
  assert.deepEqual(await verify(answer('alice', 'nope')), { result: 'fail' });
});

test('server: a replayed or lower nonce-count answers stale; a higher one passes', async () => {
  const { server, answer, verify } = setup();
  const values = server.challenge();
  const first = answer('alice', 'wonderland', 1, values);
  assert.equal((await verify(first)).result, 'ok');
  assert.equal((await verify(first)).result, 'stale');
  assert.equal((await verify(answer('alice', 'wonderland', 3, values))).result, 'ok');
  assert.equal((await verify(answer('alice', 'wonderland', 2, values))).result, 'stale');
});

test('server: a tampered or foreign nonce fails', async () => {
  const { answer, verify } = setup();
  const header = answer('alice', 'wonderland');
  const other = new DigestServer({
    realm: 'hotline.test',
    secret: Buffer.alloc(32, 9),
    now: () => 1_000_000,
  });
  const lookup: Ha1Lookup = (u, a) => Promise.resolve(ha1(u, 'hotline.test', 'wonderland', a));
  assert.equal((await other.verify(header, 'REGISTER', 'sip:hotline.test', lookup)).result, 'fail');
  const nonce = parseDigest(header)!.params.get('nonce')!;
  const flipped = nonce.slice(0, 3) + (nonce[3] === 'A' ? 'B' : 'A') + nonce.slice(4);
  assert.equal((await verify(header.replace(nonce, flipped))).result, 'fail');
});

test('server: memory stays bounded, and a nonce whose count was forgotten answers stale, not ok', async () => {
  const { server, answer, verify, advance } = setup({ maxTracked: 4 });
  const early = server.challenge();
  assert.equal((await verify(answer('alice', 'wonderland', 1, early))).result, 'ok');
  for (let i = 0; i < 6; i++) {
    advance(1);
    assert.equal((await verify(answer('alice', 'wonderland'))).result, 'ok');
  }
  // The early nonce's record is gone: nc=1 again could be a replay, so it is refused.
  assert.equal((await verify(answer('alice', 'wonderland', 1, early))).result, 'stale');
  assert.equal((await verify(answer('alice', 'wonderland'))).result, 'ok');
});

test('property: authorize and verify agree for any credentials', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !/[\r\n]/.test(s)),
      fc.string({ maxLength: 20 }),
      fc.constantFrom<DigestAlgorithm>('MD5', 'SHA-256'),
      async (user, password, algorithm) => {
        const server = new DigestServer({
          realm: 'r',
          secret: SECRET,
          now: () => 0,
          algorithms: [algorithm],
        });
        const header = authorize(
          pickChallenge(server.challenge())!,
          { username: user, password },
          { method: 'INVITE', uri: 'sip:x@r' },
        );
        const lookup: Ha1Lookup = (u, a) =>
          Promise.resolve(u === user ? ha1(user, 'r', password, a) : undefined);
        const verdict = await server.verify(header, 'INVITE', 'sip:x@r', lookup);
        assert.deepEqual(verdict, { result: 'ok', username: user });
      },
    ),
    { numRuns: 100 },
  );
});
