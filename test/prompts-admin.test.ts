/** Prompts over the API: uploads of any PCM WAV are converted for the phone line, bad files refused, all audited. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import wavefile from 'wavefile';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';

/** A 440 Hz tone: `seconds` long at `rate` Hz, `channels` channels of 16-bit PCM. */
function toneWav(rate: number, channels: number, seconds: number): Buffer {
  const n = Math.round(rate * seconds);
  const ch = Array.from({ length: channels }, () => {
    const s = new Int16Array(n);
    for (let i = 0; i < n; i++) s[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate));
    return s;
  });
  const w = new wavefile.WaveFile();
  w.fromScratch(channels, rate, '16', channels === 1 ? (ch[0] as Int16Array) : ch);
  return Buffer.from(w.toBuffer());
}

async function put(t: TestHotline, path: string, body: Buffer, type = 'audio/wav', token = t.adminToken) {
  const res = await t.hotline.app.inject({
    method: 'PUT',
    url: path,
    payload: body,
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
  });
  return { status: res.statusCode, json: (): any => JSON.parse(res.body) };
}

test('an uploaded 44.1 kHz stereo WAV replaces the built-in prompt as 8 kHz mono µ-law, and is audited', async () => {
  const t = await startTestHotline();
  try {
    const before = await t.call('GET', '/api/prompts', undefined, t.adminToken);
    assert.equal(before.status, 200);
    const welcome = (lang: string, list: { language: string; name: string; uploaded: boolean }[]) =>
      list.find((p) => p.language === lang && p.name === 'welcome');
    assert.deepEqual(welcome('zh', before.body), {
      language: 'zh',
      name: 'welcome',
      builtIn: true,
      uploaded: false,
    });
    assert.ok(
      (before.body as { name: string }[]).some((p) => p.name === 'say/1'),
      'say fragments are listed too',
    );

    const up = await put(t, '/api/prompts/zh/welcome', toneWav(44100, 2, 1.5));
    assert.equal(up.status, 200);
    assert.deepEqual(up.json(), { language: 'zh', name: 'welcome', builtIn: true, uploaded: true });

    const audio = await t.hotline.app.inject({
      method: 'GET',
      url: '/api/prompts/zh/welcome/audio',
      headers: { authorization: `Bearer ${t.adminToken}` },
    });
    assert.equal(audio.statusCode, 200);
    assert.match(String(audio.headers['content-type']), /audio\/wav/);
    const w = new wavefile.WaveFile();
    w.fromBuffer(audio.rawPayload);
    const fmt = w.fmt as { sampleRate: number; numChannels: number };
    assert.equal(fmt.sampleRate, 8000);
    assert.equal(fmt.numChannels, 1);
    assert.equal(w.bitDepth, '8m', 'stored as µ-law');
    w.fromMuLaw();
    const samples = w.getSamples(false, Int16Array) as unknown as Int16Array;
    assert.ok(Math.abs(samples.length - 12000) <= 10, `1.5 s at 8 kHz, got ${samples.length} samples`);
    const peak = samples.reduce((m, s) => Math.max(m, Math.abs(s)), 0);
    assert.ok(peak > 6000 && peak < 10000, `the tone keeps its level, peak ${peak}`);

    // The English prompt of the same name is untouched.
    const after = await t.call('GET', '/api/prompts', undefined, t.adminToken);
    assert.equal(welcome('en', after.body)?.uploaded, false);

    // A new prompt in a folder: the "/" travels as %2F.
    const added = await put(t, '/api/prompts/en/billing%2Fintro', toneWav(16000, 1, 0.5));
    assert.equal(added.status, 200);
    assert.deepEqual(added.json(), { language: 'en', name: 'billing/intro', builtIn: false, uploaded: true });

    const audit = await t.call('GET', '/api/audit?action=prompt.upload', undefined, t.adminToken);
    const entries = audit.body as {
      action: string;
      targetId: string;
      actorName: string;
      details: Record<string, never>;
    }[];
    const zh = entries.find((e) => e.targetId === 'zh/welcome');
    assert.ok(zh, 'the upload is in the audit log');
    assert.equal(zh.actorName, 'admin');
    assert.deepEqual(zh.details.source, { sampleRate: 44100, channels: 2, bitDepth: '16' });

    // Reverting brings the built-in back.
    const del = await t.call('DELETE', '/api/prompts/zh/welcome', undefined, t.adminToken);
    assert.equal(del.status, 204);
    const reverted = await t.call('GET', '/api/prompts', undefined, t.adminToken);
    assert.equal(welcome('zh', reverted.body)?.uploaded, false);
    const again = await t.call('DELETE', '/api/prompts/zh/welcome', undefined, t.adminToken);
    assert.equal(again.body.error.code, 'PROMPT_NOT_FOUND');
  } finally {
    await t.stop();
  }
});

test('bad prompt uploads are refused in plain words and change nothing', async () => {
  const t = await startTestHotline();
  try {
    const notWav = await put(t, '/api/prompts/en/welcome', Buffer.from('ID3 this is an mp3, honest'));
    assert.equal(notWav.status, 400);
    assert.equal(notWav.json().error.code, 'PROMPT_AUDIO_INVALID');
    assert.equal(notWav.json().error.details.reason, 'not a WAV file');

    const adpcm = toneWav(8000, 1, 0.5);
    adpcm.writeUInt16LE(0x11, 20); // format tag: IMA ADPCM
    const compressed = await put(t, '/api/prompts/en/welcome', adpcm);
    assert.equal(compressed.status, 400);
    assert.match(compressed.json().error.message, /compressed audio/);

    const empty = await put(t, '/api/prompts/en/welcome', toneWav(8000, 1, 0));
    assert.equal(empty.json().error.code, 'PROMPT_AUDIO_INVALID');

    const badName = await put(t, '/api/prompts/en/Welcome%20Message', toneWav(8000, 1, 0.2));
    assert.equal(badName.json().error.code, 'PROMPT_NAME_INVALID');

    const agentToken = await (async () => {
      const u = await t.call(
        'POST',
        '/api/users',
        { username: 'ann', displayName: 'Ann', role: 'agent', password: 'long-enough-1' },
        t.adminToken,
      );
      assert.equal(u.status, 201);
      return t.login('ann', 'long-enough-1');
    })();
    const forbidden = await put(t, '/api/prompts/en/welcome', toneWav(8000, 1, 0.2), 'audio/wav', agentToken);
    assert.equal(forbidden.status, 403);

    const list = await t.call('GET', '/api/prompts', undefined, t.adminToken);
    assert.ok(
      (list.body as { uploaded: boolean }[]).every((p) => !p.uploaded),
      'nothing was stored',
    );
    const audit = await t.call('GET', '/api/audit?action=prompt.upload', undefined, t.adminToken);
    assert.deepEqual(audit.body, []);
  } finally {
    await t.stop();
  }
});
