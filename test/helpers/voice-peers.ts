/** Real SIP peers for voice tests: SIPp callers and phones, baresip as an agent's phone, WAV files. */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { encodeG711 } from '../../src/adapters/media/g711.js';
import { wavHeader } from '../../src/adapters/media/wav-header.js';

export const SIPP = '/usr/bin/sipp';
export const BARESIP = '/usr/bin/baresip';
export const SCENARIOS = resolve(process.cwd(), 'test/fixtures/sipp');

/**
 * A port free a moment ago on 127.0.0.1 for both UDP and TCP, for a SIP peer that wants its port on the
 * command line: baresip binds `sip_listen` on both transports and gives up if either is taken. Chosen
 * above the kernel's ephemeral range (32768–60999), so no test's outgoing connection can take it
 * between this check and the peer's bind.
 */
export async function freeSipPort(): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const port = 61000 + Math.floor(Math.random() * 4500);
    const server = createServer();
    const tcpFree = await new Promise<boolean>((r) => {
      server.once('error', () => r(false));
      server.listen(port, '127.0.0.1', () => r(true));
    });
    if (tcpFree) await new Promise<void>((r) => server.close(() => r()));
    if (!tcpFree && attempt < 50) continue;
    const socket = createSocket('udp4');
    const udpFree = await new Promise<boolean>((r) => {
      socket.once('error', () => r(false));
      socket.bind(port, '127.0.0.1', () => r(true));
    });
    if (udpFree) await new Promise<void>((r) => socket.close(r));
    if ((tcpFree && udpFree) || attempt >= 50) return port;
  }
}

/** `seconds` of a sine tone at `hz`, 8 kHz, amplitude about a third of full scale. */
export function tone(hz: number, seconds: number): Int16Array {
  const out = new Int16Array(8000 * seconds);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(10000 * Math.sin((2 * Math.PI * hz * i) / 8000));
  return out;
}

/** A mono 16-bit PCM WAV (what baresip's aufile reads). */
export function pcmWav(samples: Int16Array): Buffer {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => data.writeInt16LE(s, i * 2));
  return Buffer.concat([wavHeader(1, 8000, 16, data.length), data]);
}

/**
 * A pcap of PCMU RTP carrying `samples` in 20 ms packets, for SIPp's play_pcap_audio (which sends
 * the RTP from the call's media port, so it latches like the DTMF captures do).
 */
export function rtpPcap(samples: Int16Array): Buffer {
  const parts: Buffer[] = [];
  const global = Buffer.alloc(24);
  global.writeUInt32LE(0xa1b2c3d4, 0);
  global.writeUInt16LE(2, 4);
  global.writeUInt16LE(4, 6);
  global.writeUInt32LE(65535, 16);
  global.writeUInt32LE(1, 20); // Ethernet
  parts.push(global);
  const frames = Math.floor(samples.length / 160);
  for (let n = 0; n < frames; n++) {
    const payload = encodeG711('pcmu', samples.subarray(n * 160, n * 160 + 160));
    const rtp = Buffer.alloc(12 + payload.length);
    rtp[0] = 0x80;
    rtp[1] = n === 0 ? 0x80 : 0;
    rtp.writeUInt16BE(n & 0xffff, 2);
    rtp.writeUInt32BE(n * 160, 4);
    rtp.writeUInt32BE(0x1234abcd, 8);
    Buffer.from(payload).copy(rtp, 12);
    const udp = Buffer.alloc(8);
    udp.writeUInt16BE(6000, 0);
    udp.writeUInt16BE(6002, 2);
    udp.writeUInt16BE(8 + rtp.length, 4);
    const ip = Buffer.alloc(20);
    ip[0] = 0x45;
    ip.writeUInt16BE(20 + 8 + rtp.length, 2);
    ip[8] = 64;
    ip[9] = 17;
    Buffer.from([127, 0, 0, 1]).copy(ip, 12);
    Buffer.from([127, 0, 0, 1]).copy(ip, 16);
    const eth = Buffer.alloc(14);
    eth.writeUInt16BE(0x0800, 12);
    const packet = Buffer.concat([eth, ip, udp, rtp]);
    const record = Buffer.alloc(16);
    const us = n * 20_000;
    record.writeUInt32LE(Math.floor(us / 1e6), 0);
    record.writeUInt32LE(us % 1e6, 4);
    record.writeUInt32LE(packet.length, 8);
    record.writeUInt32LE(packet.length, 12);
    parts.push(record, packet);
  }
  return Buffer.concat(parts);
}

/** RMS of each channel of a 16-bit PCM WAV; also its sample rate and channel count. */
export function channelRms(
  wav: Buffer,
  span?: { fromMs: number; toMs: number },
): { channels: number; rate: number; rms: number[]; frames: number } {
  assert.equal(wav.toString('ascii', 0, 4), 'RIFF');
  assert.equal(wav.toString('ascii', 8, 12), 'WAVE');
  let at = 12;
  let channels = 0;
  let rate = 0;
  while (at + 8 <= wav.length) {
    const id = wav.toString('ascii', at, at + 4);
    const size = wav.readUInt32LE(at + 4);
    if (id === 'fmt ') {
      assert.equal(wav.readUInt16LE(at + 8), 1, 'PCM');
      channels = wav.readUInt16LE(at + 10);
      rate = wav.readUInt32LE(at + 12);
      assert.equal(wav.readUInt16LE(at + 22), 16, '16-bit');
    }
    if (id === 'data') {
      const bytesPerMs = (rate * channels * 2) / 1000;
      const start = at + 8 + (span ? Math.floor(span.fromMs * bytesPerMs) : 0);
      const end = Math.min(
        wav.length,
        at + 8 + size,
        span ? at + 8 + Math.floor(span.toMs * bytesPerMs) : Infinity,
      );
      const frames = Math.floor((end - start) / (2 * channels));
      const sums = new Array<number>(channels).fill(0);
      for (let f = 0; f < frames; f++) {
        for (let c = 0; c < channels; c++) sums[c]! += wav.readInt16LE(start + (f * channels + c) * 2) ** 2;
      }
      return { channels, rate, frames, rms: sums.map((s) => Math.sqrt(s / Math.max(1, frames))) };
    }
    at += 8 + size + (size % 2);
  }
  throw new Error('no data chunk');
}

/** A running peer process of ours, stopped by its PID. */
export interface Peer {
  child: ChildProcessWithoutNullStreams;
  log(): string;
  /** Resolves once the output matches, rejects when the process exits first or after `ms`. */
  waitFor(re: RegExp, ms?: number): Promise<void>;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

function peer(cmd: string, args: string[], cwd: string, cleanup: () => void): Peer {
  const child = spawn(cmd, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (d: Buffer): void => {
    out += d.toString();
    for (const w of [...waiters]) w();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  let done = false;
  void exited.then(() => {
    done = true;
    for (const w of [...waiters]) w();
  });
  return {
    child,
    log: () => out,
    exited,
    waitFor(re, ms = 20_000) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${re} from ${cmd}:\n${out.slice(-3000)}`));
        }, ms);
        const check = (): void => {
          if (re.test(out)) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          } else if (done) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(new Error(`${cmd} exited before ${re}:\n${out.slice(-3000)}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const guard = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(guard);
      }
      cleanup();
    },
  };
}

/** SIPp running a scenario of test/fixtures/sipp against `target`; files are written into its cwd first. */
export function startSipp(
  scenario: string,
  target: string,
  opts: { mediaPort: number; files?: Record<string, Buffer>; extra?: string[] },
): Peer {
  assert.ok(existsSync(SIPP), `SIPp is missing (${SIPP}): CI must install the Debian package sip-tester`);
  const cwd = mkdtempSync(join(tmpdir(), 'hotline-sipp-'));
  for (const [name, data] of Object.entries(opts.files ?? {})) writeFileSync(join(cwd, name), data);
  const args = ['-sf', join(SCENARIOS, scenario), target, '-i', '127.0.0.1', '-mp', String(opts.mediaPort)];
  args.push('-m', '1', '-nostdin', '-timeout', '40s', '-t', 'u1', ...(opts.extra ?? []));
  return peer(SIPP, args, cwd, () => rmSync(cwd, { recursive: true, force: true }));
}

/** Options of a baresip agent phone. */
export interface BaresipPhone {
  user: string;
  password: string;
  realm: string;
  /** Hotline's SIP port on 127.0.0.1. */
  registrarPort: number;
  /** Answers by itself. */
  autoAnswer: boolean;
  /** What the phone's microphone says. */
  audio: Int16Array;
  rtpPorts: [number, number];
  /** Where the phone writes what it hears (baresip sndfile: dump-*-dec.wav). */
  receivedDir?: string;
}

/** baresip registered (digest auth) as an agent's phone; its microphone plays `audio` in a loop-free file. */
export async function startBaresip(o: BaresipPhone): Promise<Peer> {
  assert.ok(existsSync(BARESIP), 'baresip is missing: CI must install the Debian package baresip-core');
  const dir = mkdtempSync(join(tmpdir(), 'hotline-baresip-'));
  const sipPort = await freeSipPort();
  const mic = join(dir, 'mic.wav');
  writeFileSync(mic, pcmWav(o.audio));
  writeFileSync(
    join(dir, 'config'),
    [
      `sip_listen 127.0.0.1:${sipPort}`,
      'net_interface 127.0.0.1',
      `rtp_ports ${o.rtpPorts[0]}-${o.rtpPorts[1]}`,
      'module_path /usr/lib/baresip/modules',
      `audio_source aufile,${mic}`,
      'audio_player alsa,null',
      'module stdio.so',
      'module g711.so',
      'module aufile.so',
      'module alsa.so',
      'module_app account.so',
      'module_app menu.so',
      ...(o.receivedDir === undefined ? [] : ['module sndfile.so', `snd_path ${o.receivedDir}`]),
    ].join('\n') + '\n',
  );
  writeFileSync(
    join(dir, 'accounts'),
    `<sip:${o.user}@${o.realm}>;outbound="sip:127.0.0.1:${o.registrarPort};transport=udp";` +
      `auth_user=${o.user};auth_pass=${o.password};regint=600;` +
      `answermode=${o.autoAnswer ? 'auto' : 'manual'};audio_codecs=PCMU\n`,
  );
  const p = peer(BARESIP, ['-f', dir], dir, () => rmSync(dir, { recursive: true, force: true }));
  return p;
}

/** The bytes of a file, for assertions on recordings. */
export function readBytes(path: string): Buffer {
  return readFileSync(path);
}
