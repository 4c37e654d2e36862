// sms.routes: several SMSC connections, each with a driver (SMPP bind or Kannel's HTTP sendsms),
// its connection settings and the rules that choose it. HOTLINE_SMSC_URL (sms.smsc) stays a
// single catch-all route named "default".
import { Type, type Static } from '@sinclair/typebox';
import { DomainError } from '../domain/errors.js';
import { SMS_TYPES, type SmsType } from '../domain/sms/lifecycle.js';

const lit = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

/** One route as written in the JSON config. Driver-specific settings are checked by checkSmsRoutes. */
export const SmsRouteSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[A-Za-z0-9_-]{1,40}$' }),
    driver: lit(['smpp', 'kannel'] as const),
    /** smpp://systemId:password@host:port, or Kannel's sendsms URL (http://host:13013/cgi-bin/sendsms). */
    url: Type.String({ minLength: 1 }),
    /** E.164 prefixes with '+'; empty = every destination. Longest match wins. */
    prefixes: Type.Array(Type.String({ pattern: '^\\+[0-9]{0,15}$' }), { default: [] }),
    /** Message types carried; empty = all. */
    types: Type.Array(lit(SMS_TYPES), { default: [] }),
    /** Submits per second. */
    rate: Type.Number({ exclusiveMinimum: 0, default: 50 }),
    /** Submits (SMPP) or HTTP requests (Kannel) in flight at once. */
    window: Type.Integer({ minimum: 1, maximum: 1000, default: 10 }),
    /** Wait for an answer before the segment counts as uncertain. */
    responseTimeoutMs: Type.Integer({ minimum: 100, default: 10000 }),
    /** kannel: sendsms-user credentials. */
    username: Type.Optional(Type.String({ minLength: 1 })),
    password: Type.Optional(Type.String()),
    /** kannel: the smsc-id Kannel should route through (its `smsc` parameter). */
    smsc: Type.Optional(Type.String({ minLength: 1 })),
    /** kannel: secret in the delivery-report URL, since Kannel cannot authenticate its callbacks. */
    dlrToken: Type.Optional(Type.String({ minLength: 16 })),
  },
  { additionalProperties: false },
);

type RawRoute = Static<typeof SmsRouteSchema>;

/** A route ready to be connected. */
export type SmsRouteConfig = {
  name: string;
  prefixes: string[];
  types: SmsType[];
  rate: number;
  window: number;
  responseTimeoutMs: number;
} & (
  | { driver: 'smpp'; host: string; port: number; systemId: string; password: string }
  | {
      driver: 'kannel';
      sendsmsUrl: string;
      username: string;
      password: string;
      smsc: string | null;
      dlrToken: string;
    }
);

function invalid(message: string): never {
  throw new DomainError('CONFIG_INVALID', `invalid configuration:\n  ${message}`);
}

/** smpp://systemId:password@host:port → its parts; throws with `where` in the message. */
export function parseSmppUrl(
  raw: string,
  where: string,
): { host: string; port: number; systemId: string; password: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return invalid(`${where}: not a URL (expected smpp://systemId:password@host:port)`);
  }
  if (url.protocol !== 'smpp:' || !url.hostname || !url.username) {
    return invalid(`${where}: expected smpp://systemId:password@host:port`);
  }
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 2775,
    systemId: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
}

function resolveRoute(r: RawRoute, i: number): SmsRouteConfig {
  const where = `/sms/routes/${i}`;
  const common = {
    name: r.name,
    prefixes: r.prefixes,
    types: r.types,
    rate: r.rate,
    window: r.window,
    responseTimeoutMs: r.responseTimeoutMs,
  };
  if (r.driver === 'smpp') return { ...common, driver: 'smpp', ...parseSmppUrl(r.url, `${where}/url`) };
  if (!/^https?:\/\//.test(r.url))
    invalid(`${where}/url: expected Kannel's http://host:port/cgi-bin/sendsms`);
  if (r.username === undefined || r.password === undefined) {
    invalid(`${where}: a kannel route needs username and password (a sendsms-user)`);
  }
  if (r.dlrToken === undefined) invalid(`${where}/dlrToken: a kannel route needs a secret of 16+ characters`);
  return {
    ...common,
    driver: 'kannel',
    sendsmsUrl: r.url,
    username: r.username,
    password: r.password,
    smsc: r.smsc ?? null,
    dlrToken: r.dlrToken,
  };
}

/** The SMPP settings of sms.smsc (HOTLINE_SMSC_URL). */
interface SingleSmsc {
  host: string;
  port: number;
  systemId: string;
  password: string;
  submitsPerSecond: number;
  windowSize: number;
  responseTimeoutMs: number;
}

/**
 * Every configured route in selection order: sms.routes, then sms.smsc as a catch-all route
 * "default". Throws CONFIG_INVALID on a bad or duplicate route.
 */
export function smsRoutesOf(sms: { routes: RawRoute[]; smsc: SingleSmsc | null }): SmsRouteConfig[] {
  const routes = sms.routes.map(resolveRoute);
  if (sms.smsc) {
    const s = sms.smsc;
    routes.push({
      name: 'default',
      driver: 'smpp',
      prefixes: [],
      types: [],
      host: s.host,
      port: s.port,
      systemId: s.systemId,
      password: s.password,
      rate: s.submitsPerSecond,
      window: s.windowSize,
      responseTimeoutMs: s.responseTimeoutMs,
    });
  }
  const seen = new Set<string>();
  for (const r of routes) {
    if (seen.has(r.name)) invalid(`/sms/routes: the route name "${r.name}" is used twice`);
    seen.add(r.name);
  }
  return routes;
}
