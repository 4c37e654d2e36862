import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { moFromLine, runSmscSim, SMSC_SIM_USAGE, smscSimOptions } from './smsc-sim.js';

test('flags win over environment; bad values are refused', () => {
  const o = smscSimOptions(['--port', '0', '--latency-ms', '5', '--no-receipt-tlvs'], {
    SMSC_SIM_PORT: '9999',
    SMSC_SIM_SYSTEM_ID: 'hotline',
    SMSC_SIM_PASSWORD: 'secret',
  });
  assert.notEqual(o, 'help');
  if (o === 'help') return;
  assert.equal(o.port, 0);
  assert.equal(o.latencyMs, 5);
  assert.equal(o.receiptTlvs, false);
  assert.deepEqual(o.accounts, [{ systemId: 'hotline', password: 'secret' }]);
  const defaults = smscSimOptions([], {});
  assert.equal(defaults !== 'help' && defaults.port, 2775);
  assert.throws(() => smscSimOptions(['--port', 'x'], {}), /port/);
  assert.throws(() => smscSimOptions(['--message-id-format', 'octal'], {}), /hex or decimal/);
  assert.throws(() => smscSimOptions(['--bogus'], {}));
  assert.equal(smscSimOptions(['--help'], {}), 'help');
  assert.match(SMSC_SIM_USAGE, /…0058 {2}submit_sm_resp ESME_RTHROTTLED/);
});

test('starts, prints its port, accepts a connection', async (t) => {
  const lines: string[] = [];
  const sim = await runSmscSim(['--port', '0'], {}, (l) => lines.push(l));
  assert.ok(sim);
  t.after(() => sim.stop());
  const port = Number(/127\.0\.0\.1:(\d+)$/.exec(lines[0] ?? '')?.[1]);
  assert.equal(port, sim.port);
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise((r) => socket.once('connect', r));
  socket.destroy();
});

test('a stdin line "mo <from> <to> <text>" becomes an MO in GSM-7, or UCS-2 for Chinese', () => {
  const gsm = moFromLine('mo +12025550100 4242 STOP');
  assert.deepEqual(gsm && { ...gsm, shortMessage: [...gsm.shortMessage] }, {
    source: '12025550100',
    destination: '4242',
    shortMessage: [0x53, 0x54, 0x4f, 0x50],
    dataCoding: 0,
  });
  const zh = moFromLine('MO 8613800138000 4242 退订');
  assert.equal(zh?.dataCoding, 8);
  assert.deepEqual([...(zh?.shortMessage ?? [])], [0x90, 0x00, 0x8b, 0xa2]);
  assert.equal(moFromLine('hello'), undefined);
});
