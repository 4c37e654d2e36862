// The health checks the monitor runs; each is a small object behind one interface so more (a SIP
// trunk's OPTIONS ping, an e-mail server) can be plugged in without touching the monitor.
import type { Clock, SmsGateway, Store } from '../ports.js';
import type { RoutingService } from '../routing/routing-service.js';
import type { CheckResult } from '../../domain/alarms/alarms.js';

/** One health check; a check that cannot run throws (and reports nothing this round). */
export interface HealthCheck {
  run(): Promise<CheckResult[]>;
}

/** Free and total bytes of the file system holding the data (statfs). */
export type DiskProbe = () => Promise<{ freeBytes: number; totalBytes: number }>;

/** The SMPP bind is up. */
export function smscCheck(gateway: Pick<SmsGateway, 'state'>): HealthCheck {
  return {
    run: () => {
      const s = gateway.state();
      return Promise.resolve([
        { key: 'smsc', ok: s.bound, detail: s.bound ? 'SMPP bind up' : `SMPP bind ${s.detail}` },
      ]);
    },
  };
}

/** A probe query answers within `slowMs` (a failing query counts as a problem too). */
export function databaseCheck(store: Pick<Store, 'ping'>, clock: Clock, slowMs: number): HealthCheck {
  return {
    async run() {
      const started = clock.now();
      try {
        await store.ping();
      } catch (err) {
        return [{ key: 'database', ok: false, detail: `database error: ${(err as Error).message}` }];
      }
      const ms = clock.now() - started;
      return [
        {
          key: 'database',
          ok: ms <= slowMs,
          detail:
            ms <= slowMs ? `database answers in ${ms} ms` : `database slow: ${ms} ms (limit ${slowMs} ms)`,
        },
      ];
    },
  };
}

/** At least `minFreePercent` of the data disk is free. */
export function diskCheck(probe: DiskProbe, minFreePercent: number): HealthCheck {
  return {
    async run() {
      const { freeBytes, totalBytes } = await probe();
      const percent = totalBytes > 0 ? Math.round((freeBytes / totalBytes) * 1000) / 10 : 100;
      return [
        {
          key: 'disk',
          ok: percent >= minFreePercent,
          detail: `data disk ${percent}% free (alarm below ${minFreePercent}%)`,
        },
      ];
    },
  };
}

/** No queue has a caller waiting longer than `maxWaitSec`. */
export function queueWaitCheck(
  store: Pick<Store, 'queues'>,
  routing: Pick<RoutingService, 'engine'>,
  clock: Clock,
  maxWaitSec: number,
): HealthCheck {
  return {
    async run() {
      const now = clock.now();
      const out: CheckResult[] = [];
      for (const q of await store.queues.list()) {
        let oldest: number | null;
        try {
          oldest = routing.engine.queueStats(q.id).oldestArrivedAt;
        } catch {
          continue; // a queue the engine does not hold (just deleted)
        }
        const waitSec = oldest === null ? 0 : Math.round((now - oldest) / 1000);
        out.push({
          key: `queue.wait:${q.name}`,
          ok: waitSec <= maxWaitSec,
          detail: `longest wait in ${q.name} ${waitSec} s (limit ${maxWaitSec} s)`,
        });
      }
      return out;
    },
  };
}
