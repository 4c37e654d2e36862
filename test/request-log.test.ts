// The request log keeps method and path but never a query string: playback tickets, event-stream
// tokens and searched phone numbers must not reach an info-level log.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';

const lines: string[] = [];
let t: TestHotline;

before(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  t = await startTestHotline({ logger: pino({ level: 'info' }, sink) });
});
after(() => t?.stop());

test('searching recordings by number and playing one by ticket logs the paths, not the number or ticket', async () => {
  const search = await t.call('GET', '/api/recordings?number=8613800138000', undefined, t.adminToken);
  assert.equal(search.status, 200);
  const play = await t.call(
    'GET',
    '/api/recordings/6f1c9a52-0000-4000-8000-000000000000/play?ticket=secret-ticket-42',
  );
  assert.notEqual(play.status, 200);

  const requests = lines.map((l) => JSON.parse(l) as { msg?: string; req?: { url?: string } });
  const urls = requests.filter((r) => r.msg === 'incoming request').map((r) => r.req?.url);
  assert.ok(urls.includes('/api/recordings?…'), `logged: ${JSON.stringify(urls)}`);
  assert.ok(urls.includes('/api/recordings/6f1c9a52-0000-4000-8000-000000000000/play?…'));
  const all = lines.join('\n');
  assert.ok(!all.includes('8613800138000'), 'the searched number is not logged');
  assert.ok(!all.includes('secret-ticket-42'), 'the playback ticket is not logged');
});
