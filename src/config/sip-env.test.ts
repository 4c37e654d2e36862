import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './load.js';

const FLOW = {
  version: 1,
  name: 'Line',
  start: 'bye',
  nodes: { bye: { kind: 'hangup' } },
};

function withFile(content: string, fn: (path: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-config-'));
  try {
    const path = join(dir, 'flow.json');
    writeFileSync(path, content);
    fn(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('SIP is off by default with the documented defaults', () => {
  const c = loadConfig({});
  assert.deepEqual(c.sip, {
    enabled: false,
    host: '0.0.0.0',
    port: 5060,
    tcp: true,
    trunks: [],
    rtpPortMin: 20000,
    rtpPortMax: 20999,
    mediaNative: true,
    promptsDir: './prompts',
    language: 'en',
    voicemailDir: null,
    realm: 'hotline',
    recordingsDir: './data/recordings',
    shutdownPromptMs: 4000,
    defaultFlow: null,
  });
});

test('HOTLINE_MEDIA_NATIVE=0 turns the native RTP path off', () => {
  assert.equal(loadConfig({ HOTLINE_MEDIA_NATIVE: '0' }).sip.mediaNative, false);
  assert.equal(loadConfig({ HOTLINE_MEDIA_NATIVE: 'true' }).sip.mediaNative, true);
});

test('the SIP variables and a flow file set the sip section', () => {
  withFile(JSON.stringify(FLOW), (file) => {
    const c = loadConfig({
      HOTLINE_SIP_ENABLED: 'true',
      HOTLINE_SIP_HOST: '127.0.0.1',
      HOTLINE_SIP_PORT: '5070',
      HOTLINE_RTP_PORTS: '30000-30100',
      HOTLINE_IVR_FLOW_FILE: file,
    });
    assert.equal(c.sip.enabled, true);
    assert.equal(c.sip.port, 5070);
    assert.equal(c.sip.rtpPortMin, 30000);
    assert.equal(c.sip.rtpPortMax, 30100);
    assert.deepEqual(c.sip.defaultFlow, FLOW);
  });
});

test('SIP on without a flow file is allowed: dialed numbers take their flows from the database', () => {
  assert.equal(loadConfig({ HOTLINE_SIP_ENABLED: 'true' }).sip.defaultFlow, null);
});

test('a bad flow and a bad port range are CONFIG_INVALID', () => {
  const invalid = { code: 'CONFIG_INVALID' };
  withFile(JSON.stringify({ ...FLOW, start: 'nowhere' }), (file) => {
    assert.throws(() => loadConfig({ HOTLINE_IVR_FLOW_FILE: file }), invalid);
  });
  withFile('{ not json', (file) => {
    assert.throws(() => loadConfig({ HOTLINE_IVR_FLOW_FILE: file }), invalid);
  });
  assert.throws(() => loadConfig({ HOTLINE_RTP_PORTS: '30100-30000' }), invalid);
  assert.throws(() => loadConfig({ HOTLINE_RTP_PORTS: '30000' }), invalid);
});

test('trunks come from the config file; bad sources, numbers and proxies are CONFIG_INVALID', () => {
  const trunk = { name: 'carrier', sources: ['203.0.113.0/24'], dids: ['+12025550100'] };
  const load = (trunks: unknown[]) => {
    let c: ReturnType<typeof loadConfig> | undefined;
    withFile(JSON.stringify({ sip: { trunks } }), (file) => (c = loadConfig({ HOTLINE_CONFIG: file })));
    return c!;
  };
  const c = load([trunk]);
  assert.deepEqual(c.sip.trunks, [{ ...trunk, transport: 'udp', registerExpires: 0 }]);
  assert.equal(c.sip.tcp, true);
  const invalid = { code: 'CONFIG_INVALID' };
  assert.throws(() => load([{ ...trunk, sources: ['10.0.0.0/40'] }]), /\/sip\/trunks\/0\/sources\/0/);
  assert.throws(() => load([{ ...trunk, dids: ['sales'] }]), invalid);
  assert.throws(() => load([{ ...trunk, registerExpires: 300 }]), /registerExpires needs outboundProxy/);
  assert.throws(() => load([{ ...trunk, outboundProxy: 'sip:carrier' }]), invalid);
  assert.throws(() => load([trunk, trunk]), /unique/);
});
