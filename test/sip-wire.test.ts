// The SIP endpoint over real sockets on 127.0.0.1: the RFC 4475 corpus over UDP and TCP, SIPp as
// an independent peer, the rate limit and scanner filter, and two endpoints talking to each other.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SipEndpoint, type SipEndpointOptions } from '../src/adapters/sip/endpoint.js';
import { SipStreamFramer } from '../src/adapters/sip/framer.js';
import type { SipRequest, SipResponse } from '../src/adapters/sip/message.js';
import type { ServerTransaction } from '../src/adapters/sip/transactions/server-transaction.js';

const CORPUS = resolve(process.cwd(), '../shared/corpora/sip-torture');
const FILES = readdirSync(CORPUS)
  .filter((f) => f.endsWith('.dat'))
  .map((f) => f.slice(0, -4))
  .sort();
const SIPP = '/usr/bin/sipp';
const SCENARIOS = resolve(process.cwd(), 'test/fixtures/sipp');
const load = (name: string) => readFileSync(join(CORPUS, `${name}.dat`));
const isResponse = (name: string) => load(name).subarray(0, 8).toString('latin1') === 'SIP/2.0 ';

/**
 * The status each corpus message must get, read from the table in test/sip-torture.test.ts (one
 * source of truth): a refusal the parser can answer, or the 8.2 check's code; a request that
 * passes every check reaches this test's TU, which answers 200; responses are never answered.
 */
function expectedStatuses(): Map<string, number[]> {
  const source = readFileSync(resolve(process.cwd(), 'test/sip-torture.test.ts'), 'utf8');
  const entry = /^ {2}(\w+): \{\s*parse: ('ok'|\d+),\s*(?:validate|action): '?(\w+)'?/gm;
  const out = new Map<string, number[]>();
  for (const [, name, parse, second] of source.matchAll(entry)) {
    if (name === undefined || second === undefined) continue;
    if (parse !== "'ok'") out.set(name, second === 'respond' ? [Number(parse)] : []);
    else if (second === 'ok') out.set(name, isResponse(name) ? [] : [200]);
    else out.set(name, second === 'discard' ? [] : [Number(second)]);
  }
  return out;
}

/** What a stream does differently from a datagram with some corpus messages. */
const OVER_TCP: Record<string, { statuses?: number[]; then: 'reconnect' | 'server-closes'; why: string }> = {
  clerr: { statuses: [], then: 'reconnect', why: 'the stream waits for 9999 octets that never come' },
  inv2543: {
    statuses: [400],
    then: 'reconnect',
    why: 'Content-Length is mandatory on streams; the body left behind cannot be framed',
  },
  ncl: { then: 'server-closes', why: 'a negative Content-Length cannot be framed: 400, then close' },
  mcl01: { then: 'server-closes', why: 'conflicting Content-Lengths cannot be framed: 400, then close' },
};
// dblreq is two requests on a stream (the REGISTER and the INVITE past its Content-Length).
const TCP_STATUSES: Record<string, number[]> = { dblreq: [200, 200] };
// baddn's file ends without the empty line; a datagram may, a stream needs it to end the message.
const TCP_SUFFIX: Record<string, string> = { baddn: '\r\n' };

let probeCount = 0;
function options(port: number, protocol: 'UDP' | 'TCP', extra = ''): { data: Buffer; callId: string } {
  const callId = `probe-${++probeCount}-${process.pid}`;
  const text =
    `OPTIONS sip:hotline@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/${protocol} 127.0.0.1:${port};branch=z9hG4bK${callId}\r\n` +
    `Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=p${probeCount}\r\nTo: <sip:hotline@127.0.0.1>\r\n` +
    `Call-ID: ${callId}\r\nCSeq: 1 OPTIONS\r\n${extra}Content-Length: 0\r\n\r\n`;
  return { data: Buffer.from(text), callId };
}

/** A response as the test needs it; answers to malformed requests echo headers no parser accepts. */
interface Answer {
  status: number;
  callId: string;
}

function answerOf(data: Buffer): Answer | undefined {
  const text = data.toString('latin1');
  const status = /^SIP\/2\.0 (\d{3})/.exec(text)?.[1];
  const callId = /^(?:Call-ID|i)[ \t]*:[ \t]*(\S*)/im.exec(text)?.[1] ?? '';
  return status === undefined ? undefined : { status: Number(status), callId };
}

/** Collects the answers a peer socket receives, and waits for the one with a given Call-ID. */
class Inbox {
  readonly answers: Answer[] = [];
  private waiters: (() => void)[] = [];

  add(data: Buffer): void {
    const answer = answerOf(data);
    if (answer) this.answers.push(answer);
    for (const w of this.waiters.splice(0)) w();
  }

  /** Answers from `from` on until the one with callId (excluded), probes left out; rejects after ms. */
  async until(callId: string, from: number, ms = 2000): Promise<Answer[]> {
    const deadline = Date.now() + ms;
    for (;;) {
      const at = this.answers.findIndex((r, i) => i >= from && r.callId === callId);
      if (at >= 0) return this.answers.slice(from, at).filter((r) => !r.callId.startsWith('probe-'));
      if (Date.now() > deadline) throw new Error(`no answer for ${callId}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50).unref();
      });
    }
  }
}

async function udpPeer(): Promise<{ socket: UdpSocket; inbox: Inbox; port: number }> {
  const socket = createSocket('udp4');
  const inbox = new Inbox();
  socket.on('message', (m) => inbox.add(m));
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  peers.push(() => socket.close());
  return { socket, inbox, port: socket.address().port };
}

interface TcpPeer {
  socket: Socket;
  inbox: Inbox;
  closed: Promise<void>;
}

async function tcpPeer(port: number): Promise<TcpPeer> {
  const socket = connect(port, '127.0.0.1');
  const inbox = new Inbox();
  const framer = new SipStreamFramer();
  socket.on('data', (chunk: Buffer) => framer.push(chunk).messages.forEach((m) => inbox.add(m)));
  peers.push(() => socket.destroy());
  socket.on('error', () => undefined);
  const closed = new Promise<void>((r) => socket.on('close', () => r()));
  await new Promise<void>((r, j) => socket.once('connect', r).once('error', j));
  return { socket, inbox, closed };
}

const started: SipEndpoint[] = [];
const peers: (() => void)[] = [];
async function endpoint(options: SipEndpointOptions = {}): Promise<SipEndpoint> {
  const ep = await SipEndpoint.start({ udp: { port: 0 }, tcp: { port: 0 }, ...options });
  started.push(ep);
  return ep;
}
after(async () => {
  for (const close of peers) {
    try {
      close();
    } catch {
      // already closed
    }
  }
  await Promise.all(started.map((ep) => ep.close()));
});

/** The TU of the corpus runs: every request that passed the checks gets 200; OPTIONS is left to the endpoint. */
function answerAll(ep: SipEndpoint): void {
  ep.onRequest((tx) => (tx.method === 'OPTIONS' ? false : void tx.respond(200)));
}

const codes = (rs: Answer[]) => rs.map((r) => r.status);

/** Awaits p, failing the test instead of hanging it when p takes longer than ms. */
async function within<T>(p: Promise<T>, what: string, ms = 3000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

// A backstop: no test here may hang the suite, whatever breaks.
const LIMIT = { timeout: 30_000 };

test('the expectation table reads from test/sip-torture.test.ts for every corpus file', () => {
  assert.deepEqual([...expectedStatuses().keys()].sort(), FILES);
});

test(
  'RFC 4475 corpus over UDP: each message gets the expected answer, then OPTIONS still gets 200',
  LIMIT,
  async () => {
    const ep = await endpoint({ protection: { maxRequests: false } });
    answerAll(ep);
    const expected = expectedStatuses();
    const peer = await udpPeer();
    const port = ep.local('udp').port;
    for (const name of FILES) {
      const from = peer.inbox.answers.length;
      peer.socket.send(load(name), port, '127.0.0.1');
      const probe = options(peer.port, 'UDP');
      peer.socket.send(probe.data, port, '127.0.0.1');
      assert.deepEqual(codes(await peer.inbox.until(probe.callId, from)), expected.get(name), name);
    }
    const last = options(peer.port, 'UDP');
    peer.socket.send(last.data, port, '127.0.0.1');
    await peer.inbox.until(last.callId, 0);
    assert.equal(peer.inbox.answers.at(-1)!.status, 200);
    assert.equal(ep.counters.internalErrors, 0);
  },
);

test(
  'RFC 4475 corpus over TCP: one connection, reopened after framing errors and stalls',
  LIMIT,
  async () => {
    const ep = await endpoint({ protection: { maxRequests: false } });
    answerAll(ep);
    const expected = expectedStatuses();
    const port = ep.local('tcp').port;
    let peer = await tcpPeer(port);
    let connections = 1;
    for (const name of FILES) {
      const special = OVER_TCP[name];
      const want = special?.statuses ?? TCP_STATUSES[name] ?? expected.get(name)!;
      const from = peer.inbox.answers.length;
      peer.socket.write(Buffer.concat([load(name), Buffer.from(TCP_SUFFIX[name] ?? '')]));
      if (special === undefined) {
        const probe = options(port, 'TCP');
        peer.socket.write(probe.data);
        assert.deepEqual(codes(await peer.inbox.until(probe.callId, from)), want, name);
        continue;
      }
      if (special.then === 'server-closes') await within(peer.closed, `${name}: the server to close`);
      else await new Promise((r) => setTimeout(r, 150));
      assert.deepEqual(codes(peer.inbox.answers.slice(from)), want, `${name}: ${special.why}`);
      peer.socket.destroy();
      peer = await tcpPeer(port);
      connections++;
    }
    const last = options(port, 'TCP');
    peer.socket.write(last.data);
    await peer.inbox.until(last.callId, 0);
    assert.equal(peer.inbox.answers.at(-1)!.status, 200);
    assert.equal(connections, 5);
    assert.equal(ep.transports.find((t) => t.protocol === 'tcp')!.counters.framingErrors, 2);
    assert.equal(ep.counters.internalErrors, 0);
  },
);

/** Runs SIPp against port; resolves with its exit code and output. */
async function sipp(
  scenario: string,
  port: number,
  transport: 'u1' | 't1',
  calls = 3,
): Promise<{ code: number | null; out: string }> {
  assert.ok(
    existsSync(SIPP),
    `SIPp is missing (${SIPP}): CI must install the Debian package sip-tester ` +
      '(apt-get install -y --no-install-recommends sip-tester)',
  );
  const cwd = mkdtempSync(join(tmpdir(), 'hotline-sipp-'));
  // No -p: SIPp binds a free port of the system's choosing, with no race for it.
  const args = ['-sf', join(SCENARIOS, scenario), `127.0.0.1:${port}`, '-i', '127.0.0.1'];
  args.push('-m', String(calls), '-nostdin', '-timeout', '10s', '-t', transport);
  const child = spawn(SIPP, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  // Our own child, by its PID, should SIPp itself hang past its -timeout.
  const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await new Promise<number | null>((r) => child.on('close', r));
  clearTimeout(guard);
  rmSync(cwd, { recursive: true, force: true });
  return { code, out };
}

for (const transport of ['u1', 't1'] as const) {
  const protocol = transport === 'u1' ? 'udp' : 'tcp';
  test(`SIPp OPTIONS over ${protocol.toUpperCase()}: 3 pings, each 200 OK with Allow`, LIMIT, async () => {
    const ep = await endpoint();
    const run = await sipp('options.xml', ep.local(protocol).port, transport);
    assert.equal(run.code, 0, run.out.slice(-2000));
    assert.equal(ep.counters.requests, 3);
  });

  test(
    `SIPp INVITE over ${protocol.toUpperCase()}: 100 Trying on our own, 486, the ACK absorbed`,
    LIMIT,
    async () => {
      const ep = await endpoint();
      const invites: ServerTransaction[] = [];
      const acknowledged: SipRequest[] = [];
      ep.onRequest((tx) => {
        if (tx.method !== 'INVITE') return false;
        invites.push(tx);
        tx.on('acknowledged', (ack) => acknowledged.push(ack));
        // Later than the 200 ms after which the transaction must say 100 Trying itself.
        setTimeout(() => tx.respond(486, 'Busy Here'), 300).unref();
      });
      const strayAcks: SipRequest[] = [];
      ep.onAck((ack) => strayAcks.push(ack));
      const run = await sipp('invite-busy.xml', ep.local(protocol).port, transport);
      assert.equal(run.code, 0, run.out.slice(-2000));
      await new Promise((r) => setTimeout(r, 700)); // past Timer G's first retransmission
      assert.equal(invites.length, 3);
      assert.equal(acknowledged.length, 3, 'every ACK matched its INVITE transaction');
      assert.deepEqual(strayAcks, []);
      const expectedState = protocol === 'udp' ? 'confirmed' : 'terminated'; // Timer I: T4 over UDP, 0 over TCP
      assert.deepEqual(
        invites.map((tx) => tx.state),
        Array<string>(3).fill(expectedState),
      );
      const sent = ep.transports.find((t) => t.protocol === protocol)!.counters.sent;
      assert.equal(sent, 6, '100 and 486 per call, no retransmission after the ACK');
    },
  );
}

test(
  'rate limit: past 16 requests in 2 s a source is ignored; another source is still answered',
  LIMIT,
  async () => {
    // Every peer here is 127.0.0.1, so sources are told apart by port as well.
    const ep = await endpoint({ protection: { sourceKey: 'address-port' } });
    const port = ep.local('udp').port;
    const flood = await udpPeer();
    const probes = Array.from({ length: 20 }, () => options(flood.port, 'UDP'));
    for (const p of probes) flood.socket.send(p.data, port, '127.0.0.1');
    const other = await udpPeer();
    const fine = options(other.port, 'UDP');
    other.socket.send(fine.data, port, '127.0.0.1');
    await other.inbox.until(fine.callId, 0);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(flood.inbox.answers.length, 16);
    assert.deepEqual(
      flood.inbox.answers.map((r) => r.callId),
      probes.slice(0, 16).map((p) => p.callId),
    );
    const scanner = await udpPeer();
    scanner.socket.send(
      options(scanner.port, 'UDP', 'User-Agent: friendly-scanner\r\n').data,
      port,
      '127.0.0.1',
    );
    const again = options(other.port, 'UDP');
    other.socket.send(again.data, port, '127.0.0.1');
    await other.inbox.until(again.callId, 1);
    assert.equal(scanner.inbox.answers.length, 0, 'scanners get no answer');
    assert.deepEqual(
      { bans: ep.protection!.counters.bans, scanners: ep.protection!.counters.scanners },
      { bans: 1, scanners: 1 },
    );
  },
);

test(
  'TCP bounds: a message over the size limit gets 513 and the connection closes; idle ones close',
  LIMIT,
  async () => {
    const ep = await endpoint({ protection: { maxMessageSize: 2048 }, tcp: { port: 0, idleTimeoutMs: 300 } });
    const port = ep.local('tcp').port;
    const big = await tcpPeer(port);
    big.socket.write(options(port, 'TCP', `X-Padding: ${'x'.repeat(4096)}\r\n`).data);
    await within(big.closed, 'the server to close');
    assert.deepEqual(codes(big.inbox.answers), [513]);
    const idle = await tcpPeer(port);
    idle.socket.write('\r\n\r\n');
    const pong = await within(new Promise<Buffer>((r) => idle.socket.once('data', r)), 'a pong');
    assert.equal(pong.toString(), '\r\n', 'RFC 5626 keep-alive answered');
    const t0 = Date.now();
    await within(idle.closed, 'the idle timeout');
    assert.ok(Date.now() - t0 >= 250, 'closed by the idle timer');
  },
);

/** A request as a TU hands it to SipEndpoint.request (the endpoint adds Via and Max-Forwards). */
function outgoing(method: string, n: number): SipRequest {
  const headers = [
    { name: 'From', value: `<sip:uac@127.0.0.1>;tag=u${n}` },
    { name: 'To', value: '<sip:queue@127.0.0.1>' },
    { name: 'Call-ID', value: `uac-${n}-${process.pid}` },
    { name: 'CSeq', value: `1 ${method}` },
  ];
  return {
    kind: 'request',
    method,
    uri: 'sip:queue@127.0.0.1',
    version: 'SIP/2.0',
    headers,
    body: Buffer.alloc(0),
  };
}

test(
  'two endpoints: OPTIONS over UDP and TCP; an aborted INVITE is CANCELled and ends in 487',
  LIMIT,
  async () => {
    const uas = await endpoint();
    const uac = await endpoint();
    const cancelled: SipRequest[] = [];
    uas.onRequest((tx) => {
      if (tx.method !== 'INVITE') return false;
      tx.respond(180, 'Ringing');
      tx.on('cancelled', (c) => cancelled.push(c));
    });
    for (const protocol of ['udp', 'tcp'] as const) {
      const target = { protocol, address: '127.0.0.1', port: uas.local(protocol).port };
      const pong = await within(
        uac.request(outgoing('OPTIONS', protocol === 'udp' ? 1 : 2), target),
        'a 200',
      );
      assert.equal(pong.status, 200);
      const abort = new AbortController();
      const seen: number[] = [];
      const onResponse = (r: SipResponse) => {
        seen.push(r.status);
        if (r.status === 180) abort.abort();
      };
      const final = await within(
        uac.request(outgoing('INVITE', protocol === 'udp' ? 3 : 4), target, {
          signal: abort.signal,
          onResponse,
        }),
        'the 487',
      );
      assert.equal(final.status, 487, protocol);
      assert.deepEqual(seen, [180, 487]);
    }
    assert.equal(cancelled.length, 2);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(uas.counters.absorbed, 2, 'the UAC ACKed each 487 in its transaction');
  },
);

test(
  'two endpoints: a 2xx to INVITE is ACKed by the TU outside the transaction, and reaches onAck',
  LIMIT,
  async () => {
    const uas = await endpoint();
    const uac = await endpoint();
    uas.onRequest((tx) => void tx.respond(200, 'OK'));
    const acks: SipRequest[] = [];
    const acked = new Promise<void>((r) => uas.onAck((ack) => r(void acks.push(ack))));
    const target = { protocol: 'udp' as const, address: '127.0.0.1', port: uas.local('udp').port };
    const invite = outgoing('INVITE', 5);
    const ok = await within(uac.request(invite, target), 'the 200');
    assert.equal(ok.status, 200);
    // The dialog layer's job, done by hand here: ACK with the To tag of the 2xx, a new branch.
    const to = ok.headers.find((h) => h.name === 'To')!.value;
    const ack: SipRequest = {
      ...invite,
      method: 'ACK',
      headers: invite.headers.map((h) =>
        h.name === 'To'
          ? { name: 'To', value: to }
          : h.name === 'CSeq'
            ? { name: 'CSeq', value: '1 ACK' }
            : h,
      ),
    };
    await uac.sendAck(ack, target);
    await within(acked, 'the ACK');
    assert.equal(acks[0]!.method, 'ACK');
    assert.equal(uac.layer.size.client, 1, 'the INVITE client transaction waits in Accepted (Timer M)');
  },
);
