// Registrations of the configured trunks that ask for one: each REGISTERs with its outbound proxy
// (digest credentials when challenged) and keeps it refreshed, so the carrier knows where we are.
import type { SipEndpoint } from './endpoint.js';
import type { SipProtocol } from './transport.js';
import { TrunkRegistration, type RegistrationState } from './trunks.js';
import type { Scheduler } from './transactions/timers.js';

/** A trunk's outbound side as configured (sip.trunks). */
export interface OutboundTrunk {
  name: string;
  /** host[:port] */
  outboundProxy?: string;
  transport: SipProtocol;
  domain?: string;
  username?: string;
  password?: string;
  registerExpires: number;
}

/** "host:port", "[v6]:port" or "host" → address and port (default 5060). */
export function parseHostPort(hostPort: string): { address: string; port: number } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(hostPort);
  if (v6) return { address: v6[1]!, port: v6[2] ? Number(v6[2]) : 5060 };
  const [address = '', port] = hostPort.split(':');
  return { address, port: port ? Number(port) : 5060 };
}

/**
 * Starts a registration for each trunk with `registerExpires` > 0; `replace` follows a new set of
 * trunks (a changed or removed trunk unregisters, a new or changed one registers); `stop` ends all.
 * @example const regs = startTrunkRegistrations(endpoint, config.sip.trunks, realScheduler, log);
 */
export function startTrunkRegistrations(
  endpoint: SipEndpoint,
  trunks: readonly OutboundTrunk[],
  scheduler: Scheduler,
  onState: (trunk: string, state: RegistrationState, status: number) => void,
): {
  states(): Record<string, RegistrationState>;
  replace(trunks: readonly OutboundTrunk[]): void;
  stop(): void;
} {
  /** Each running registration, with the settings it was made from. */
  const regs = new Map<string, { key: string; reg: TrunkRegistration }>();
  const settings = (t: OutboundTrunk): string =>
    JSON.stringify([t.outboundProxy, t.transport, t.domain, t.username, t.password, t.registerExpires]);
  const start = (t: OutboundTrunk): void => {
    const target = { protocol: t.transport, ...parseHostPort(t.outboundProxy!) };
    const reg = new TrunkRegistration(
      endpoint,
      {
        name: t.name,
        target,
        domain: t.domain ?? target.address,
        username: t.username!,
        ...(t.password === undefined ? {} : { password: t.password }),
        registerExpires: t.registerExpires,
      },
      { scheduler, onState: (state, res) => onState(t.name, state, res.status) },
    );
    // A failure is retried by the registration itself; the state tells.
    reg.refresh().then(undefined, () => undefined);
    regs.set(t.name, { key: settings(t), reg });
  };
  // Unregistering is best effort: neither shutdown nor an edit waits for a carrier that may be down.
  const end = (name: string): void => {
    regs
      .get(name)
      ?.reg.stop()
      .then(undefined, () => undefined);
    regs.delete(name);
  };
  const replace = (next: readonly OutboundTrunk[]): void => {
    const wanted = next.filter(
      (t) => t.registerExpires > 0 && t.outboundProxy !== undefined && t.username !== undefined,
    );
    for (const name of [...regs.keys()]) {
      const t = wanted.find((w) => w.name === name);
      if (t === undefined || settings(t) !== regs.get(name)!.key) end(name);
    }
    for (const t of wanted) if (!regs.has(t.name)) start(t);
  };
  replace(trunks);
  return {
    states: () => Object.fromEntries([...regs].map(([name, r]) => [name, r.reg.state])),
    replace,
    stop() {
      for (const name of [...regs.keys()]) end(name);
    },
  };
}
