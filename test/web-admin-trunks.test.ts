// SIP trunks in the admin console, in a real browser: an admin edits a console trunk (a bad source
// address is shown at its field, then the new numbers are listed), deletes another, chooses a
// console trunk for calls out instead of the configuration file's (a trunk with no caller ID is
// refused at the choice; the one in force and why are shown; the trunk in force cannot be deleted),
// and finds every change in the audit log view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_PASSWORD } from './helpers/hotline.js';
import { screenshot, startWebHotline } from './helpers/browser.js';

test('an admin edits and deletes trunks and chooses the one for calls out; the audit log shows it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-web-trunks-'));
  const configFile = join(dir, 'config.json');
  // No voice.callerId: a trunk carries calls out only with a caller ID of its own.
  writeFileSync(
    configFile,
    JSON.stringify({
      sip: {
        trunks: [
          {
            name: 'file-carrier',
            sources: ['192.0.2.0/24'],
            dids: ['*'],
            outboundProxy: 'sip.file-carrier.example',
            callerId: '+15550001111',
          },
        ],
      },
      voice: { outboundTrunk: 'file-carrier', trunkPingSec: 0 },
    }),
  );
  const w = await startWebHotline({ env: { HOTLINE_CONFIG: configFile } });
  const { t } = w;
  try {
    for (const body of [
      {
        name: 'carrier-a',
        sources: ['203.0.113.0/24'],
        dids: ['+14155550100'],
        outboundProxy: 'sip.carrier-a.example:5060',
      },
      { name: 'old-lab', sources: ['198.51.100.7'], dids: ['*'] },
    ]) {
      const r = await t.call('POST', '/api/trunks', body, t.adminToken);
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    const page = await w.signIn('admin', ADMIN_PASSWORD);
    try {
      await page.getByRole('button', { name: 'Admin', exact: true }).click();
      await page.getByRole('tab', { name: 'Numbers & trunks' }).click();
      const rows = page.getByTestId('trunk-row');
      const row = (name: string) => rows.filter({ has: page.getByRole('cell', { name, exact: false }) });
      await row('carrier-a').waitFor();

      // The configuration's choice is in force, and says so.
      const calls = page.getByRole('region', { name: 'Calls out' });
      const inForce = calls.getByTestId('outbound-in-force');
      await inForce
        .filter({ hasText: 'Calls out go through file-carrier' })
        .filter({ hasText: 'from the configuration file (voice.outboundTrunk)' })
        .waitFor();
      await row('file-carrier').filter({ hasText: 'calls out' }).waitFor();

      // carrier-a has no caller ID yet: the choice is refused at the field, in plain words.
      await calls.getByLabel('Trunk for calls out').selectOption('carrier-a');
      await calls.getByRole('button', { name: 'Apply' }).click();
      await calls
        .getByRole('alert')
        .filter({ hasText: 'Calls out through this trunk would have no caller ID' })
        .waitFor();

      // Edit carrier-a: a bad source is shown at its field; fixed, the new numbers are listed.
      await row('carrier-a').getByRole('button', { name: 'Edit' }).click();
      const form = page.getByRole('form', { name: 'Edit trunk carrier-a' });
      await form.getByLabel('Source addresses or CIDR ranges').fill('203.0.113.0/24, 300.1.2.3');
      await form.getByLabel('Numbers it may call (* for any)').fill('+14155550100, 5550123');
      await form.getByLabel('Caller ID on calls out').fill('+14155550199');
      await form.getByRole('button', { name: 'Save' }).click();
      await form.getByRole('alert').filter({ hasText: 'Not an IP address or CIDR range.' }).waitFor();
      assert.equal(
        await form.getByLabel('Source addresses or CIDR ranges').getAttribute('aria-invalid'),
        'true',
      );
      await form.getByLabel('Source addresses or CIDR ranges').fill('203.0.113.0/24, 198.51.100.0/24');
      await form.getByRole('button', { name: 'Save' }).click();
      await row('carrier-a').filter({ hasText: '+14155550100, 5550123' }).waitFor();
      await row('carrier-a').filter({ hasText: '203.0.113.0/24, 198.51.100.0/24' }).waitFor();

      // Now it can carry calls out: chosen here, it is in force at once, and the rule is shown.
      await calls.getByLabel('Trunk for calls out').selectOption('carrier-a');
      await calls.getByRole('button', { name: 'Apply' }).click();
      await inForce
        .filter({ hasText: 'Calls out go through carrier-a' })
        .filter({ hasText: 'chosen here in the console' })
        .waitFor();
      await calls
        .getByText('wins over the configuration file’s voice.outboundTrunk (file-carrier)')
        .waitFor();
      await row('carrier-a').filter({ hasText: 'calls out' }).waitFor();
      const state = await t.call('GET', '/api/outbound-trunk', undefined, t.adminToken);
      assert.equal(state.body.inForce, 'carrier-a');
      assert.equal(state.body.source, 'console');
      await screenshot(page, 'admin-trunks-outbound');

      // Delete old-lab: it leaves the list. The trunk in force cannot be deleted.
      page.on('dialog', (d) => void d.accept());
      await row('old-lab').getByRole('button', { name: 'Delete' }).click();
      await row('old-lab').waitFor({ state: 'detached' });
      assert.equal(await rows.count(), 2);
      await row('carrier-a').getByRole('button', { name: 'Delete' }).click();
      await page
        .getByRole('alert')
        .filter({ hasText: 'Calls out go through this trunk: choose another one for calls out first.' })
        .waitFor();
      assert.equal(await rows.count(), 2, 'carrier-a is still there');
      const trunks = await t.call('GET', '/api/trunks', undefined, t.adminToken);
      assert.deepEqual(
        trunks.body.map((x: { name: string }) => x.name),
        ['file-carrier', 'carrier-a'],
      );

      // The audit log view lists the edit, the deletion and the choice.
      await page.getByRole('tab', { name: 'Audit log' }).click();
      const audit = page.getByRole('row');
      await audit
        .filter({ hasText: 'sip_trunk.update' })
        .filter({ hasText: 'sip_trunk carrier-a' })
        .waitFor();
      await audit.filter({ hasText: 'sip_trunk.delete' }).filter({ hasText: 'sip_trunk old-lab' }).waitFor();
      await audit
        .filter({ hasText: 'sip_trunk.outbound' })
        .filter({ hasText: '"chosen":"carrier-a"' })
        .filter({ hasText: '"previous":"file-carrier"' })
        .waitFor();
      assert.equal(
        await audit.filter({ hasText: 'sip_trunk.outbound' }).count(),
        1,
        'the refused choice is not',
      );
    } catch (err) {
      await screenshot(page, 'failure-admin-trunks');
      throw err;
    }
  } finally {
    await w.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
