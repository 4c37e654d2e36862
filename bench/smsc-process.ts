/**
 * The SMSC simulator in a process of its own, for the SMS benchmarks: an SMS center is an outside
 * system in any deployment, so its CPU must not count against Hotline's event loop. Forked by
 * bench/sms-run.ts (`startSmscProcess`) with the simulator's options as JSON in argv[2]; reports
 * `{ port }` over IPC once listening, answers `{ ask: 'stats' }` with its counts and its own CPU
 * time, and stops on `{ ask: 'stop' }` (or when the parent goes away).
 */
import { SmscSimulator, type SmscSimulatorOptions } from '../src/adapters/smpp/index.js';

const options = JSON.parse(process.argv[2] ?? '{}') as SmscSimulatorOptions;
const smsc = new SmscSimulator(options);
const port = await smsc.start();
const send = (m: unknown) => process.send?.(m);
send({ port });
process.on('message', (m: { ask?: string }) => {
  if (m.ask === 'stats') {
    const cpu = process.cpuUsage();
    send({ stats: { counts: smsc.counts, cpuUs: cpu.user + cpu.system } });
  } else if (m.ask === 'stop') {
    void smsc.stop().finally(() => process.disconnect());
  }
});
process.on('disconnect', () => void smsc.stop().finally(() => process.exit(0)));
