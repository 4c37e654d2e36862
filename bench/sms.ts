/**
 * SMS throughput end to end: messages accepted by POST /api/sms/bulk → stored → submitted over
 * SMPP → receipt recorded (status delivered), against the SMSC simulator with 10 ms latency and a
 * window of 50, on PGlite and (when DATABASE_URL is set) PostgreSQL. The simulator runs in a process
 * of its own (an SMS center is an outside system). Side by side, the ceiling: a plain SmppBind
 * blasting the same number of submits at it with no persistence. Last, how long a
 * 100,000-recipient campaign takes to be queued (PGlite). Ends with one JSON line:
 * {"pglite": {"messagesPerSec"}, "postgres": {"messagesPerSec"} | null, "ceilingRatio", "campaign100kSec"}
 */
import { performance } from 'node:perf_hooks';
import { freshPostgres } from '../test/helpers/database.js';
import { ceiling, endToEnd, json, numberOf, startSmscProcess, withHotline } from './sms-run.js';

const CAMPAIGN = Number(process.env.BENCH_SMS_CAMPAIGN ?? 100_000);

/** Seconds from POST /api/sms/campaigns with CAMPAIGN recipients to its answer (all queued). */
async function campaign100k(): Promise<number> {
  const smsc = await startSmscProcess({ keepSubmits: 0 });
  try {
    return await withHotline(null, smsc.port, async (_h, base, token) => {
      const recipients = Array.from({ length: CAMPAIGN }, (_, i) => ({
        to: numberOf(i),
        variables: { name: `Customer ${i}` },
      }));
      const started = performance.now();
      const r = await json(base, 'POST', '/api/sms/campaigns', token, {
        name: 'Bench campaign',
        template: 'Dear {{name}}, our offices close on Friday.',
        audience: { recipients },
      });
      const sec = Math.round(performance.now() - started) / 1000;
      if (r.campaign.total !== CAMPAIGN) throw new Error(`campaign: ${r.campaign.total} queued`);
      console.log(`campaign of ${CAMPAIGN}: queued in ${sec} s`);
      return sec;
    });
  } finally {
    await smsc.stop();
  }
}

const ceilingPerSec = (await ceiling()).messagesPerSec;
const pglite = { messagesPerSec: (await endToEnd('pglite', null)).messagesPerSec };
let postgres: { messagesPerSec: number } | null = null;
if (process.env.DATABASE_URL) {
  const db = await freshPostgres();
  try {
    postgres = { messagesPerSec: (await endToEnd('postgres', db.url)).messagesPerSec };
  } finally {
    await db.drop();
  }
}
const campaign100kSec = await campaign100k();
console.log(
  JSON.stringify({
    pglite,
    postgres,
    ceilingRatio: Math.round((pglite.messagesPerSec / ceilingPerSec) * 1000) / 1000,
    campaign100kSec,
  }),
);
