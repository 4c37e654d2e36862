/**
 * A voice line for call tests: Hotline with SIP on a free port, its RTP range, recordings in a
 * temp directory, a Billing queue and an IVR flow into it; agents' SIP accounts and baresip phones.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InteractionRecord } from '../../src/services/records.js';
import { startTestHotline, type TestHotline } from './hotline.js';
import { startBaresip, type BaresipPhone, type Peer } from './voice-peers.js';

export { until } from './sipp.js';

export const REALM = 'hotline.test';

/** The usual test menu: press 1 for the queue. */
export function billingMenu(queueId: string, timeoutSec = 10): Record<string, unknown> {
  return {
    version: 1,
    name: 'Test line',
    start: 'menu',
    nodes: {
      menu: { kind: 'menu', prompt: 'menu', options: [{ digit: '1', next: 'billing' }], timeoutSec },
      billing: { kind: 'queue', queueId },
    },
  };
}

export interface VoiceLineOptions {
  /** Temp directory name prefix. */
  prefix: string;
  /** Hotline's RTP port range. */
  rtp: [number, number];
  /** The IVR flow, given the queue's id (default `billingMenu`). */
  flow?: (queueId: string) => Record<string, unknown>;
  /** Queue settings besides the name (default: none). */
  queue?: Record<string, unknown>;
  /** The queue requires a "billing" skill at level 1 (default true). */
  skill?: boolean;
  /** More environment (HOTLINE_*). */
  env?: Record<string, string>;
}

export interface VoiceLine {
  t: TestHotline;
  dir: string;
  queueId: string;
  /** The "billing" skill, or '' without one. */
  skillId: string;
  /** Hotline's voice side (SIP port, calls). */
  voice(): NonNullable<TestHotline['hotline']['voice']>;
  /** The queue's newest voice interaction. */
  latestCall(): Promise<InteractionRecord | undefined>;
  /** The queue's voice interactions. */
  voiceInteractions(): Promise<InteractionRecord[]>;
  stop(): Promise<void>;
}

/** Starts Hotline with SIP and a queue, the flow pointed at it (restart() keeps the loaded config). */
export async function startVoiceLine(o: VoiceLineOptions): Promise<VoiceLine> {
  const flow = o.flow ?? ((id: string) => billingMenu(id));
  const dir = mkdtempSync(join(tmpdir(), o.prefix));
  const flowFile = join(dir, 'flow.json');
  // The queue's id is known only once it exists; the file starts with a stand-in.
  writeFileSync(flowFile, JSON.stringify(flow('00000000-0000-4000-8000-000000000000')));
  const t = await startTestHotline({
    env: {
      HOTLINE_SIP_ENABLED: 'true',
      HOTLINE_SIP_HOST: '127.0.0.1',
      HOTLINE_SIP_PORT: '0',
      HOTLINE_SIP_REALM: REALM,
      HOTLINE_RTP_PORTS: `${o.rtp[0]}-${o.rtp[1]}`,
      HOTLINE_IVR_FLOW_FILE: flowFile,
      HOTLINE_RECORDINGS_DIR: join(dir, 'recordings'),
      ...o.env,
    },
  });
  let skillId = '';
  if (o.skill ?? true) {
    const skill = await t.call('POST', '/api/skills', { name: 'billing' }, t.adminToken);
    assert.equal(skill.status, 201, JSON.stringify(skill.body));
    skillId = (skill.body as { id: string }).id;
  }
  const queue = await t.call(
    'POST',
    '/api/queues',
    { name: 'Billing', ...(skillId ? { requirements: [{ skillId, minLevel: 1 }] } : {}), ...o.queue },
    t.adminToken,
  );
  assert.equal(queue.status, 201, JSON.stringify(queue.body));
  const queueId = (queue.body as { id: string }).id;
  t.hotline.config.sip.defaultFlow = flow(queueId);
  await t.restart();

  const voiceInteractions = async (): Promise<InteractionRecord[]> => {
    const all = await t.hotline.services.store.interactions.list({ queueId, limit: 100, offset: 0 });
    return all.filter((i) => i.channel === 'voice');
  };
  return {
    t,
    dir,
    queueId,
    skillId,
    voice() {
      const v = t.hotline.voice;
      assert.ok(v, 'SIP is enabled');
      return v;
    },
    voiceInteractions,
    async latestCall() {
      return (await voiceInteractions()).sort((a, b) => b.seq - a.seq)[0];
    },
    async stop() {
      await t.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Gives an agent a SIP account (digest username = `username`); the password is never shown back. */
export async function giveSipAccount(
  t: TestHotline,
  agentId: string,
  username: string,
  password: string,
): Promise<void> {
  const sip = await t.call('PUT', `/api/agents/${agentId}/sip`, { username, password }, t.adminToken);
  assert.equal(sip.status, 200, JSON.stringify(sip.body));
  assert.equal(JSON.stringify(sip.body).includes(password), false, 'the password is never shown');
}

/** A baresip phone registered at the line as `user`, once the registrar has answered 200. */
export async function registeredPhone(
  line: VoiceLine,
  o: Omit<BaresipPhone, 'realm' | 'registrarPort'>,
): Promise<Peer> {
  const phone = await startBaresip({ ...o, realm: REALM, registrarPort: line.voice().sipPort });
  // 401 first, then 200 with digest credentials.
  await phone.waitFor(new RegExp(`${o.user}@hotline\\.test.*200 OK`));
  return phone;
}
