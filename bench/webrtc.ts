/**
 * Browser softphone density: how many concurrent WebRTC agent legs one Hotline process relays with
 * under 1 % packet loss. The system under test is the real adapter (WebRtcAgentPhones: werift
 * ICE-lite + DTLS-SRTP, the loopback relay into an RtpMediaChannel) with each leg playing a looped
 * tone to its browser; the browsers are full-ICE werift peers in a forked process
 * (bench/webrtc-peers.ts, its own core) that send 20 ms PCMU frames and count what they get.
 * N ramps through BENCH_WEBRTC_STEPS (default 10,25,50,100,150), BENCH_WEBRTC_SECONDS each (default
 * 8). Ends with one JSON line: the highest passing step's {"concurrentCalls","lossPct"} and all steps.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RtpMediaChannels } from '../src/adapters/media/media-channel.js';
import { RtpPortPool } from '../src/adapters/media/port-pool.js';
import { createSystemScheduler } from '../src/adapters/media/scheduler.js';
import { WebRtcAgentPhones } from '../src/adapters/webrtc/browser-phones.js';
import type { CallLeg } from '../src/services/calls/ports.js';
import { Softphones } from '../src/services/calls/softphones.js';
import type { PeersCommand, PeersMessage } from './webrtc-peers.js';

const SECONDS = Number(process.env.BENCH_WEBRTC_SECONDS ?? 8);
const STEPS = (process.env.BENCH_WEBRTC_STEPS ?? '10,25,50,100,150')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => n > 0);
const LOSS_LIMIT_PCT = 1;

/** A 440 Hz tone, 16-bit PCM WAV at 8 kHz, 2 s (played in a loop). */
function toneWav(): Buffer {
  const n = 16000;
  const data = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++)
    data.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)), i * 2);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(8000, 24);
  h.writeUInt32LE(16000, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36);
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-webrtc-'));
  const tone = join(dir, 'tone.wav');
  writeFileSync(tone, toneWav());
  const softphones = new Softphones();
  const media = new RtpMediaChannels(new RtpPortPool(47000, 48999), createSystemScheduler(), '127.0.0.1');
  const phones = new WebRtcAgentPhones(softphones, media, { address: '127.0.0.1' });
  const child = fork(new URL('./webrtc-peers.ts', import.meta.url), { execArgv: ['--import', 'tsx'] });
  const command = (c: PeersCommand) => child.send(c);
  const connected = new Set<string>();
  let counts: ((c: { sent: number; received: number }) => void) | null = null;
  child.on('message', (m: PeersMessage) => {
    if (m.kind === 'signal') softphones.receive(m.agent, m.message);
    else if (m.kind === 'connected') connected.add(m.agent);
    else counts?.({ sent: m.sent, received: m.received });
  });
  const legs: CallLeg[] = [];
  const steps: {
    calls: number;
    connected: number;
    lossPct: number;
    toBrowsersLossPct: number;
    fromBrowsersLossPct: number;
  }[] = [];
  let best: { concurrentCalls: number; lossPct: number } = { concurrentCalls: 0, lossPct: 100 };
  try {
    for (const n of STEPS) {
      // Add legs up to n.
      while (legs.length < n) {
        const agent = `agent-${legs.length}`;
        softphones.attach(agent, (text) => command({ kind: 'signal', agent, text }));
        const call = await phones.ring(agent, {
          caller: 'bench',
          signal: new AbortController().signal,
          onRinging: () => undefined,
        });
        if (call === null) throw new Error('no browser for the ring');
        const outcome = await call.outcome;
        if (outcome.kind !== 'answered') throw new Error(`ring ${outcome.kind}`);
        outcome.leg.play([tone], { loop: true, onEnd: () => undefined });
        legs.push(outcome.leg);
      }
      const deadline = Date.now() + 30_000;
      while (connected.size < n && Date.now() < deadline) await sleep(100);
      await sleep(2000);
      const before = phones.stats();
      command({ kind: 'measure', on: true });
      await sleep(SECONDS * 1000);
      const after = phones.stats();
      const browser = await new Promise<{ sent: number; received: number }>((resolve) => {
        counts = resolve;
        command({ kind: 'measure', on: false });
      });
      const toBrowsers = after.packetsToBrowsers - before.packetsToBrowsers;
      const fromBrowsers = after.packetsFromBrowsers - before.packetsFromBrowsers;
      const lossTo =
        toBrowsers === 0 ? 100 : Math.max(0, (100 * (toBrowsers - browser.received)) / toBrowsers);
      const lossFrom =
        browser.sent === 0 ? 100 : Math.max(0, (100 * (browser.sent - fromBrowsers)) / browser.sent);
      const lossPct = Math.round(Math.max(lossTo, lossFrom) * 100) / 100;
      steps.push({
        calls: n,
        connected: connected.size,
        lossPct,
        toBrowsersLossPct: Math.round(lossTo * 100) / 100,
        fromBrowsersLossPct: Math.round(lossFrom * 100) / 100,
      });
      process.stderr.write(`${JSON.stringify(steps.at(-1))}\n`);
      if (connected.size < n || lossPct >= LOSS_LIMIT_PCT) break;
      best = { concurrentCalls: n, lossPct };
    }
  } finally {
    for (const leg of legs) leg.hangup();
    command({ kind: 'close' });
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(JSON.stringify({ ...best, steps }));
  process.exit(0);
}

await main();
