// The webhook client against a tiny local HTTP server (a stand-in for a CRM we do not own).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FetchWebhookClient } from './webhook-client.js';

let server: Server;
let base = '';
const hanging: ServerResponse[] = [];

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  let body = '';
  req.on('data', (d: Buffer) => (body += d.toString()));
  req.on('end', () => {
    if (url.pathname === '/balance') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ account: { balance: 12.5, id: url.searchParams.get('account') } }));
    } else if (url.pathname === '/echo') {
      res.end(
        JSON.stringify({ method: req.method, type: req.headers['content-type'], body: JSON.parse(body) }),
      );
    } else if (url.pathname === '/broken') res.writeHead(503).end('down for maintenance');
    else if (url.pathname === '/html') res.end('<html>not json</html>');
    else if (url.pathname === '/hang') hanging.push(res);
    else res.writeHead(404).end();
  });
}

before(async () => {
  server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  for (const res of hanging) res.destroy();
  await new Promise((r) => server.close(r));
});

const client = new FetchWebhookClient();

test('GET sends the params as a query and answers the parsed JSON', async () => {
  const a = await client.request({
    url: `${base}/balance`,
    method: 'GET',
    params: { account: '4 2' },
    timeoutMs: 3000,
  });
  assert.deepEqual(a, { ok: true, data: { account: { balance: 12.5, id: '4 2' } } });
});

test('POST sends the params as a JSON body', async () => {
  const a = await client.request({
    url: `${base}/echo`,
    method: 'POST',
    params: { pin: '1234' },
    timeoutMs: 3000,
  });
  assert.deepEqual(a, {
    ok: true,
    data: { method: 'POST', type: 'application/json', body: { pin: '1234' } },
  });
});

test('an error status, an answer that is not JSON and a bad URL are failures with a reason', async () => {
  const req = (url: string) => client.request({ url, method: 'GET', params: {}, timeoutMs: 3000 });
  assert.deepEqual(await req(`${base}/broken`), { ok: false, error: 'http_503' });
  assert.deepEqual(await req(`${base}/html`), { ok: false, error: 'bad_response' });
  assert.deepEqual(await req('ftp://example/x'), { ok: false, error: 'bad_url' });
});

test('a server that does not answer in time is a timeout; one that is down is unreachable', async () => {
  const slow = await client.request({ url: `${base}/hang`, method: 'GET', params: {}, timeoutMs: 200 });
  assert.deepEqual(slow, { ok: false, error: 'timeout' });
  // A port that was just free: nothing listens there.
  const spare = createServer();
  await new Promise<void>((r) => spare.listen(0, '127.0.0.1', () => r()));
  const port = (spare.address() as AddressInfo).port;
  await new Promise((r) => spare.close(r));
  const down = await client.request({
    url: `http://127.0.0.1:${port}/x`,
    method: 'GET',
    params: {},
    timeoutMs: 2000,
  });
  assert.deepEqual(down, { ok: false, error: 'unreachable' });
});
