#!/usr/bin/env node
/**
 * `hotline smsc-sim`: runs the SMSC simulator on 127.0.0.1 until SIGINT/SIGTERM and prints the
 * port it listens on. Flags win over environment variables; see SMSC_SIM_USAGE.
 */
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { FAULT_SUFFIXES } from '../adapters/smpp/fault-plan.js';
import { SmscSimulator, type SmscSimulatorOptions } from '../adapters/smpp/simulator.js';
import { chooseEncoding, encodeGsm7, encodeUcs2 } from '../domain/sms/index.js';

/** Help text, with the fault-number convention. */
export const SMSC_SIM_USAGE = `Usage: hotline smsc-sim [options]

  --port N                   listen port on 127.0.0.1 (0 = any free)   SMSC_SIM_PORT, default 2775
  --system-id ID             accept only this system_id ...            SMSC_SIM_SYSTEM_ID
  --password PW              ... with this password                    SMSC_SIM_PASSWORD
  --latency-ms N             delay before every response               SMSC_SIM_LATENCY_MS, default 0
  --slow-ms N                delay of the slow fault                   SMSC_SIM_SLOW_MS, default 3000
  --receipt-delay-ms N       submit_sm_resp to receipt                 SMSC_SIM_RECEIPT_DELAY_MS, default 50
  --receipt-before-response  send every receipt before its response
  --message-id-format F      hex | decimal                             default hex
  --receipt-id-format F      same | decimal (id in the receipt text)   default same
  --no-receipt-tlvs          receipts carry the text only
  --enquire-link-ms N        the simulator's own enquire_link period   default 0 (off)
  --mo-stdin                 read "mo <from> <to> <text…>" lines from stdin and deliver each
                             as a mobile-originated deliver_sm (GSM-7, or UCS-2 when needed)

Faults by the destination's last four digits:
${Object.entries(FAULT_SUFFIXES)
  .map(([suffix, f]) => `  …${suffix}  ${f.meaning}`)
  .join('\n')}
  other  accepted, receipt stat:DELIVRD
`;

type Env = Readonly<Record<string, string | undefined>>;

function whole(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name}: expected a whole number, got "${raw}"`);
  return n;
}

function oneOf<const T extends string>(
  name: string,
  raw: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw))
    throw new Error(`${name}: expected ${allowed.join(' or ')}`);
  return raw as T;
}

/** Simulator options from command-line flags and environment; throws on bad values. */
export function smscSimOptions(argv: readonly string[], env: Env): SmscSimulatorOptions | 'help' {
  const { values: v } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string' },
      'system-id': { type: 'string' },
      password: { type: 'string' },
      'latency-ms': { type: 'string' },
      'slow-ms': { type: 'string' },
      'receipt-delay-ms': { type: 'string' },
      'receipt-before-response': { type: 'boolean' },
      'message-id-format': { type: 'string' },
      'receipt-id-format': { type: 'string' },
      'no-receipt-tlvs': { type: 'boolean' },
      'enquire-link-ms': { type: 'string' },
      'mo-stdin': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (v.help) return 'help';
  const port = whole('port', v.port ?? env.SMSC_SIM_PORT, 2775);
  if (port > 65535) throw new Error(`port: ${port} is out of range`);
  const systemId = v['system-id'] ?? env.SMSC_SIM_SYSTEM_ID;
  const password = v.password ?? env.SMSC_SIM_PASSWORD ?? '';
  return {
    port,
    accounts: systemId ? [{ systemId, password }] : undefined,
    latencyMs: whole('latency-ms', v['latency-ms'] ?? env.SMSC_SIM_LATENCY_MS, 0),
    slowMs: whole('slow-ms', v['slow-ms'] ?? env.SMSC_SIM_SLOW_MS, 3000),
    receiptDelayMs: whole('receipt-delay-ms', v['receipt-delay-ms'] ?? env.SMSC_SIM_RECEIPT_DELAY_MS, 50),
    receiptBeforeResponse: v['receipt-before-response'] ?? false,
    messageIdFormat: oneOf('message-id-format', v['message-id-format'], ['hex', 'decimal'], 'hex'),
    receiptIdFormat: oneOf('receipt-id-format', v['receipt-id-format'], ['same', 'decimal'], 'same'),
    receiptTlvs: !v['no-receipt-tlvs'],
    enquireLinkIntervalMs: whole('enquire-link-ms', v['enquire-link-ms'], 0),
  };
}

/** The MO a stdin line asks for ("mo <from> <to> <text…>"), or undefined when it is not one. */
export function moFromLine(
  line: string,
): { source: string; destination: string; shortMessage: Buffer; dataCoding: number } | undefined {
  const m = /^\s*mo\s+(\S+)\s+(\S+)\s+(.+?)\s*$/iu.exec(line);
  if (!m) return undefined;
  const text = m[3]!;
  const gsm = chooseEncoding(text).encoding === 'gsm7';
  return {
    source: m[1]!.replace(/^\+/, ''),
    destination: m[2]!,
    shortMessage: Buffer.from(gsm ? encodeGsm7(text) : encodeUcs2(text)),
    dataCoding: gsm ? 0 : 8,
  };
}

/** Starts the simulator from flags/env, prints its address, and stops it on SIGINT/SIGTERM. */
export async function runSmscSim(
  argv: readonly string[],
  env: Env,
  print: (line: string) => void = console.log,
): Promise<SmscSimulator | undefined> {
  const options = smscSimOptions(argv, env);
  if (options === 'help') {
    print(SMSC_SIM_USAGE);
    return undefined;
  }
  const sim = new SmscSimulator(options);
  const port = await sim.start();
  print(`smsc-sim listening on 127.0.0.1:${port}`);
  if (argv.includes('--mo-stdin')) {
    const lines = createInterface({ input: process.stdin });
    lines.on('line', (line) => {
      const mo = moFromLine(line);
      if (!mo) return print('expected: mo <from> <to> <text…>');
      sim.sendMo(mo).then(
        (ok) => print(ok ? 'mo delivered' : 'mo not delivered (no receiving bind?)'),
        (e: unknown) => print(`mo failed: ${e instanceof Error ? e.message : String(e)}`),
      );
    });
  }
  const stop = () => {
    process.stdin.pause();
    void sim.stop();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return sim;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // eslint-disable-next-line no-restricted-syntax -- a CLI entry, like main.ts: env is its input
  runSmscSim(process.argv.slice(2), process.env).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
