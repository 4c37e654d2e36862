/**
 * Kannel 1.4 (bearerbox + smsbox) as a real, independent SMPP client and HTTP sendsms gateway for
 * tests: a private kannel.conf in a temp dir, free ports, child processes that `stop` always kills.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BEARERBOX = '/usr/sbin/bearerbox';
export const SMSBOX = '/usr/sbin/smsbox';

/** A port free right now on 127.0.0.1. */
export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** True once something accepts TCP connections on the port. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface KannelOptions {
  /** The SMSC (our simulator) Kannel binds to as a transceiver. */
  smscPort: number;
  systemId: string;
  password: string;
  /** Kannel's smsc-id for that connection. */
  smscId: string;
  sendsmsUser: string;
  sendsmsPassword: string;
}

/** A running Kannel: where its sendsms listens, its logs, and stop(). */
export interface Kannel {
  sendsmsPort: number;
  sendsmsUrl: string;
  logs(): string;
  stop(): Promise<void>;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Writes kannel.conf and starts bearerbox and smsbox; the caller must stop() it (in `after`). */
export async function startKannel(o: KannelOptions): Promise<Kannel> {
  if (!existsSync(BEARERBOX) || !existsSync(SMSBOX)) {
    throw new Error(`CI must install kannel (${BEARERBOX} and ${SMSBOX}, Debian package "kannel")`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'hotline-kannel-'));
  const [adminPort, smsboxPort, sendsmsPort] = [
    await freeTcpPort(),
    await freeTcpPort(),
    await freeTcpPort(),
  ];
  const conf = `
group = core
admin-port = ${adminPort}
admin-interface = 127.0.0.1
admin-password = ${o.sendsmsPassword}
smsbox-port = ${smsboxPort}
smsbox-interface = 127.0.0.1
box-allow-ip = 127.0.0.1
log-file = "${join(dir, 'bearerbox.log')}"
log-level = 1
dlr-storage = internal

group = smsc
smsc = smpp
smsc-id = ${o.smscId}
host = 127.0.0.1
port = ${o.smscPort}
transceiver-mode = true
smsc-username = ${o.systemId}
smsc-password = ${o.password}
system-type = ""
reconnect-delay = 1
enquire-link-interval = 30

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = ${smsboxPort}
sendsms-port = ${sendsmsPort}
sendsms-interface = 127.0.0.1
log-file = "${join(dir, 'smsbox.log')}"
log-level = 1

group = sendsms-user
username = ${o.sendsmsUser}
password = ${o.sendsmsPassword}
user-allow-ip = "127.0.0.1"
concatenation = false
max-messages = 1

group = sms-service
keyword = default
text = "No service specified"
`;
  const confFile = join(dir, 'kannel.conf');
  writeFileSync(confFile, conf);
  const children: ChildProcess[] = [];
  const startBox = (bin: string) => {
    const child = spawn(bin, [confFile], { cwd: dir, stdio: 'ignore' });
    child.on('error', () => {});
    children.push(child);
  };
  const logs = () =>
    ['bearerbox.log', 'smsbox.log']
      .map((f) =>
        existsSync(join(dir, f)) ? `--- ${f}\n${readFileSync(join(dir, f), 'utf8').slice(-4000)}` : '',
      )
      .join('\n');
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // smsbox first: it would otherwise keep reconnecting to a vanished bearerbox.
    for (const child of children.reverse()) await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    startBox(BEARERBOX);
    await until(() => accepts(smsboxPort), 15_000, 'bearerbox to listen', logs);
    startBox(SMSBOX);
    await until(() => accepts(sendsmsPort), 15_000, 'smsbox sendsms to listen', logs);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    sendsmsPort,
    sendsmsUrl: `http://127.0.0.1:${sendsmsPort}/cgi-bin/sendsms`,
    logs,
    stop,
  };
}

async function until(
  check: () => Promise<boolean>,
  ms: number,
  what: string,
  logs: () => string,
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${logs()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
