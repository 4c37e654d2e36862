import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { RtpSession, type AudioFrame } from './rtp-session.js';
import { RtpPortPool } from './port-pool.js';
import { ManualScheduler } from './scheduler.js';
import { encodeG711 } from './g711.js';
import { parseRtp, serializeRtp } from './rtp-packet.js';
import { rtpSocketPaths } from '../../../test/helpers/rtp-sockets.js';

// A range unlikely to collide with other tests running concurrently on this machine.
const BASE = 41000 + (process.pid % 500) * 20;

function collect<T>(n: number, subscribe: (fn: (x: T) => void) => void): Promise<T[]> {
  const got: T[] = [];
  return new Promise((resolve) => {
    subscribe((x) => {
      got.push(x);
      if (got.length === n) resolve(got);
    });
  });
}

for (const { name, sockets } of rtpSocketPaths) {
  test(`${name}: two sessions exchange frames: counts, seq/timestamp steps and payload round trip`, async () => {
    const pool = new RtpPortPool(BASE, BASE + 10);
    const scheduler = new ManualScheduler();
    const a = await RtpSession.open({ sockets, pool, scheduler });
    const b = await RtpSession.open({ sockets, pool, scheduler });
    try {
      assert.notEqual(a.port, b.port);
      a.setRemote('127.0.0.1', b.port);
      b.setRemote('127.0.0.1', a.port);
      const tone = Int16Array.from({ length: 160 }, (_, i) => Math.round(8000 * Math.sin(i / 4)));
      const payload = encodeG711('pcmu', tone);
      const atB = collect<AudioFrame>(50, (fn) => b.on('audio', fn));
      for (let i = 0; i < 50; i++) a.sendFrame(payload);
      const frames = await atB;
      assert.deepEqual(frames[0]!.payload, payload);
      for (let i = 1; i < frames.length; i++) {
        assert.equal(frames[i]!.sequenceNumber, (frames[i - 1]!.sequenceNumber + 1) & 0xffff);
        assert.equal(frames[i]!.timestamp, (frames[i - 1]!.timestamp + 160) >>> 0);
      }
      const maxErr = Math.max(...tone.map((s, i) => Math.abs(s - frames[7]!.samples[i]!)));
      assert.ok(maxErr < 600);
      assert.equal(b.stats().packets, 50);
      assert.equal(b.stats().lost, 0);

      const atA = collect<AudioFrame>(3, (fn) => a.on('audio', fn));
      for (let i = 0; i < 3; i++) b.sendFrame(payload);
      assert.equal((await atA).length, 3);
    } finally {
      a.close();
      b.close();
    }
  });

  test(`${name}: DTMF sent by one session arrives once at the other`, async () => {
    const pool = new RtpPortPool(BASE + 12, BASE + 19);
    const scheduler = new ManualScheduler();
    const a = await RtpSession.open({ sockets, pool, scheduler });
    const b = await RtpSession.open({ sockets, pool, scheduler });
    try {
      a.setRemote('127.0.0.1', b.port);
      const digits: string[] = [];
      b.on('dtmf', (d) => digits.push(d));
      const sent = a.sendDtmf('5');
      scheduler.advanceTo(1000);
      await sent;
      const two = a.sendDtmf('#');
      scheduler.advanceTo(2000);
      await two;
      a.sendFrame(new Uint8Array(160)); // a trailing audio packet marks that everything before arrived
      await once(b, 'audio');
      assert.deepEqual(digits, ['5', '#']);

      const cut = a.sendDtmf('9');
      a.close(); // a hang-up mid-digit must not leave the sender waiting forever
      await cut;
    } finally {
      a.close();
      b.close();
    }
  });

  test(`${name}: latches to the source of the first valid packet and ignores other sources after`, async () => {
    const pool = new RtpPortPool(BASE + 20, BASE + 23);
    const session = await RtpSession.open({
      sockets,
      pool,
      scheduler: new ManualScheduler(),
      expectedSsrc: 1234,
    });
    const nat = createSocket('udp4');
    const intruder = createSocket('udp4');
    nat.on('error', () => {});
    intruder.on('error', () => {});
    await Promise.all([
      new Promise<void>((r) => nat.bind(0, '127.0.0.1', r)),
      new Promise<void>((r) => intruder.bind(0, '127.0.0.1', r)),
    ]);
    try {
      session.setRemote('127.0.0.1', 9); // what SDP said: wrong behind NAT
      const pkt = (ssrc: number, seq: number, fill = 0xff) =>
        serializeRtp({
          payloadType: 0,
          sequenceNumber: seq,
          timestamp: seq * 160,
          ssrc,
          payload: new Uint8Array(160).fill(fill),
        });
      const latched = once(session, 'latched');
      intruder.send(new Uint8Array([1, 2, 3]), session.port, '127.0.0.1'); // garbage: not valid
      intruder.send(pkt(999, 1), session.port, '127.0.0.1'); // wrong SSRC
      nat.send(pkt(1234, 2), session.port, '127.0.0.1');
      const [where] = (await latched) as [{ address: string; port: number }];
      assert.deepEqual(where, { address: '127.0.0.1', port: nat.address().port });
      assert.deepEqual(session.remoteAddress, where);

      // Our audio now goes to the latched address.
      const reply = once(nat, 'message');
      session.sendFrame(new Uint8Array(160).fill(0xff));
      const [msg] = (await reply) as [Buffer];
      assert.equal(parseRtp(msg)?.ssrc, session.ssrc);

      // Same SSRC from another port is not accepted once latched.
      const audio = collect<AudioFrame>(1, (fn) => session.on('audio', fn));
      intruder.send(pkt(1234, 3, 0x11), session.port, '127.0.0.1');
      nat.send(pkt(1234, 3, 0x22), session.port, '127.0.0.1');
      assert.equal((await audio)[0]!.payload[0], 0x22);

      // New signalling (re-INVITE) re-opens latching: the next valid source wins again.
      session.setRemote('127.0.0.1', 9);
      const relatched = once(session, 'latched');
      intruder.send(pkt(1234, 4), session.port, '127.0.0.1');
      const [moved] = (await relatched) as [{ address: string; port: number }];
      assert.equal(moved.port, intruder.address().port);
    } finally {
      session.close();
      nat.close();
      intruder.close();
    }
  });

  test(`${name}: open skips a port held by another process and fails when the range is exhausted`, async () => {
    const squatter = createSocket('udp4');
    squatter.on('error', () => {});
    await new Promise<void>((r) => squatter.bind(BASE + 30, '127.0.0.1', r));
    const pool = new RtpPortPool(BASE + 30, BASE + 32);
    try {
      const s = await RtpSession.open({ sockets, pool, scheduler: new ManualScheduler() });
      assert.equal(s.port, BASE + 32);
      await assert.rejects(
        RtpSession.open({ sockets, pool, scheduler: new ManualScheduler() }),
        /no free RTP port/,
      );
      s.close();
      // The busy port was only skipped, not leaked: the pool can offer it again.
      assert.deepEqual([pool.allocate(), pool.allocate()].sort(), [BASE + 30, BASE + 32]);
    } finally {
      squatter.close();
    }
  });

  test(`${name}: a burst to several sessions at once reaches each one whole, in order, once`, async () => {
    // Four sessions with 100 queued packets each: the first native batch holds 256 of them, and the
    // rest are read in the middle of it (pump) rather than after it. Nothing may be lost or repeated.
    const pool = new RtpPortPool(BASE + 50, BASE + 57);
    const scheduler = new ManualScheduler();
    const sessions = await Promise.all([0, 1, 2, 3].map(() => RtpSession.open({ sockets, pool, scheduler })));
    const sender = createSocket('udp4');
    try {
      await new Promise<void>((r) => sender.bind(0, '127.0.0.1', r));
      const got = sessions.map((session) => collect<AudioFrame>(100, (fn) => session.on('audio', fn)));
      for (let seq = 0; seq < 100; seq++) {
        sessions.forEach((session, k) =>
          sender.send(
            serializeRtp({
              payloadType: 0,
              sequenceNumber: seq,
              timestamp: seq * 160,
              ssrc: 7 + k,
              marker: false,
              payload: new Uint8Array(160).fill(seq),
            }),
            session.port,
            '127.0.0.1',
          ),
        );
      }
      for (const frames of await Promise.all(got)) {
        assert.deepEqual(
          frames.map((f) => f.sequenceNumber),
          Array.from({ length: 100 }, (_, i) => i),
        );
        assert.ok(frames.every((f) => f.payload[0] === f.sequenceNumber));
      }
      for (const session of sessions) assert.equal(session.stats().lost, 0);
    } finally {
      sender.close();
      for (const session of sessions) session.close();
    }
  });

  test(`${name}: frames sent the moment a session latches all arrive, in order`, async () => {
    const pool = new RtpPortPool(BASE + 40, BASE + 43);
    const scheduler = new ManualScheduler();
    const a = await RtpSession.open({ sockets, pool, scheduler });
    const b = await RtpSession.open({ sockets, pool, scheduler });
    try {
      a.setRemote('127.0.0.1', b.port);
      // b answers from inside its 'latched' handler, before its socket is connected to a.
      b.on('latched', () => {
        for (let i = 0; i < 5; i++) b.sendFrame(new Uint8Array(160).fill(i));
      });
      const atA = collect<AudioFrame>(6, (fn) => a.on('audio', fn));
      a.sendFrame(new Uint8Array(160));
      const later = once(b, 'latched').then(() => b.sendFrame(new Uint8Array(160).fill(5)));
      await later;
      const frames = await atA;
      assert.deepEqual(
        frames.map((f) => f.payload[0]),
        [0, 1, 2, 3, 4, 5],
      );
      assert.equal(a.stats().lost, 0);
    } finally {
      a.close();
      b.close();
    }
  });

  test(`${name}: a peer that goes away is no error, and new signalling sends the audio to the new peer`, async () => {
    const pool = new RtpPortPool(BASE + 44, BASE + 47);
    const session = await RtpSession.open({ sockets, pool, scheduler: new ManualScheduler() });
    const errors: Error[] = [];
    session.on('error', (e) => errors.push(e));
    const gone = createSocket('udp4');
    const next = createSocket('udp4');
    await Promise.all([
      new Promise<void>((r) => gone.bind(0, '127.0.0.1', r)),
      new Promise<void>((r) => next.bind(0, '127.0.0.1', r)),
    ]);
    try {
      const pkt = serializeRtp({
        payloadType: 0,
        sequenceNumber: 1,
        timestamp: 0,
        ssrc: 7,
        payload: new Uint8Array(160),
      });
      const latched = once(session, 'latched');
      gone.send(pkt, session.port, '127.0.0.1');
      await latched;
      const first = once(gone, 'message');
      session.sendFrame(new Uint8Array(160));
      await first;
      gone.close(); // the far end hangs up without signalling: its port now answers ICMP unreachable
      for (let i = 0; i < 5; i++) {
        session.sendFrame(new Uint8Array(160));
        await new Promise((r) => setTimeout(r, 5));
      }
      session.setRemote('127.0.0.1', next.address().port);
      const moved = once(next, 'message');
      session.sendFrame(new Uint8Array(160).fill(0x42));
      const [msg] = (await moved) as [Buffer];
      assert.equal(parseRtp(msg)?.payload[0], 0x42);
      // The ICMP errors from the gone peer must not have stopped reception: the new peer is heard.
      const heard = once(session, 'audio');
      next.send(
        serializeRtp({
          payloadType: 0,
          sequenceNumber: 9,
          timestamp: 0,
          ssrc: 8,
          payload: new Uint8Array(160),
        }),
        session.port,
        '127.0.0.1',
      );
      await heard;
      assert.deepEqual(errors, []);
    } finally {
      session.close();
      next.close();
    }
  });
}
