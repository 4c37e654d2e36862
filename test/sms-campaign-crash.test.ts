/**
 * kill -9 of a real Hotline process in the middle of a 10,000-message campaign, then a restart:
 * every recipient ends with exactly one message, and the SMSC (our simulator, in this process, so
 * it outlives the crash) saw every message at most once — none lost, none sent twice. Those the
 * crash left in doubt are marked uncertain by Hotline instead of being sent again.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SmscSimulator } from '../src/adapters/smpp/index.js';
import { freshPostgres, POSTGRES_URL } from './helpers/database.js';
import { api, startProcess } from './helpers/hotline-process.js';

const PASSWORD = 'crash-admin-1';
const RECIPIENTS = 10_000;
/** Numbers whose last four digits stay clear of the simulator's fault numbers (…0001 … …0999). */
const numberOf = (i: number) => `+1202${5_000_000 + 1000 + (i % 9000) + 10_000 * Math.floor(i / 9000)}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sms campaign crash', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hotline-sms-crash-'));
  let pg: Awaited<ReturnType<typeof freshPostgres>> | null = null;
  let smsc: SmscSimulator;
  const seen = new Map<string, number>();
  let env: Record<string, string>;
  before(async () => {
    pg = POSTGRES_URL ? await freshPostgres() : null;
    smsc = new SmscSimulator({ latencyMs: 2, receiptDelayMs: 5, keepSubmits: 0 });
    smsc.on('submit', (s) => seen.set(s.destination, (seen.get(s.destination) ?? 0) + 1));
    const port = await smsc.start();
    env = {
      HOTLINE_DATA_DIR: dataDir,
      HOTLINE_HOST: '127.0.0.1',
      HOTLINE_PORT: '0',
      HOTLINE_ADMIN_PASSWORD: PASSWORD,
      HOTLINE_LOG_LEVEL: 'info',
      HOTLINE_SMSC_URL: `smpp://hotline:secret@127.0.0.1:${port}`,
      HOTLINE_SMSC_WINDOW: '50',
      HOTLINE_SMSC_RATE: '100000',
      DATABASE_URL: pg?.url ?? '',
    };
  });
  after(async () => {
    await smsc.stop();
    await pg?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('kill -9 mid-campaign: after a restart every recipient has one message, none lost or sent twice', async () => {
    let { child, base } = await startProcess(env);
    const login = async () =>
      (await api(base, 'POST', '/api/auth/login', undefined, { username: 'admin', password: PASSWORD })).body
        .token as string;
    let token = await login();
    const recipients = Array.from({ length: RECIPIENTS }, (_, i) => ({ to: numberOf(i) }));
    const created = await api(base, 'POST', '/api/sms/campaigns', token, {
      name: 'Outage notice',
      template: 'Planned water outage on Tuesday 9-12.',
      type: 'notification',
      start: true,
      audience: { recipients },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body).slice(0, 500));
    const id = created.body.campaign.id as string;

    // Mid-way: a good part is out, much is still queued.
    const until = Date.now() + 300_000;
    while (smsc.counts.submits < RECIPIENTS / 4) {
      if (Date.now() > until) assert.fail(`only ${smsc.counts.submits} submits`);
      await sleep(20);
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const atCrash = smsc.counts.submits;
    assert.ok(atCrash < RECIPIENTS, 'killed before the end');

    ({ child, base } = await startProcess(env));
    try {
      token = await login();
      const campaignNow = async () => (await api(base, 'GET', `/api/sms/campaigns/${id}`, token)).body;
      let campaign = await campaignNow();
      const deadline = Date.now() + 600_000;
      while (campaign.state !== 'completed') {
        if (Date.now() > deadline) assert.fail(`campaign still ${JSON.stringify(campaign)}`);
        await sleep(500);
        campaign = await campaignNow();
      }
      // The last receipts; a receipt taken by the killed process and not yet stored stays missing.
      for (let i = 0; i < 20 && campaign.progress.submitted > 0; i++) {
        await sleep(500);
        campaign = await campaignNow();
      }
      assert.ok(smsc.counts.submits > atCrash, 'the restarted Hotline went on with the campaign');

      const messages: { recipient: string; status: string }[] = [];
      for (let offset = 0; ; offset += 500) {
        const page = (
          await api(base, 'GET', `/api/sms/campaigns/${id}/messages?limit=500&offset=${offset}`, token)
        ).body;
        messages.push(...page);
        if (page.length < 500) break;
      }
      assert.equal(messages.length, RECIPIENTS, 'one message per recipient');
      const byRecipient = new Set(messages.map((m) => m.recipient));
      assert.equal(byRecipient.size, RECIPIENTS, 'no recipient twice');
      for (const r of recipients) assert.ok(byRecipient.has(r.to), `${r.to} has a message`);

      const statuses = new Map<string, number>();
      for (const m of messages) {
        statuses.set(m.status, (statuses.get(m.status) ?? 0) + 1);
        const times = seen.get(m.recipient.slice(1)) ?? 0;
        if (m.status === 'uncertain') {
          assert.ok(times <= 1, `${m.recipient} (uncertain) was submitted ${times} times`);
        } else {
          // delivered, or submitted when its receipt was lost with the killed process
          assert.ok(['delivered', 'submitted'].includes(m.status), `${m.recipient} is ${m.status}`);
          assert.equal(times, 1, `${m.recipient} (${m.status}) was submitted ${times} times`);
        }
      }
      assert.equal(
        [...seen.values()].reduce((a, b) => a + b, 0),
        smsc.counts.submits,
        'the simulator saw nothing but campaign messages',
      );
      assert.ok(
        [...seen.values()].every((n) => n === 1),
        'no message reached the SMSC twice',
      );
      assert.equal(campaign.progress.total, RECIPIENTS);
      assert.equal(campaign.progress.uncertain, statuses.get('uncertain') ?? 0);
    } finally {
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGINT');
      assert.equal(await exited, 0);
    }
  });
});
