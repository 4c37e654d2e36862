/**
 * The telephony admin console in a real browser: an admin creates a queue and an IVR flow, sees a
 * validation problem marked at the node that has it, fixes it, publishes, binds a number to the
 * flow, adds a SIP trunk for SIPp's address (a bad range marked at its field first) — and a SIPp
 * call to that number comes in through the trunk and follows the new flow into the new queue.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD } from './helpers/hotline.js';
import { screenshot, startWebHotline } from './helpers/browser.js';
import { runSipp, until } from './helpers/sipp.js';
import wavefile from 'wavefile';

const LIMIT = { timeout: 240_000 };
// RTP ports of their own per process, so parallel test files do not fight over them.
const BASE = 17500 + (process.pid % 40) * 60;
const DID = '5550177';

/** One second of a 440 Hz tone, stereo 16-bit PCM at `rate`. */
function stereoTone(rate: number, seconds: number): Buffer {
  const s = Int16Array.from({ length: rate * seconds }, (_, i) =>
    Math.round(6000 * Math.sin((2 * Math.PI * 440 * i) / rate)),
  );
  const w = new wavefile.WaveFile();
  w.fromScratch(2, rate, '16', [s, s]);
  return Buffer.from(w.toBuffer());
}

/** The flow typed into the editor; `extra` goes into the queue node (a wrong field on purpose). */
function flowDocument(queueId: string, extra: Record<string, unknown> = {}) {
  return {
    version: 1,
    name: 'Spanish line',
    start: 'menu',
    nodes: {
      menu: {
        kind: 'menu',
        prompt: 'menu',
        options: [
          { digit: '1', next: 'goodbye' },
          { digit: '2', next: 'spanish' },
        ],
        timeoutSec: 10,
        onFailure: 'goodbye',
      },
      spanish: { kind: 'queue', queueId, onQueueFailure: 'goodbye', ...extra },
      goodbye: { kind: 'play', prompts: 'goodbye', next: 'end' },
      end: { kind: 'hangup' },
    },
  };
}

test(
  'an admin builds a flow and a number in the console; a call to the number follows it',
  LIMIT,
  async () => {
    const w = await startWebHotline({
      env: {
        HOTLINE_SIP_ENABLED: 'true',
        HOTLINE_SIP_HOST: '127.0.0.1',
        HOTLINE_SIP_PORT: '0',
        HOTLINE_RTP_PORTS: `${BASE}-${BASE + 19}`,
      },
    });
    const { t } = w;
    try {
      const page = await w.signIn('admin', ADMIN_PASSWORD);
      try {
        await page.getByRole('button', { name: 'Admin', exact: true }).click();

        // A queue, made in the console.
        await page.getByRole('tab', { name: 'Queues' }).click();
        const qform = page.getByRole('form', { name: 'Queues' });
        await qform.getByLabel('Name', { exact: true }).fill('Spanish support');
        await qform.getByRole('button', { name: 'Create' }).click();
        await page.getByTestId('queue-row').filter({ hasText: 'Spanish support' }).waitFor();
        const queues = await t.call('GET', '/api/queues', undefined, t.adminToken);
        const queue = (queues.body as { id: string; name: string }[]).find(
          (q) => q.name === 'Spanish support',
        );
        assert.ok(queue, 'the queue made in the console is served by the API');

        // A flow with a mistake at the queue node: it is refused, and the node says why.
        await page.getByRole('tab', { name: 'IVR flows' }).click();
        await page.getByRole('button', { name: 'New flow' }).click();
        const editor = page.getByLabel('Flow document (JSON)');
        await editor.fill(JSON.stringify(flowDocument(queue.id, { timeout: 30 }), null, 2));
        await page.getByTestId('ivr-node-spanish').waitFor();
        await page.getByRole('button', { name: 'Save and publish' }).click();
        await page.getByTestId('ivr-problems').waitFor();
        await page.locator('[data-testid="ivr-node-spanish"][aria-invalid="true"]').waitFor();
        const item = page.getByTestId('ivr-node-item-spanish');
        assert.match(await item.innerText(), /timeout/, 'the problem is shown at the queue node');
        assert.equal(
          await page.getByTestId('ivr-node-menu').getAttribute('aria-invalid'),
          null,
          'other nodes are not marked',
        );
        await screenshot(page, 'admin-ivr-invalid');
        let flows = await t.call('GET', '/api/ivr/flows', undefined, t.adminToken);
        assert.deepEqual(flows.body, [], 'nothing was stored');

        // Fixed and published.
        await editor.fill(JSON.stringify(flowDocument(queue.id), null, 2));
        await page.getByRole('button', { name: 'Save and publish' }).click();
        await page.getByRole('status').filter({ hasText: 'published as version 1' }).waitFor();
        assert.equal(await page.locator('[data-testid^="ivr-node-"][aria-invalid="true"]').count(), 0);
        await page.getByTestId('ivr-flow-row').filter({ hasText: 'Spanish line' }).waitFor();
        await page.getByTestId('ivr-version-row').first().waitFor();
        // The graph shows the menu's digit 2 leading to the queue node.
        assert.ok(
          (await page.getByTestId('ivr-graph').locator('text.edge-label').allTextContents()).includes('2'),
          'edges carry their digits',
        );
        await screenshot(page, 'admin-ivr-graph');
        flows = await t.call('GET', '/api/ivr/flows', undefined, t.adminToken);
        const flow = (flows.body as { id: string; name: string; publishedVersion: number }[])[0];
        assert.equal(flow?.name, 'Spanish line');
        assert.equal(flow.publishedVersion, 1);

        // The number, bound in the console.
        await page.getByRole('tab', { name: 'Numbers & trunks' }).click();
        const nform = page.getByRole('form', { name: 'Numbers' });
        await nform.getByLabel('Dialed number').fill(DID);
        await nform.getByLabel('Flow', { exact: true }).selectOption({ label: 'Spanish line' });
        await nform.getByRole('button', { name: 'Create' }).click();
        await page
          .getByTestId('ivr-number-row')
          .filter({ hasText: DID })
          .filter({ hasText: 'Spanish line' })
          .waitFor();

        // A trunk added in the console: a bad range is marked at its field; fixed, the trunk is
        // listed and admits SIPp's address for the number (the call below comes in through it).
        const tform = page.getByRole('form', { name: 'Add a SIP trunk' });
        const sources = tform.getByLabel('Source addresses or CIDR ranges');
        await tform.getByLabel('Name', { exact: true }).fill('lab');
        await sources.fill('10.0.0.0/33');
        await tform.getByLabel('Numbers it may call').fill(DID);
        await tform.getByLabel('Password', { exact: true }).fill('lab-secret');
        await tform.getByRole('button', { name: 'Add trunk' }).click();
        await tform.getByRole('alert').filter({ hasText: 'Not an IP address or CIDR range' }).waitFor();
        assert.equal(await sources.getAttribute('aria-invalid'), 'true');
        await sources.fill('127.0.0.1');
        await tform.getByRole('button', { name: 'Add trunk' }).click();
        const trunkRow = page
          .getByTestId('trunk-row')
          .filter({ hasText: 'lab' })
          .filter({ hasText: '127.0.0.1' });
        await trunkRow.waitFor();
        const rowText = await trunkRow.innerText();
        assert.ok(rowText.includes(DID) && /\bset\b/.test(rowText) && !rowText.includes('not set'), rowText);
        assert.doesNotMatch(await page.content(), /lab-secret/);
        await screenshot(page, 'admin-trunks');

        // A prompt uploaded from the page (22.05 kHz stereo) replaces the built-in Mandarin welcome.
        await page.getByRole('tab', { name: 'Prompts' }).click();
        const pform = page.getByRole('form', { name: 'Upload a prompt' });
        await pform.locator('select').first().selectOption('zh');
        await pform.getByLabel('Prompt name').fill('welcome');
        await pform.getByLabel('WAV file').setInputFiles({
          name: 'not-audio.wav',
          mimeType: 'audio/wav',
          buffer: Buffer.from('plain text, not a WAV'),
        });
        await pform.getByRole('button', { name: 'Upload' }).click();
        await page.getByRole('alert').filter({ hasText: 'That file is not a usable WAV' }).waitFor();
        await pform.getByLabel('WAV file').setInputFiles({
          name: 'welcome.wav',
          mimeType: 'audio/wav',
          buffer: stereoTone(22050, 1),
        });
        await pform.getByRole('button', { name: 'Upload' }).click();
        await page.getByRole('status').filter({ hasText: 'Uploaded zh/welcome' }).waitFor();
        const row = page.getByTestId('prompt-row').filter({ hasText: 'Uploaded (replaces built-in)' });
        // The list reloads after the status shows: wait for the row before counting.
        await row.first().waitFor();
        assert.equal(await row.count(), 1);
        await row.getByRole('button', { name: 'Play' }).click();
        await page.getByTestId('prompt-player').filter({ hasText: 'zh/welcome' }).waitFor();
        const prompts = await t.call('GET', '/api/prompts', undefined, t.adminToken);
        assert.ok(
          (prompts.body as { language: string; name: string; uploaded: boolean }[]).some(
            (p) => p.language === 'zh' && p.name === 'welcome' && p.uploaded,
          ),
        );

        // A number on the blacklist: a new customer, flagged; removed again from the list.
        await page.getByRole('tab', { name: 'Blacklist & VIP' }).click();
        const bform = page.getByRole('form', { name: 'Blacklist' });
        await bform.getByLabel('Number').fill('+14155550123');
        await bform.getByRole('button', { name: 'Add' }).click();
        const remove = page.getByRole('button', { name: 'Remove +14155550123' });
        await remove.waitFor();
        const lookup = () =>
          t.call('GET', '/api/customers/lookup?number=%2B14155550123', undefined, t.adminToken);
        assert.equal((await lookup()).body.blacklisted, true);
        assert.equal((await lookup()).body.vip, false);
        await remove.click();
        await until('the number off the blacklist', async () => (await lookup()).body.blacklisted === false);
        await remove.waitFor({ state: 'detached' });

        // The changes are in the audit log tab.
        await page.getByRole('tab', { name: 'Audit log' }).click();
        await page.getByRole('cell', { name: 'ivr_number.create' }).waitFor();
        await page.getByRole('cell', { name: 'ivr_flow.create' }).waitFor();
        await page.getByRole('cell', { name: 'prompt.upload' }).waitFor();
        await page.getByRole('cell', { name: 'sip_trunk.create' }).waitFor();
        await page.getByRole('cell', { name: 'customer.update' }).first().waitFor();
      } catch (err) {
        await screenshot(page, 'failure-admin-ivr');
        throw err;
      }

      // A call to the number: 2 in the menu puts it in the new queue, where it waits.
      const voice = t.hotline.voice;
      assert.ok(voice, 'SIP is enabled');
      const queues = await t.call('GET', '/api/queues', undefined, t.adminToken);
      const queueId = (queues.body as { id: string; name: string }[]).find(
        (q) => q.name === 'Spanish support',
      )?.id;
      const call = runSipp({
        scenario: 'ivr-digit-dnis.xml',
        port: voice.sipPort,
        service: DID,
        mediaPort: BASE + 40,
        pauseMs: 8000,
      });
      let waiting: { status: string; metadata: Record<string, unknown> } | undefined;
      await until('the call waiting in Spanish support', async () => {
        const r = await t.call('GET', `/api/interactions?queueId=${queueId}`, undefined, t.adminToken);
        waiting = (r.body as { status: string; metadata: Record<string, unknown> }[]).find(
          (i) => i.status === 'queued',
        );
        return waiting !== undefined;
      });
      assert.equal(waiting?.metadata.dnis, DID);
      const run = await call;
      assert.equal(run.code, 0, run.out.slice(-3000));
    } finally {
      await w.stop();
    }
  },
);
